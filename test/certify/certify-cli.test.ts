/**
 * `inkasso-sandbox certify` end to end: the real CLI as a child process, which starts the real example agencies as
 * processes of their own on real ports. The careful agency passes every judged check, the careless one fails the
 * checks it should, with messages that say what to fix; the reports are written, the JUnit XML parses and the HTML
 * page shows every check (both read in Chromium). An integration started elsewhere is certified with --base-url and
 * --client. Generous timeouts: a run plays five clock steps and waits for the agency to go quiet after each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../sandbox/server.js';
import { agencyEndpoints } from '../../sandbox/certify/endpoints.js';
import { CHECKS } from '../../sandbox/certify/checks.js';
import type { CertifyReport } from '../../sandbox/certify/types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = ['--import', 'tsx', join(ROOT, 'sandbox', 'cli.ts'), 'certify'];
const CAREFUL = `node ${JSON.stringify(join(ROOT, 'examples', 'careful-agency', 'agency.mjs'))}`;
const CARELESS = `node ${JSON.stringify(join(ROOT, 'examples', 'careless-agency', 'agency.mjs'))}`;
const RUN_TIMEOUT = 600_000;

function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AGENCY_POLL_MS: '200' };
  for (const k of Object.keys(env)) if (k === 'PORT' || k === 'HOST' || k.startsWith('SANDBOX_') || k.startsWith('POWEROFFICE_') || k.startsWith('INKASSO_')) delete env[k];
  return { ...env, ...extra };
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function certify(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  const p = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: cleanEnv(env), stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      fail(new Error(`certify ${args.join(' ')} did not finish; stdout: ${stdout}; stderr: ${stderr}`));
    }, RUN_TIMEOUT - 10_000);
    p.once('exit', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}

let dir: string;
let browser: Browser;
// The two example runs mostly wait for quiet: start both at once and let each describe await its own.
let carefulRun: Promise<Finished>;
let carelessRun: Promise<Finished>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certify-test-'));
  carefulRun = certify(['--agency-cmd', CAREFUL, '--junit', join(dir, 'careful.xml'), '--html', join(dir, 'careful.html'), '--json', join(dir, 'careful.json')]);
  carelessRun = certify(['--agency-cmd', CARELESS, '--junit', join(dir, 'careless.xml'), '--html', join(dir, 'careless.html'), '--json', join(dir, 'careless.json'), '--step-timeout', '20']);
  // Neither may reject unobserved while the other is awaited.
  carefulRun.catch(() => undefined);
  carelessRun.catch(() => undefined);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

const verdicts = (r: CertifyReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.verdict]));
const failed = (r: CertifyReport) => r.checks.filter((c) => c.verdict === 'fail').map((c) => c.id).sort();

/** The JUnit file as Chromium's XML parser reads it: a parse error shows up as a <parsererror> element. */
async function parseJunit(file: string) {
  const page = await browser.newPage();
  try {
    return await page.evaluate((text) => {
      // In the page, where the DOM exists (the test's own types have no DOM).
      const doc: any = new (globalThis as any).DOMParser().parseFromString(text, 'application/xml');
      if (doc.getElementsByTagName('parsererror').length) return { error: doc.getElementsByTagName('parsererror')[0]!.textContent };
      const suite = doc.getElementsByTagName('testsuite')[0]!;
      return {
        error: null,
        tests: Number(suite.getAttribute('tests')),
        failures: Number(suite.getAttribute('failures')),
        cases: [...doc.getElementsByTagName('testcase')].map((c: any) => ({ name: c.getAttribute('name')!, failure: c.getElementsByTagName('failure')[0]?.getAttribute('message') ?? null, skipped: c.getElementsByTagName('skipped').length > 0 })),
      };
    }, await readFile(file, 'utf8'));
  } finally {
    await page.close();
  }
}

/** The HTML report as a person sees it: one row per check with its verdict. */
async function readHtml(file: string) {
  const page = await browser.newPage();
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) outside.push(r.url());
  });
  try {
    await page.goto(pathToFileURL(file).href);
    const rows = await page.$$eval('tbody tr', (trs) => trs.map((tr) => ({ id: tr.id, verdict: tr.querySelector('.verdict')!.textContent!.trim(), text: (tr as any).innerText })));
    return { title: await page.title(), rows, outside };
  } finally {
    await page.close();
  }
}

