// Bundles the extension host code and the CLI for Node 20 (CommonJS, as VS Code 1.100 loads it),
// the chat webview for the browser, and writes policies/schema.json from the zod schema.
const esbuild = require('esbuild');
const { existsSync } = require('node:fs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // jsonc-parser's UMD entry requires files by computed paths that a bundle cannot follow; its ESM entry bundles.
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const builds = [
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['scripts/gen-schema.ts'], outfile: 'out/gen-schema.js' },
];
if (existsSync('src/extension.ts')) {
  builds.push({ ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
}
if (existsSync('src/webview/main.ts')) {
  builds.push({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'media',
    loader: { '.css': 'css' },
    // The stylesheet's font stays a file of its own beside it (media/fonts), loaded only where a page needs it.
    external: ['*.woff2'],
    // One KaTeX: the markdown plugin requires its CommonJS build and math.ts imports it, which would resolve to its
    // ES module build and bundle a second copy (270 KB).
    alias: { katex: './node_modules/katex/dist/katex.js' },
  });
}

async function main() {
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
    return;
  }
  await Promise.all(builds.map((options) => esbuild.build(options)));
  require('node:child_process').execFileSync(process.execPath, ['out/gen-schema.js'], { stdio: 'inherit' });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
