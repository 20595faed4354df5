// Builds the live page into the bridge's resources (served from the jar at GET /). Deterministic: the same sources
// and package-lock give the same bytes, so CI rebuilds it and checks the committed copy is what the sources make.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

const out = '../src/main/resources/dashboard';
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/assets`, { recursive: true });
await build({
  entryPoints: { app: 'src/main.js' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  outdir: `${out}/assets`,
  legalComments: 'eof',
  logLevel: 'warning',
});
copyFileSync('index.html', `${out}/index.html`);