describe('the careful agency', () => {
  let result: Finished;
  let report: CertifyReport;
  beforeAll(async () => {
    result = await carefulRun;
    report = JSON.parse(await readFile(join(dir, 'careful.json'), 'utf8'));
  }, RUN_TIMEOUT);

  it('passes every judged check and exits 0', () => {
    expect(result.stderr).toContain('step 5/5 settlement');
    expect(failed(report)).toEqual([]);
    expect(result.code).toBe(0);
    // v1-refresh is judged once the sandbox hands out v1 refresh tokens; every other check is judged now.
    const v = verdicts(report);
    for (const c of CHECKS) expect(v[c.id], c.id).toBe(c.id === 'v1-refresh' && v[c.id] === 'skip' ? 'skip' : 'pass');
    expect(result.stdout).toMatch(/16 checks|passed, 0 failed/);
  });

  it('was served every trap: a 429, a v1 failure with HTTP 200, a lost answer, and it read back', () => {
    const evidence = (id: string) => report.checks.find((c) => c.id === id)!.evidence.join('\n');
    expect(evidence('retry-after')).toMatch(/-> 429 .*next call \d+\.\d+ s later/);
    expect(evidence('v1-success-false')).toMatch(/UpdateStatus -> 200 .*injected fault/);
    expect(evidence('read-back-after-drop')).toMatch(/answer lost after the write/);
    expect(evidence('read-back-after-drop')).toMatch(/bank journals for the collection: 1/);
    expect(evidence('rejected-case')).toMatch(/rejected at/);
  });

  it('writes a JUnit file that parses, one test case per check, none failing', async () => {
    const junit = await parseJunit(join(dir, 'careful.xml'));
    expect(junit.error).toBeNull();
    expect(junit.tests).toBe(CHECKS.length);
    expect(junit.failures).toBe(0);
    expect(junit.cases!.map((c) => c.name.split(':')[0])).toEqual(CHECKS.map((c) => c.id));
  });

  it('writes an HTML report that shows every check and loads nothing from outside', async () => {
    const html = await readHtml(join(dir, 'careful.html'));
    expect(html.title).toMatch(/all judged checks passed/);
    expect(html.rows.map((r) => r.id)).toEqual(CHECKS.map((c) => `check-${c.id}`));
    expect(html.rows.filter((r) => r.verdict === 'FAIL')).toEqual([]);
    expect(html.outside).toEqual([]);
  });
});

describe('the careless agency', () => {
  let result: Finished;
  let report: CertifyReport;
  beforeAll(async () => {
    result = await carelessRun;
    report = JSON.parse(await readFile(join(dir, 'careless.json'), 'utf8'));
  }, RUN_TIMEOUT);

  it('fails exactly the checks its shortcuts break, and exits 1', () => {
    expect(result.code).toBe(1);
    const expected = [
      'changed-since',
      'direct-payment',
      'one-case-per-customer',
      'read-back-after-drop',
      'rejected-case',
      'retry-after',
      'sandbox-clock',
      'settlement-balanced',
      'status-updates',
      'token-reuse',
      'v1-success-false',
      'write-off-not-payment',
    ];
    // Portability warnings depend on what the sandbox warns about, v1-refresh on whether it issues refresh tokens
    // (asserted below); every other check has a fixed verdict.
    expect(failed(report).filter((id) => id !== 'portability' && id !== 'v1-refresh')).toEqual(expected);
    expect(verdicts(report)).toMatchObject({ 'pickup-2h': 'pass', 'credit-note': 'pass' });
    if (report.checks.find((c) => c.id === 'v1-refresh')!.verdict !== 'skip') expect(verdicts(report)['v1-refresh']).toBe('fail');
  });

  it('tells its developer what to fix, check by check', () => {
    const message = (id: string) => report.checks.find((c) => c.id === id)!.message;
    expect(message('token-reuse')).toMatch(/fetched while the previous one was still valid.*Cache the access token/);
    expect(message('one-case-per-customer')).toMatch(/hold invoices of one customer.*one case per customer/);
    expect(message('write-off-not-payment')).toMatch(/was closed after the client wrote invoice \d+ off.*isWriteOff/);
    expect(message('read-back-after-drop')).toMatch(/booked 2 times after the lost answer.*read back/);
    expect(message('v1-success-false')).toMatch(/success:false and was never sent again.*Check "success"/);
    expect(message('retry-after')).toMatch(/before Retry-After/);
    expect(message('sandbox-clock')).toMatch(/machine clock.*lastChanged.*--shim-clock/);
    expect(message('rejected-case')).toMatch(/no postal address|kept in case/);
    expect(result.stdout).toContain('FAIL  token-reuse');
    expect(result.stdout).toContain('Not certified');
  });

  it('reports the failures in JUnit and HTML', async () => {
    const junit = await parseJunit(join(dir, 'careless.xml'));
    expect(junit.error).toBeNull();
    expect(junit.failures).toBe(report.summary.failed);
    expect(junit.cases!.find((c) => c.name.startsWith('token-reuse'))!.failure).toMatch(/Cache the access token/);
    const html = await readHtml(join(dir, 'careless.html'));
    expect(html.title).toMatch(/\d+ failed/);
    const row = html.rows.find((r) => r.id === 'check-write-off-not-payment')!;
    expect(row.verdict).toBe('FAIL');
    expect(row.text).toMatch(/isWriteOff/);
    expect(html.outside).toEqual([]);
  });
});

