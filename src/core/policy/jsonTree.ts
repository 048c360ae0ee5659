/**
 * The parsed JSON tree as the validator sees it. As with JSON.parse, the last copy of a duplicated key takes effect and
 * every key is an own property (`__proto__` included), so problems are placed at the copy that was validated.
 */
import type { Node } from 'jsonc-parser';
import type { JsonPath, PolicyProblem } from './problems';

interface Property {
  key: Node;
  value: Node;
}

/** An object's properties by name, the last copy of each winning but keeping the first copy's place in the order. */
function effectiveProperties(node: Node): Map<string, Property> {
  const properties = new Map<string, Property>();
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key && value) properties.set(key.value as string, { key, value });
  }
  return properties;
}

/** Like jsonc-parser's getNodeValue, but with JSON.parse's semantics for duplicate keys and `__proto__`. */
export function jsonValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [name, { value }] of effectiveProperties(node)) {
        // Assigning `result["__proto__"]` would set the prototype instead of adding a key the schema can reject.
        Object.defineProperty(result, name, { value: jsonValue(value), enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map(jsonValue);
    default:
      return node.value;
  }
}

/** Duplicate keys are legal JSON but almost always a mistake: the earlier value would be silently ignored. */
export function duplicateKeys(tree: Node, path: JsonPath = [], problems: PolicyProblem[] = []): PolicyProblem[] {
  if (tree.type === 'object') {
    const seen = new Set<string>();
    for (const property of tree.children ?? []) {
      const [key, value] = property.children ?? [];
      if (!key || !value) continue;
      const name = key.value as string;
      if (seen.has(name)) {
        problems.push({
          path: [...path, name],
          message: `"${name}" is given twice; the earlier value would be ignored, keep one`,
          range: { offset: key.offset, length: key.length },
        });
      }
      seen.add(name);
      duplicateKeys(value, [...path, name], problems);
    }
  } else if (tree.type === 'array') {
    (tree.children ?? []).forEach((child, i) => duplicateKeys(child, [...path, i], problems));
  }
  return problems;
}

/** Where the validated document has a `__proto__` key, which zod treats specially (see protoKeysInRecords). */
export function protoKeyPaths(node: Node, path: JsonPath = []): JsonPath[] {
  if (node.type === 'object') {
    return [...effectiveProperties(node)].flatMap(([name, { value }]) => [
      ...(name === '__proto__' ? [[...path, name]] : []),
      ...protoKeyPaths(value, [...path, name]),
    ]);
  }
  if (node.type === 'array') return (node.children ?? []).flatMap((child, i) => protoKeyPaths(child, [...path, i]));
  return [];
}

/**
 * Finds the nodes the validator saw by JSON path. A file can hold thousands of problems, so each object's
 * properties are put in a map the first time a path passes through it, rather than searched for every problem.
 */
export class NodeIndex {
  private readonly properties = new Map<Node, Map<string, Property>>();

  constructor(private readonly tree: Node) {}

  /** The value at `path`, if the validated document has one. */
  at(path: JsonPath): Node | undefined {
    const found = this.walk(path);
    return found.length === path.length + 1 ? found[path.length] : undefined;
  }

  /** The key of the property at `path`, if there is one. */
  keyAt(path: JsonPath): Node | undefined {
    const parents = this.walk(path.slice(0, -1));
    const last = path[path.length - 1];
    if (parents.length !== path.length || typeof last !== 'string') return undefined;
    return this.propertiesOf(parents[parents.length - 1])?.get(last)?.key;
  }

  /** The value at `path`, or its nearest ancestor that exists (a missing key is reported on its object). */
  nearest(path: JsonPath): Node {
    const found = this.walk(path);
    return found[found.length - 1];
  }

  /** The nodes along `path` from the root, as far as the document goes. */
  private walk(path: JsonPath): Node[] {
    const found = [this.tree];
    for (const segment of path) {
      const next = this.child(found[found.length - 1], segment);
      if (!next) break;
      found.push(next);
    }
    return found;
  }

  private child(node: Node, segment: string | number): Node | undefined {
    if (typeof segment === 'string') return this.propertiesOf(node)?.get(segment)?.value;
    return node.type === 'array' ? node.children?.[segment] : undefined;
  }

  private propertiesOf(node: Node): Map<string, Property> | undefined {
    if (node.type !== 'object') return undefined;
    let properties = this.properties.get(node);
    if (!properties) {
      properties = effectiveProperties(node);
      this.properties.set(node, properties);
    }
    return properties;
  }
}
