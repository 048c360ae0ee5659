// The `omni` command line: the same core as the extension, without VS Code.
import { version } from '../../package.json';
import { UsageError } from './args';
import { commands } from './commands';
import { EXIT_CANCELLED, failureJson, printErrorLine, printLine } from './terminal';

const usage = `usage: omni <command> [options]
       omni --version

commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(7)} ${command.summary}`)
  .join('\n')}

Run "omni <command> --help" (or "omni help <command>") for its options.

Exit codes: 0 done; 1 a problem in what the command read or did (a policy, examples, data or providers file that
is missing or has errors, a failed example, a model that did not answer); 2 a mistake in the command line itself
(an unknown command or option, a missing or extra argument, a value an option does not take); 130 Ctrl-C.
With --json, a run that fails before printing its result ends with {"ok": false, "exitCode", "error"}.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    printLine(usage);
    return 0;
  }
  // `omni help eval`, as git and npm take it: the command's own --help.
  if (name === 'help' && rest.length === 1 && commands[rest[0]!]) return commands[rest[0]!]!.run(['--help']);
  if (name === '--version' || name === '-V') {
    printLine(version);
    return 0;
  }
  // A usage error: on stderr, so that `omni > out.txt` in a script does not take it for output.
  if (!name) {
    printErrorLine(usage);
    return 2;
  }
  const command = commands[name];
  if (!command) {
    printErrorLine(`omni: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  // Killed by the signal, `omni eval --json` waiting on a slow Arch-Router would end without the JSON line a script reads.
  if (!command.handlesCtrlC && wantsJson(rest)) {
    process.once('SIGINT', () => {
      printErrorLine('omni: cancelled (Ctrl-C)');
      const failure = failureJson(EXIT_CANCELLED);
      if (failure) printLine(failure);
      process.exit(EXIT_CANCELLED);
    });
  }
  return command.run(rest);
}

/** `--json` among the options, where an option may stand (before a `--` that ends them). */
function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

const argv = process.argv.slice(2);
main(argv)
  .catch((error: unknown) => {
    printErrorLine(`omni: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? 2 : 1;
  })
  .then((code) => {
    const failure = code !== 0 && wantsJson(argv) ? failureJson(code) : undefined;
    if (failure) printLine(failure);
    process.exitCode = code;
  });
