/** Stage 1 of the router: rules on the editor context, checked in order; the first match decides. */
import type { EditorContext } from '../request';
import { fileMatcher } from '../policy/fileGlobs';
import type { RuleEntry } from '../policy/schema';

export interface RuleMatch {
  /** 1-based, as users count rules in their file. */
  number: number;
  rule: RuleEntry;
  /** e.g. `files **∕*.sql` — what made the rule match, for the decision's reason. */
  summary: string;
}

interface CompiledRule {
  rule: RuleEntry;
  commands?: readonly string[];
  languages?: ReadonlySet<string>;
  files?: (path: string) => boolean;
  summary: string;
}

/** Compiles the globs once per policy, so matching a request is cheap. */
export function compileRules(rules: readonly RuleEntry[]): (editor: EditorContext | undefined) => RuleMatch | undefined {
  const compiled: CompiledRule[] = rules.map((rule) => {
    const { command, languages, files, hasSelection } = rule.when;
    const parts: string[] = [];
    if (command !== undefined) parts.push(`command ${[command].flat().join('|')}`);
    if (languages) parts.push(`language ${languages.join('|')}`);
    if (files) parts.push(`files ${files.join(', ')}`);
    if (hasSelection !== undefined) parts.push(hasSelection ? 'with a selection' : 'without a selection');
    return {
      rule,
      commands: command === undefined ? undefined : [command].flat(),
      languages: languages ? new Set(languages) : undefined,
      files: files ? fileMatcher(files) : undefined,
      summary: parts.join(', '),
    };
  });

  return (editor) => {
    const context = editor ?? {};
    const hasSelection = (context.selection ?? '').trim().length > 0;
    const command = context.command ?? 'chat';
    for (let i = 0; i < compiled.length; i++) {
      const c = compiled[i];
      if (c.commands && !c.commands.includes(command)) continue;
      if (c.languages && !(context.languageId && c.languages.has(context.languageId))) continue;
      if (c.files && !(context.fileName && c.files(context.fileName))) continue;
      if (c.rule.when.hasSelection !== undefined && c.rule.when.hasSelection !== hasSelection) continue;
      return { number: i + 1, rule: c.rule, summary: c.summary };
    }
    return undefined;
  };
}
