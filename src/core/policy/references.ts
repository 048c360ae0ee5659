/** Checks that the names a policy uses refer to things it defines (zod checks shapes; this checks meaning). */
import type { Policy } from './schema';
import type { PolicyProblem } from './parse';
import { suggestion } from '../text/suggest';

export function checkReferences(policy: Policy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const modelNames = Object.keys(policy.models);
  const routeNames = policy.routes.map((route) => route.name);
  const knownModel = (name: string) => Object.hasOwn(policy.models, name);
  const knownRoute = (name: string) => routeNames.includes(name);
  const missingModel = (name: string) => `no model "${name}" in "models".${suggestion(name, modelNames)}`;
  const missingRoute = (name: string) => `no route "${name}" in "routes".${suggestion(name, routeNames)}`;

  const firstIndex = new Map<string, number>();
  policy.routes.forEach((route, i) => {
    const earlier = firstIndex.get(route.name);
    if (earlier !== undefined) {
      problems.push({
        path: ['routes', i, 'name'],
        message: `route "${route.name}" is already defined at routes[${earlier}]; route names must be unique`,
      });
    } else firstIndex.set(route.name, i);
    if (!knownModel(route.model)) problems.push({ path: ['routes', i, 'model'], message: missingModel(route.model) });
    route.fallbacks?.forEach((fallback, j) => {
      if (!knownModel(fallback)) problems.push({ path: ['routes', i, 'fallbacks', j], message: missingModel(fallback) });
      else if (fallback === route.model) {
        problems.push({
          path: ['routes', i, 'fallbacks', j],
          severity: 'warning',
          message: `"${fallback}" is already the route's model; as a fallback it would only be tried again`,
        });
      }
    });
  });

  policy.rules.forEach((rule, i) => {
    if (!knownRoute(rule.route)) problems.push({ path: ['rules', i, 'route'], message: missingRoute(rule.route) });
  });
  if (!knownRoute(policy.defaultRoute)) problems.push({ path: ['defaultRoute'], message: missingRoute(policy.defaultRoute) });
  if (policy.costBaseline !== undefined && !knownModel(policy.costBaseline)) {
    problems.push({ path: ['costBaseline'], message: missingModel(policy.costBaseline) });
  }
  if (policy.router.mode === 'arch' && !policy.router.archRouter) {
    problems.push({
      path: ['router', 'mode'],
      message: 'mode "arch" needs "router.archRouter" ({"provider": …, "model": "katanemo/Arch-Router-1.5B"}), or use mode "local"',
    });
  }
  return problems;
}
