/** Validation issues (zod's) as `path: message` lines; an issue about the value as a whole is named `whole`. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], whole: string): string[] {
  return issues.map((issue) => `${issue.path.join('.') || whole}: ${issue.message}`);
}
