/**
 * The packed package works from a separate project: `npm pack`, unpack into a fresh project's node_modules
 * (its dependencies linked from ours: no network), import inkasso-sandbox/sdk, /msw and /pact at run time,
 * and type-check a consumer file against the shipped declarations. The README's two SDK snippets, taken from
 * README.md itself, compile under `tsc --init`'s defaults and pass under vitest in a fresh CommonJS project and a
 * fresh ESM project (issue 10 item 15).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startServer } from '../../sandbox/server.js';

const root = resolve('.');
let dir: string;
let project: string;
let tarball: string;
// Compiling, packing and linting take what a loaded machine needs: generous bounds, never a tight one.
const SLOW = 600_000;

async function linkDependencies(target: string): Promise<void> {
  for (const name of await readdir(join(root, 'node_modules'))) {
    if (name === '.bin' || name === 'inkasso-sandbox' || name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      await mkdir(join(target, name), { recursive: true });
      for (const sub of await readdir(join(root, 'node_modules', name))) await symlink(join(root, 'node_modules', name, sub), join(target, name, sub));
    } else await symlink(join(root, 'node_modules', name), join(target, name));
  }
}

/** The ```ts blocks of the README's "Test your integration" section, as a reader copies them. */
function readmeSnippets(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Test your integration\n');
  expect(start, 'the README has its "Test your integration" section').toBeGreaterThan(0);
  const section = readme.slice(start + 1, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** A fresh project of one kind: package.json as `npm init` writes it (minus fields that do not matter), tsconfig from `tsc --init`, the tarball installed. */
async function freshProject(name: string, type: 'commonjs' | 'module'): Promise<string> {
  const p = join(dir, name);
  const installed = join(p, 'node_modules', 'inkasso-sandbox');
  await mkdir(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  await linkDependencies(join(p, 'node_modules'));
  await writeFile(join(p, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', license: 'ISC', type }, null, 2));
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['--init'], { cwd: p, stdio: 'pipe' });
  return p;
}

/** The environment for a vitest of its own in a consumer project: none of this run's worker variables. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TEST') delete env[k];
  return env;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pack-'));
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  project = join(dir, 'consumer');
  const installed = join(project, 'node_modules', 'inkasso-sandbox');
  await mkdir(installed, { recursive: true });
  tarball = join(dir, packed[0].filename);
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  await linkDependencies(join(project, 'node_modules'));
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
}, SLOW);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the build, the contracts and the scenario catalogue, and no tests', async () => {
    const files = execFileSync('find', ['.', '-type', 'f'], { cwd: join(project, 'node_modules', 'inkasso-sandbox'), encoding: 'utf8' }).split('\n');
    expect(files).toContain('./dist/sdk/index.js');
    expect(files).toContain('./dist/sdk/msw/index.d.ts');
    expect(files).toContain('./dist/sdk/pact/index.js');
    expect(files).toContain('./dist/sdk/pact/index.d.ts');
    expect(files).toContain('./contracts/openapi.json');
    expect(files).toContain('./scenarios/overdue-no-reminders.yaml');
    expect(files.some((f) => f.includes('.test.'))).toBe(false);
  });

  it('publint finds nothing to warn about in the tarball', { timeout: SLOW }, () => {
    const out = execFileSync(join(root, 'node_modules', '.bin', 'publint'), ['run', tarball, '--level', 'warning'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    expect(out).toContain('All good!');
  });

  it('attw: every entry point resolves with types under node16 (ESM) and bundler (the package is ESM-only)', { timeout: SLOW }, () => {
    const out = execFileSync(join(root, 'node_modules', '.bin', 'attw'), [tarball, '--profile', 'esm-only', '--format', 'json'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    // The JSON lists every problem; the esm-only profile (and the exit code, 0 or execFileSync throws) counts only these.
    const problems = Object.values(JSON.parse(out).problems as Record<string, Array<{ resolutionKind: string; entrypoint: string }>>).flat();
    expect(problems.filter((p) => p.resolutionKind === 'node16-esm' || p.resolutionKind === 'bundler')).toEqual([]);
  });

  it('imports inkasso-sandbox/sdk and inkasso-sandbox/msw and runs a flow in msw mode', { timeout: SLOW }, async () => {
    await writeFile(
      join(project, 'run.mjs'),
      `import { setupServer } from 'msw/node';
import { sandboxHandlers } from 'inkasso-sandbox/msw';
import { createSandbox, createAgencyClient, endpointsOf } from 'inkasso-sandbox/sdk';
const sandbox = await sandboxHandlers();
const server = setupServer(...sandbox.handlers);
server.listen();
const client = await createSandbox({ baseUrl: sandbox.baseUrl }).clients.create({ name: 'Packed AS', startDate: '2026-01-05' });
const customer = await client.customers.create({ name: 'Ola AS' });
await client.invoices.create({ customerId: customer.id, amount: 100, invoiceDate: '2025-12-22', dueDate: '2026-01-05' });
await client.clock.advance({ days: 14 });
await client.collection.approve({ all: true });
const agency = createAgencyClient(endpointsOf(client.view));
const scenarios = await createSandbox({ baseUrl: sandbox.baseUrl }).scenarios();
console.log(JSON.stringify({ available: (await agency.debtCollection.availableInvoices()).count, scenarios: scenarios.length }));
server.close();
await sandbox.close();
`,
    );
    const out = execFileSync('node', ['run.mjs'], { cwd: project, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result.available).toBe(1);
    expect(result.scenarios).toBeGreaterThan(20);
  });

  it('imports inkasso-sandbox/pact: the options for pact-js\'s Verifier, a handler for any state name, the state-change URL', { timeout: SLOW }, async () => {
    await writeFile(
      join(project, 'pact.mjs'),
      `import { pactVerifierOptions, pactStateChangeOptions, pactStateChangeUrl, PROVIDER_STATE_NAMES } from 'inkasso-sandbox/pact';
const options = pactVerifierOptions({ sandboxUrl: 'http://localhost:4010/' });
const viaUrl = pactStateChangeOptions({ sandboxUrl: 'http://localhost:4010', session: 'ci-42' });
console.log(JSON.stringify({
  provider: options.provider,
  providerBaseUrl: options.providerBaseUrl,
  filter: typeof options.requestFilter,
  inline: typeof options.stateHandlers['an approved invoice 10001 of 1250 NOK exists'].setup,
  states: PROVIDER_STATE_NAMES.length,
  url: pactStateChangeUrl('http://localhost:4010'),
  setupUrl: viaUrl.providerStatesSetupUrl,
}));
`,
    );
    const out = execFileSync('node', ['pact.mjs'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
      provider: 'PowerOffice Go',
      providerBaseUrl: 'http://localhost:4010',
      filter: 'function',
      inline: 'function',
      states: 11,
      url: 'http://localhost:4010/_sandbox/pact/state',
      setupUrl: 'http://localhost:4010/_sandbox/pact/state?session=ci-42',
    });
  });

  it('type-checks a consumer against the shipped declarations', { timeout: SLOW }, async () => {
    await writeFile(
      join(project, 'check.ts'),
      `import { createAgencyClient, createSandbox, odataFilter, ApiError, POWEROFFICE, sandboxEndpoints, type AgencyEndpoints, type DebtCollectionInvoice, type InvoiceView } from 'inkasso-sandbox/sdk';
import { sandboxHandlers, type SandboxHandlers } from 'inkasso-sandbox/msw';
import { Verifier } from '@pact-foundation/pact';
import { pactVerifierOptions, pactStateChangeOptions, type StateValues } from 'inkasso-sandbox/pact';
export function pipeline(sandboxUrl: string): Verifier[] {
  const values: Partial<StateValues<'an approved invoice {invoiceNo} of {amount} NOK exists'>> = { invoiceNo: 10001 };
  void values;
  return [
    new Verifier({ ...pactVerifierOptions({ sandboxUrl }), pactBrokerUrl: 'https://broker.example', consumerVersionSelectors: [{ mainBranch: true }], publishVerificationResult: true, providerVersion: '1.0.0' }),
    new Verifier({ ...pactStateChangeOptions({ sandboxUrl, session: 'ci' }), pactUrls: ['pacts/agency.json'] }),
  ];
}
export async function poll(baseUrl: string): Promise<number> {
  const endpoints: AgencyEndpoints = baseUrl ? sandboxEndpoints(baseUrl) : POWEROFFICE;
  const agency = createAgencyClient({ endpoints, applicationKey: 'a', clientKey: 'c', subscriptionKey: 's' });
  const filter: string = odataFilter<DebtCollectionInvoice>({ remainingAmount: { gt: 100 } });
  const page = await agency.debtCollection.availableInvoices({ $filter: filter });
  const first: DebtCollectionInvoice | undefined = page.data[0];
  const view: InvoiceView | undefined = undefined;
  void view;
  try {
    await agency.debtCollection.createCase({ code: 'K-1', invoices: first ? [first.id] : [] });
  } catch (e) {
    if (e instanceof ApiError) return e.status;
  }
  const sandbox: SandboxHandlers = await sandboxHandlers();
  await createSandbox({ baseUrl: sandbox.baseUrl }).clients.create({ name: 'x' });
  return page.count;
}
`,
    );
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['check.ts'] }),
    );
    expect(() => execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
  });
});

describe('the README SDK snippets, as pasted', () => {
  const snippets = readmeSnippets();
  const RUNNING_URL = 'http://localhost:4010';

  it('are two complete vitest files: the running-sandbox one and the msw one that closes msw and the sandbox', () => {
    expect(snippets).toHaveLength(2);
    const [running, msw] = snippets as [string, string];
    for (const s of snippets) {
      expect(s).toMatch(/^import \{[^}]*\btest\b[^}]*\} from 'vitest';/);
      expect(s).toMatch(/^test\('/m);
    }
    expect(running.split(RUNNING_URL)).toHaveLength(2);
    expect(msw).toMatch(/afterAll\(async \(\) => \{\n\s+server\.close\(\);\n\s+await sandbox\.close\(\);/);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).peerDependencies.msw, 'msw is a peer: one copy, one set of types').toBeDefined();
  });

  // In a CommonJS project (what `npm init` makes) `tsc --init`'s verbatimModuleSyntax refuses `import` in a .ts file:
  // the README says to name the file .mts there.
  const kinds = [
    { kind: 'ESM', type: 'module', ext: '.test.ts' },
    { kind: 'CommonJS', type: 'commonjs', ext: '.test.mts' },
  ] as const;
  const projects: Record<string, string> = {};
  let url = '';
  let server: Awaited<ReturnType<typeof startServer>> | undefined;

  beforeAll(async () => {
    server = await startServer({ memory: true, port: 0, rateLimits: false });
    url = server.url;
    for (const { kind, type, ext } of kinds) {
      const p = (projects[kind] = await freshProject(`snippets-${type}`, type));
      await writeFile(join(p, `running${ext}`), snippets[0]!.replace(RUNNING_URL, url));
      await writeFile(join(p, `msw${ext}`), snippets[1]!);
    }
  }, SLOW);

  afterAll(async () => {
    await server?.close();
  });

  it.each(kinds)('$kind project: both compile under tsc --init defaults (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, verbatimModuleSyntax)', async ({ kind }) => {
    const tsconfig = await readFile(join(projects[kind]!, 'tsconfig.json'), 'utf8');
    expect(tsconfig).toMatch(/"noUncheckedIndexedAccess": true/);
    // --noEmit only keeps the compiled files out of vitest's way; the checks are tsconfig's.
    await expect(promisify(execFile)(join(root, 'node_modules', '.bin', 'tsc'), ['-p', '.', '--noEmit'], { cwd: projects[kind]! })).resolves.toBeDefined();
  }, SLOW);

  it.each(kinds)('$kind project: both pass under vitest (the first against a running sandbox, the second in msw mode)', async ({ kind }) => {
    const p = projects[kind]!;
    const bin = join(root, 'node_modules', '.bin', 'vitest');
    // A loaded machine: the bounds are generous, the snippets themselves are unchanged.
    await promisify(execFile)(bin, ['run', '--testTimeout=600000', '--hookTimeout=600000', '--reporter=json', '--outputFile=results.json'], { cwd: p, env: childEnv() }).catch((e: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`vitest failed in the ${kind} project: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    });
    const results = JSON.parse(await readFile(join(p, 'results.json'), 'utf8')) as { testResults: Array<{ name: string; assertionResults: Array<{ title: string; status: string }> }> };
    const outcomes = results.testResults.flatMap((f) => f.assertionResults.map((a) => `${f.name.slice(p.length + 1)}: ${a.status}`)).sort();
    expect(outcomes).toEqual(kinds.filter((k) => k.kind === kind).flatMap(({ ext }) => [`msw${ext}: passed`, `running${ext}: passed`]));
  }, SLOW);
});
