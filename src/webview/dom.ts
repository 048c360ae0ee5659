/** Tiny DOM builders: text always goes in as text nodes, so nothing here is ever parsed as HTML. */

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | boolean | undefined>;

/** Creates `<tag>` with attributes (`true` → present, `false`/`undefined` → absent) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  append(element, children);
  return element;
}

/** Appends children, skipping empty ones. */
function append(parent: Element, children: Child[]): void {
  for (const child of children) if (child !== null && child !== undefined && child !== false) parent.append(child);
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
