// Installs what the tests need, so a fresh machine (CI's included) can run `npm test`: Debian's chromium (the browser
// Playwright drives), ripgrep and libkrb5-dev (code-server's native deps), openssl (a unit test makes a self-signed
// certificate with it), a font with a MATH table (webview tests measure stretched brackets), and
// code-server itself from npm (VS Code 1.100 on Node 20; VS Code proper cannot be downloaded here).
// Idempotent: each step checks first, so a second run only looks and takes about a second.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_SERVER_DIR, CODE_SERVER_VERSION, TMP_DIR } from './paths.mjs';

// @vscode/ripgrep's postinstall (pulled in by this code-server) downloads rg from GitHub unless it finds this archive.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const APT_PACKAGES = ['libkrb5-dev', 'ripgrep', 'chromium', 'openssl', 'fonts-dejavu-extra'];

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function step(name, fn) {
  const t = Date.now();
  const did = fn();
  console.log(`install: ${name}: ${did} (${seconds(t)})`);
}

step('apt', () => {
  const installed = (pkg) =>
    spawnSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', pkg], { encoding: 'utf8' }).stdout?.startsWith('ii');
  const missing = APT_PACKAGES.filter((pkg) => !installed(pkg));
  if (missing.length === 0) return `already installed (${APT_PACKAGES.join(' ')})`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  run('apt-get', ['install', '-y', '-q', ...missing], { env });
  return `installed ${missing.join(' ')}`;
});

step('ripgrep cache', () => {
  const archive = join(TMP_DIR, RIPGREP_CACHE);
  if (existsSync(archive)) return `present at ${archive}`;
  mkdirSync(join(archive, '..'), { recursive: true });
  // The archive must hold `rg` at its root, as the prebuilt release does.
  execFileSync('tar', ['-czf', archive, '-C', '/usr/bin', 'rg']);
  return `wrote ${archive}`;
});

step(`code-server@${CODE_SERVER_VERSION}`, () => {
  const pkg = join(CODE_SERVER_DIR, 'node_modules/code-server/package.json');
  // Its postinstall installs VS Code's own modules, @vscode/ripgrep among them (the download that fails here):
  // without rg an earlier install was cut short, so install again.
  const rg = join(CODE_SERVER_DIR, 'node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg');
  if (existsSync(pkg) && existsSync(rg) && JSON.parse(readFileSync(pkg, 'utf8')).version === CODE_SERVER_VERSION) {
    return `present in ${CODE_SERVER_DIR}`;
  }
  // Its own package.json keeps npm from walking up and installing into the repository's.
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  writeFileSync(join(CODE_SERVER_DIR, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: CODE_SERVER_DIR,
    // npm 11 warns that it does not know unsafe-perm, nodedir and build-from-source: the install scripts, not npm, read them.
    env: {
      ...process.env,
      TMPDIR: TMP_DIR, // where @vscode/ripgrep looks for the cached archive
      npm_config_yes: 'true', // an inner `npx node-gyp` must not stop to ask (CI has no stdin)
      npm_config_unsafe_perm: 'true', // CI runs as root; code-server's postinstall refuses otherwise
      npm_config_nodedir: '/usr', // node-gyp builds against the local Node headers instead of downloading them
      // argon2's install script first tries a prebuilt binary from GitHub; offline it builds from source anyway, so
      // go straight there and never reach outside the npm registry.
      npm_config_build_from_source: 'argon2',
    },
  });
  return `installed into ${CODE_SERVER_DIR}`;
});

console.log(`install: done in ${seconds(started)}`);
