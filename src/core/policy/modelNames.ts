import type { Policy } from './schema';

/** What people see for a model alias: its `displayName`, else the provider's model id; an unknown alias as it is. */
export function displayName(policy: Policy, alias: string): string {
  const entry = policy.models[alias];
  return entry ? (entry.displayName ?? entry.model) : alias;
}
