// Copies every asset sandbox/assets.ts names into dist/assets, so the published package carries them.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ASSETS } from '../dist/sandbox/assets.js';

const require = createRequire(import.meta.url);
for (const [name, spec] of Object.entries(ASSETS)) {
  const from = spec.package ? join(dirname(require.resolve(`${spec.package}/package.json`)), spec.file) : spec.file;
  const to = join('dist', 'assets', name);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}
console.log(`copied ${Object.keys(ASSETS).length} assets to dist/assets`);
