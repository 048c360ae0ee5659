/** What zod reports, as far as these messages read it; a bad record key carries the name's own issues. */
interface Issue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  issues?: readonly Issue[];
}

/** Validation issues (zod's) as `path: message` lines; an issue about the value as a whole is named `whole`. */
export function describeIssues(issues: readonly Issue[], whole: string): string[] {
  return issues.map((issue) => `${issue.path.join('.') || whole}: ${messageOf(issue)}`);
}

/** An issue's message without its path. "Invalid key in record" says nothing of the rule the name broke: the name's own issue does. */
export function messageOf(issue: Issue): string {
  const [nameIssue] = issue.code === 'invalid_key' ? (issue.issues ?? []) : [];
  return nameIssue ? `this name is not allowed: ${nameIssue.message}` : issue.message;
}
