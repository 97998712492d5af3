// After tsc: dist/sandbox/server.bundle.js, the server with its start-up imports in one file (plus chunks beside
// it for what loads later). `start` imports it when present: loading ~450 modules one by one (TypeBox alone is
// 218) took most of a cold start. Libraries loaded only on first use stay outside (pg, pdf-lib, YAML, Pact ...).
// esbuild comes with tsx (a dev dependency); without it the build says so and the CLI loads dist/sandbox/server.js.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.log('esbuild not installed: no server bundle (start loads dist/sandbox/server.js)');
  process.exit(0);
}
const out = join('dist', 'sandbox');
for (const f of readdirSync(out)) if (f.startsWith('server.bundle')) rmSync(join(out, f));
await esbuild.build({
  entryPoints: { 'server.bundle': join(out, 'server.js') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: out,
  // Chunks beside the entry: code that finds files from import.meta.url (assets, scenarios) sees dist/sandbox.
  chunkNames: 'server.bundle-[hash]',
  external: [
    'pg',
    'pg-native',
    'pdf-lib',
    '@pdf-lib/*',
    'json-schema-faker',
    'yaml',
    '@pact-foundation/*',
    'ajv',
    'ajv-formats',
    '@odata/parser',
    'jose',
  ],
  // CommonJS dependencies inside an ES module bundle still call require.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
console.log(`bundled the server into ${join(out, 'server.bundle.js')}`);
