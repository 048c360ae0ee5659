/** `omni init`: writes `.omni/policies.json` from a shipped template, as "Omni: Create Policy" does in VS Code. */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MAX_POLICY_SIZE } from '../../core/policy/parse';
import { isBlankPolicy, templates, templateText, type TemplateName } from '../../core/policy/templates';
import { describeFileError } from '../../core/storage/fileErrors';
import { readFileUpTo } from '../../core/storage/readFileUpTo';
import { parseCommandArgs, UsageError } from '../args';
import { printErrorLine, printLine } from '../terminal';
import type { CliCommand } from './index';

const names = Object.keys(templates) as TemplateName[];

const usage = `usage: omni init [--template NAME]

Writes .omni/policies.json in the current folder from a template, then says what to do next. Never overwrites
a policy; an empty file is filled.
  --template NAME      ${names.map((name) => `${name} (${templates[name].label})`).join(', ')}; default: default`;

export const init: CliCommand = {
  summary: 'create .omni/policies.json here from a template',
  async run(args) {
    const parsed = parseCommandArgs(args, { template: { type: 'string' } }, usage, { command: 'init', max: 0, what: 'no arguments' });
    if (!parsed) return 0;
    const template = parsed.values.template ?? 'default';
    if (!names.includes(template as TemplateName)) throw new UsageError(`--template must be one of ${names.join(', ')} (got "${template}")`);
    const folder = join(process.cwd(), '.omni');
    const file = join(folder, 'policies.json');
    const shown = relative(process.cwd(), file);
    // Something other than a folder at .omni, or a folder at policies.json, would fail the write with a bare EEXIST.
    const inTheWay =
      existsSync(folder) && !statSync(folder).isDirectory() ? '.omni is a file'
      : existsSync(file) && statSync(file).isDirectory() ? `${shown} is a folder`
      : undefined;
    if (inTheWay) {
      printErrorLine(`omni: ${inTheWay}, where init would write the policy file ${shown}; move or remove it, then run "omni init" again`);
      return 1;
    }
    const exists = existsSync(file);
    // A file over the size limit is no blank one; it is not read to find that out.
    const read = exists ? readFileUpTo(file, MAX_POLICY_SIZE) : undefined;
    const blank = read !== undefined && 'bytes' in read && isBlankPolicy(new TextDecoder().decode(read.bytes));
    if (exists && !blank) {
      printErrorLine(`omni: ${shown} already exists; edit it, or run "omni check" to see what it says`);
      return 1;
    }
    try {
      mkdirSync(folder, { recursive: true });
      writeFileSync(file, templateText(template as TemplateName), { flag: blank ? 'w' : 'wx' });
    } catch (error) {
      printErrorLine(`omni: cannot write ${shown}: ${describeFileError(error)}`);
      return 1;
    }
    printLine(`wrote ${shown} (${templates[template as TemplateName].label})`);
    printLine('next: edit its routes and models, then check it with "omni check" and try it with "omni route \'write a CSV parser\'"');
    return 0;
  },
};
