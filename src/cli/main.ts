// The `omni` command line: the same core as the extension, without VS Code.
import { commands } from './commands';

const usage = `usage: omni <command> [options]

commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(7)} ${command.summary}`)
  .join('\n')}

Run "omni <command> --help" for its options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`omni: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`omni: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
