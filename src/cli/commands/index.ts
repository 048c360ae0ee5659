/** Every `omni` sub-command, by name. Each lives in its own module and returns an exit code. */
import { ask } from './ask';
import { check } from './check';
import { evalCommand } from './eval';
import { init } from './init';
import { route } from './route';
import { test } from './test';

export interface CliCommand {
  summary: string;
  /** Handles Ctrl-C itself, as `ask` does (it cancels the request and reports that as its outcome). */
  handlesCtrlC?: boolean;
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
  init,
  ask,
  check,
  route,
  eval: evalCommand,
  test,
};
