/**
 * Checks the policy's globs (`rules[].when.files`, `privacy.localOnly`) can match a file: they compile, and they are
 * written the way they are matched, against a workspace-relative path with forward slashes (see fileGlobs.ts).
 */
import picomatch from 'picomatch';
import type { Policy } from './schema';
import type { JsonPath, PolicyProblem } from './problems';

export function checkGlobs(policy: Policy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const check = (globs: readonly string[] | undefined, path: JsonPath) =>
    globs?.forEach((glob, i) => {
      const problem = globProblem(glob);
      if (problem) problems.push({ ...problem, path: [...path, i] });
    });
  policy.rules.forEach((rule, i) => check(rule.when.files, ['rules', i, 'when', 'files']));
  check(policy.privacy?.localOnly, ['privacy', 'localOnly']);
  return problems;
}

/** The worst thing wrong with one glob, if anything: one message per glob is enough to fix it. */
function globProblem(glob: string): Omit<PolicyProblem, 'path'> | undefined {
  const compileError = compileErrorOf(glob);
  const quoted = JSON.stringify(glob);
  if (compileError) {
    return { message: `${quoted} is not a valid glob (${compileError}), so it would never match; check its brackets, braces and parentheses` };
  }
  const stray = strayBracket(glob);
  if (stray) {
    const without = JSON.stringify(glob.slice(0, stray.index) + glob.slice(stray.index + 1));
    return {
      severity: 'warning',
      message: `${quoted} has ${stray.what}, which a glob takes as a literal character, so it matches only file names containing one. Did you mean ${without}?`,
    };
  }
  if (/^(\/|[A-Za-z]:)/.test(glob)) {
    return {
      severity: 'warning',
      message: `${quoted} is an absolute path, which never matches: globs match paths relative to the workspace folder, e.g. "src/**/*.sql"`,
    };
  }
  if (glob.includes('\\')) {
    const forward = JSON.stringify(glob.replace(/\\/g, '/'));
    return {
      severity: 'warning',
      message: `${quoted} has a backslash, which escapes the next character in a glob; use forward slashes: globs match workspace-relative paths with /. Did you mean ${forward}?`,
    };
  }
  if (glob.endsWith('/')) {
    return {
      severity: 'warning',
      message: `${quoted} ends with "/", and globs match file paths, so it matches no file. Did you mean ${JSON.stringify(`${glob}**`)}?`,
    };
  }
  // gitignore habits: there "*.env" matches at any depth, here only at the top of the workspace.
  if (/^\*[^*/]/.test(glob) && !glob.includes('/')) {
    return {
      severity: 'warning',
      message: `${quoted} matches only files at the top of the workspace folder. Did you mean ${JSON.stringify(`**/${glob}`)}?`,
    };
  }
  return undefined;
}

/**
 * A "]" or "}" that closes nothing, or a "[" never closed, and where it is. picomatch compiles these as literal
 * characters without complaint, so a typo such as "**\/*.{ts,tsx}}" silently matches no file.
 */
function strayBracket(glob: string): { index: number; what: string } | undefined {
  let braces = 0;
  let classStart = -1;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '\\') i++;
    else if (classStart >= 0) {
      // The first character of a class may be "]" itself ("[]a]"), as in regular expressions.
      if (char === ']' && i > classStart + 1) classStart = -1;
    } else if (char === '[') classStart = i;
    else if (char === ']') return { index: i, what: 'a "]" that closes no "["' };
    else if (char === '{') braces++;
    else if (char === '}' && braces-- === 0) return { index: i, what: 'a "}" that closes no "{"' };
  }
  return classStart >= 0 ? { index: classStart, what: 'a "[" that no "]" closes' } : undefined;
}

/**
 * Why picomatch cannot compile the glob, or undefined. Without `debug` it would swallow the error and return a
 * regular expression that never matches; matching options do not change whether a glob compiles.
 */
function compileErrorOf(glob: string): string | undefined {
  try {
    picomatch.makeRe(glob, { debug: true });
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const reason = message.slice(message.lastIndexOf(': ') + 2);
    return reason.charAt(0).toLowerCase() + reason.slice(1);
  }
}
