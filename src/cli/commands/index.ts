/** Every `omni` sub-command, by name. Each lives in its own module and returns an exit code. */
export interface CliCommand {
  summary: string;
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {};
