// node scripts/install-size.mjs [package.json]: what an SDK-only consumer downloads, measured offline: the packed
// tarball plus the installed size of the production dependency closure (as resolved in this node_modules;
// optional peers are not installed for a consumer that does not ask for them).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, lstatSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve('.');
const manifest = JSON.parse(readFileSync(process.argv[2] ?? join(root, 'package.json'), 'utf8'));

function dirSize(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    total += e.isDirectory() ? dirSize(p) : lstatSync(p).size;
  }
  return total;
}

/** The folder node would load `name` from, starting at `from` (walking up node_modules folders). */
function locate(name, from) {
  for (let d = from; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (d === dirname(d)) return undefined;
  }
}

const seen = new Map();
function walk(name, from) {
  const dir = locate(name, from);
  if (!dir || seen.has(dir)) return;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  seen.set(dir, name);
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) walk(dep, dir);
}
for (const dep of Object.keys(manifest.dependencies ?? {})) walk(dep, root);

// A folder nested inside another counted folder is already in that folder's size.
const dirs = [...seen.keys()].sort();
const top = dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(`${o}/`)));
const deps = top.reduce((s, d) => s + dirSize(d), 0);
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
)[0];
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
const heaviest = top
  .map((d) => [seen.get(d), dirSize(d)])
  .sort((a, b) => b[1] - a[1])
  .slice(0, 6);
console.log(
  JSON.stringify(
    {
      packages: seen.size,
      dependenciesBytes: deps,
      tarballBytes: packed.size,
      unpackedBytes: packed.unpackedSize,
      total: mb(deps + packed.unpackedSize),
      heaviest: heaviest.map(([n, s]) => `${n} ${mb(s)}`),
    },
    null,
    2,
  ),
);
