/**
 * Checks the names a policy defines and uses: references name something defined, and route names are ones the
 * routers can answer with (zod checks shapes; this checks meaning).
 */
import type { Policy } from './schema';
import type { JsonPath, PolicyProblem } from './problems';
import { NO_ROUTE } from '../router/archRouter/prompt';
import { suggestion } from '../text/suggest';

/** A "Known: …" list names at most this many: a generated policy can define thousands of routes. */
const KNOWN_SHOWN = 10;

export function checkReferences(policy: Policy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const modelNames = Object.keys(policy.models);
  const routeNames = new Set(policy.routes.map((route) => route.name));
  const knownModel = (name: string) => Object.hasOwn(policy.models, name);
  const missingModel = (path: JsonPath, name: string): PolicyProblem => ({
    path,
    message: `no model "${name}" in "models".`,
    hint: () => suggestion(name, modelNames, KNOWN_SHOWN),
  });
  const missingRoute = (path: JsonPath, name: string): PolicyProblem => ({
    path,
    message: `no route "${name}" in "routes".`,
    hint: () => suggestion(name, [...routeNames], KNOWN_SHOWN),
  });

  const firstIndex = new Map<string, number>();
  policy.routes.forEach((route, i) => {
    const earlier = firstIndex.get(route.name);
    if (earlier !== undefined) {
      problems.push({
        path: ['routes', i, 'name'],
        message: `route "${route.name}" is already defined at routes[${earlier}]; route names must be unique`,
      });
    } else firstIndex.set(route.name, i);
    const reserved = reservedNameProblem(route.name);
    if (reserved) problems.push({ ...reserved, path: ['routes', i, 'name'] });
    if (!knownModel(route.model)) problems.push(missingModel(['routes', i, 'model'], route.model));
    route.fallbacks?.forEach((fallback, j, fallbacks) => {
      const path = ['routes', i, 'fallbacks', j];
      const first = fallbacks.indexOf(fallback);
      if (!knownModel(fallback)) problems.push(missingModel(path, fallback));
      else if (fallback === route.model) {
        const message = `"${fallback}" is already the route's model; as a fallback it would only be tried again`;
        problems.push({ path, severity: 'warning', message });
      } else if (first < j) {
        const message = `"${fallback}" is already fallbacks[${first}]; listed again it would only be tried again`;
        problems.push({ path, severity: 'warning', message });
      }
    });
  });

  policy.rules.forEach((rule, i) => {
    if (!routeNames.has(rule.route)) problems.push(missingRoute(['rules', i, 'route'], rule.route));
  });
  if (!routeNames.has(policy.defaultRoute)) problems.push(missingRoute(['defaultRoute'], policy.defaultRoute));
  if (policy.costBaseline !== undefined && !knownModel(policy.costBaseline)) {
    problems.push(missingModel(['costBaseline'], policy.costBaseline));
  }
  if (policy.router.mode === 'arch' && !policy.router.archRouter) {
    problems.push({
      path: ['router', 'mode'],
      message: 'mode "arch" needs "router.archRouter" ({"provider": …, "model": "katanemo/Arch-Router-1.5B"}), or use mode "local"',
    });
  }
  return problems;
}

/**
 * Arch-Router answers "other" when no route fits, and the answer reader takes exactly "other" as "no match" before
 * looking at route names; a route of that name can never be its pick, and one differing in case is easily confused.
 */
function reservedNameProblem(name: string): Omit<PolicyProblem, 'path'> | undefined {
  const rename = `rename it, e.g. "${name}_requests"`;
  if (name === NO_ROUTE) {
    const why = `Arch-Router answers "${NO_ROUTE}" when no route fits, so it could never pick this route`;
    return { message: `a route cannot be named "${NO_ROUTE}": ${why}; ${rename}` };
  }
  if (name.toLowerCase() === NO_ROUTE) {
    const why = `Arch-Router answers "${NO_ROUTE}" when no route fits, and an answer meaning this route may be read as that`;
    return { severity: 'warning', message: `"${name}" differs only in case from "${NO_ROUTE}": ${why}; ${rename}` };
  }
  return undefined;
}

/** The provider names the user's own settings define (with the built-in ones), and where they define more. */
export interface KnownProviders {
  names: readonly string[];
  /** Those on this machine; given, a `privacy.localOnly` policy with no model on one of them gets a warning. */
  local?: readonly string[];
  /** Names the user defined with an invalid entry, with why: said as such, not as "no provider". */
  invalid?: Readonly<Record<string, string>>;
  /** e.g. `the "omni.providers" user setting`. */
  definedIn: string;
}

/**
 * Provider names no provider answers to. A warning, not an error: providers are user-level, so a teammate may have
 * one this machine lacks, and a request to it still falls over to the route's fallbacks.
 */
export function checkProviders(policy: Policy, known: KnownProviders): PolicyProblem[] {
  const uses: Array<{ path: JsonPath; name: string }> = Object.entries(policy.models).map(([alias, model]) => ({
    path: ['models', alias, 'provider'],
    name: model.provider,
  }));
  if (policy.router.archRouter) uses.push({ path: ['router', 'archRouter', 'provider'], name: policy.router.archRouter.provider });
  const problems: PolicyProblem[] = uses
    .filter(({ name }) => !known.names.includes(name))
    .map(({ path, name }) =>
      known.invalid && Object.hasOwn(known.invalid, name)
        ? { path, severity: 'warning' as const, message: `provider "${name}" is not used until its entry in ${known.definedIn} is fixed: ${known.invalid[name]}` }
        : {
            path,
            severity: 'warning' as const,
            message: `no provider "${name}" here: define it in ${known.definedIn}, or use one that exists.`,
            hint: () => suggestion(name, known.names),
          },
    );
  const local = known.local;
  if (local && (policy.privacy?.localOnly ?? []).length > 0 && !Object.values(policy.models).some((model) => local.includes(model.provider))) {
    problems.push({
      path: ['privacy', 'localOnly'],
      severity: 'warning',
      message:
        'no model here is on this machine, so requests about these files cannot be answered at all: add one ' +
        '(e.g. with provider "ollama") and put it in the routes\' "fallbacks".',
    });
  }
  return problems;
}

