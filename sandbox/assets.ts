/**
 * Files the server ships besides code (the PDF font, the inspector's pages, the API reference renderer). The
 * build copies each from its registry package into dist/assets (scripts/copy-assets.mjs), so an installed package
 * needs none of those packages at run time; from source they are read where the package manager put them.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Asset name -> where it comes from: a file in a package (resolved with require), or a path under the repo. */
export const ASSETS: Record<string, { package?: string; file: string }> = {
  'fonts/DejaVuSans.ttf': { package: 'dejavu-fonts-ttf', file: 'ttf/DejaVuSans.ttf' },
  'fonts/DejaVuSans-Bold.ttf': { package: 'dejavu-fonts-ttf', file: 'ttf/DejaVuSans-Bold.ttf' },
  'fonts/LICENSE-DejaVu': { package: 'dejavu-fonts-ttf', file: 'LICENSE' },
  'inspector/index.html': { file: 'sandbox/assets/inspector/index.html' },
  'inspector/app.js': { file: 'sandbox/assets/inspector/app.js' },
  'inspector/app.css': { file: 'sandbox/assets/inspector/app.css' },
  'inspector/favicon.svg': { file: 'sandbox/assets/inspector/favicon.svg' },
  'docs/index.html': { file: 'sandbox/assets/docs/index.html' },
  'docs/init.js': { file: 'sandbox/assets/docs/init.js' },
  'docs/swagger-ui.css': { package: 'swagger-ui-dist', file: 'swagger-ui.css' },
  'docs/swagger-ui-bundle.js': { package: 'swagger-ui-dist', file: 'swagger-ui-bundle.js' },
  'docs/LICENSE-swagger-ui': { package: 'swagger-ui-dist', file: 'LICENSE' },
  // Preloaded into a Node agency by `certify --shim-clock`.
  'certify/clock-shim.mjs': { file: 'sandbox/certify/clock-shim.mjs' },
};

const here = dirname(fileURLToPath(import.meta.url));
/** The package root: two levels up from dist/sandbox/assets.js, one from sandbox/assets.ts. */
const root = existsSync(join(here, '..', 'package.json')) ? resolve(here, '..') : resolve(here, '..', '..');

/** The absolute path of an asset: the built copy when it exists, else the source. */
export function assetPath(name: string): string {
  const built = join(root, 'dist', 'assets', name);
  if (existsSync(built)) return built;
  const spec = ASSETS[name];
  if (!spec) throw new Error(`internal: unknown asset ${name}`);
  if (!spec.package) return join(root, spec.file);
  const require = createRequire(join(root, 'package.json'));
  return join(dirname(require.resolve(`${spec.package}/package.json`)), spec.file);
}
