/** Reads Arch-Router's answer, which in practice comes fenced, single-quoted, with literal `\n`, or as a list. */
import { tryJson } from '../../text/tryJson';
import { NO_ROUTE } from './prompt';

export type ArchRouterVerdict =
  | { kind: 'route'; route: string }
  | { kind: 'no-match'; answered: string }
  | { kind: 'unparseable'; raw: string };

/** The route names the answer names, in order; undefined when the text holds no `route` at all. */
export function extractRouteNames(raw: string): string[] | undefined {
  const text = raw
    .trim()
    .replace(/\\n/g, '\n')
    .replace(/^```[a-zA-Z]*\s*/, '')
    .replace(/\s*```$/, '')
    .trim();
  const fromJson = routeField(tryJson(text)) ?? routeField(tryJson(text.replace(/'/g, '"')));
  if (fromJson) return fromJson;
  const match = /["']route["']\s*:\s*(\[[^\]]*\]|"[^"]*"|'[^']*')/.exec(text);
  if (match) {
    const value = match[1];
    if (value.startsWith('[')) return [...value.matchAll(/["']([^"']*)["']/g)].map((m) => m[1]);
    return [value.slice(1, -1)];
  }
  return undefined;
}

/** Matches the answer against the policy's routes: exact name first, then ignoring case and spaces. */
export function readVerdict(raw: string, routeNames: readonly string[]): ArchRouterVerdict {
  let names = extractRouteNames(raw);
  if (names === undefined) {
    const bare = raw.trim().replace(/^["'`]+|["'`.]+$/g, '');
    if (!/^[\w.-]+$/.test(bare)) return { kind: 'unparseable', raw };
    names = [bare];
  }
  const first = names.map((n) => n.trim()).find((n) => n.length > 0);
  if (first === undefined || first === NO_ROUTE) return { kind: 'no-match', answered: first ?? '' };
  const exact = routeNames.find((name) => name === first);
  if (exact) return { kind: 'route', route: exact };
  const loose = (s: string) => s.toLowerCase().replace(/[\s-]+/g, '_');
  const near = routeNames.find((name) => loose(name) === loose(first));
  return near ? { kind: 'route', route: near } : { kind: 'no-match', answered: first };
}

function routeField(value: unknown): string[] | undefined {
  if (typeof value !== 'object' || value === null || !('route' in value)) return undefined;
  const route = (value as { route: unknown }).route;
  if (typeof route === 'string') return [route];
  if (Array.isArray(route)) return route.filter((r): r is string => typeof r === 'string');
  return undefined;
}