describe('an integration started elsewhere (--base-url with --client)', () => {
  let server: RunningServer;
  let agency: ChildProcess | undefined;
  beforeAll(async () => {
    server = await startServer({ memory: true, port: 0 });
  });
  afterAll(async () => {
    if (agency && agency.exitCode === null) {
      agency.kill('SIGTERM');
      await new Promise((ok) => agency!.once('exit', ok));
    }
    await server.close();
  });

  it('certifies the careful agency running against a client of a running sandbox', async () => {
    const created = await fetch(`${server.url}/_sandbox/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Elsewhere AS', startDate: '2026-05-04', settings: { rateLimits: { enabled: false } } }),
    });
    const view = (await created.json()) as any;
    const endpoints = await agencyEndpoints(server.url, view);
    const integration = view.integrations[0];
    const collections = join(dir, 'elsewhere.jsonl');
    await writeFile(collections, '');
    agency = spawn(process.execPath, [join(ROOT, 'examples', 'careful-agency', 'agency.mjs')], {
      env: cleanEnv({
        POWEROFFICE_V1_BASE_URL: endpoints.v1.baseUrl,
        POWEROFFICE_V1_TOKEN_URL: endpoints.v1.tokenUrl,
        POWEROFFICE_V2_BASE_URL: endpoints.v2.baseUrl,
        POWEROFFICE_V2_TOKEN_URL: endpoints.v2.tokenUrl,
        POWEROFFICE_APPLICATION_KEY: integration.applicationKey,
        POWEROFFICE_CLIENT_KEY: integration.clientKey,
        POWEROFFICE_SUBSCRIPTION_KEY: integration.subscriptionKey,
        INKASSO_CERTIFY_COLLECTIONS: collections,
      }),
      stdio: 'ignore',
    });
    const result = await certify(['--base-url', server.url, '--client', view.id, '--collections-file', collections, '--json']);
    const report: CertifyReport = JSON.parse(result.stdout);
    expect(report.clientId).toBe(view.id);
    expect(report.agencyCommand).toBeNull();
    expect(failed(report)).toEqual([]);
    expect(report.summary.passed).toBeGreaterThanOrEqual(CHECKS.length - 1);
    expect(result.code).toBe(0);
    // The kit does not stop what it did not start.
    expect(agency.exitCode).toBeNull();
  }, RUN_TIMEOUT);
});

describe.concurrent('runs that cannot be judged exit 2', () => {
  it('without an agency command or a client', { timeout: RUN_TIMEOUT }, async () => {
    const r = await certify([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--agency-cmd/);
  });

  it('when the agency command dies before it calls', async () => {
    const r = await certify(['--agency-cmd', `node -e "console.error('missing config'); process.exit(3)"`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exited \(code 3\) before it called the sandbox/);
    expect(r.stderr).toContain('missing config');
  }, RUN_TIMEOUT);

  it('when the command starts but never calls', async () => {
    const r = await certify(['--agency-cmd', `node -e "setInterval(() => {}, 1000)"`, '--start-timeout', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing called the sandbox within 2 s/);
  }, RUN_TIMEOUT);
});
