// Where the harness keeps what it installs and what it leaves behind; shared by install, run, ui and start.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const CODE_SERVER_VERSION = '4.100.3'; // VS Code 1.100.3; newer code-server needs Node 22+
export const CODE_SERVER_DIR = join(ROOT, '.vscode-test/code-server');
export const codeServerEntry = join(CODE_SERVER_DIR, 'node_modules/code-server/out/node/entry.js');
export const TMP_DIR = join(ROOT, '.vscode-test/tmp'); // git-ignored, inside the checkout
export const ARTIFACTS_DIR = join(ROOT, '.artifacts');
export const SAMPLE_WORKSPACE = join(ROOT, 'sample-workspace');
