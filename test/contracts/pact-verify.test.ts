/**
 * Provider verification against agencies' pacts: the provider-state catalogue (handlers, descriptions, params,
 * the generated document), hand-written pacts verified green, broken variants failing with exactly what differs,
 * and the `inkasso-sandbox verify` command line with JUnit XML.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import {
  matchStateName,
  PROVIDER_STATE_NAMES,
  PROVIDER_STATES,
  providerStatesMarkdown,
  resolveState,
  type ProviderStateSpec,
} from '../../contracts/provider-states.js';
import { handlerFor, stateHandlers } from '../../contracts/pact/state-handlers.js';
import { ProviderSession } from '../../contracts/pact/session.js';
import { formatReport, junitXml, PactInputError, verifyPacts, verifyPactsIsolated, type VerificationReport } from '../../contracts/pact/verify.js';
import { createSandbox, type Sandbox } from '../../sandbox/server.js';
import { dispatcherFetch } from '../../sandbox/http/fetch.js';
import type { Fetch } from '../../sdk/http.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = join(ROOT, 'test', 'contracts', 'fixtures');
const GOOD = join(FIXTURES, 'kravia-poller.pact.json');
const GOOD_V4 = join(FIXTURES, 'kravia-settlement.v4.json');
const WRONG_TYPE = join(FIXTURES, 'kravia-poller.wrong-type.json');
const WRONG_PATH = join(FIXTURES, 'kravia-poller.wrong-path.json');
const UNKNOWN_STATE = join(FIXTURES, 'kravia-poller.unknown-state.json');
const CREDENTIALS = join(FIXTURES, 'kravia-poller.credentials.json');
const POLL = 'a poll for invoices approved for collection';

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pact-verify-'));
  temps.push(dir);
  return dir;
}
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

const failedOnes = (r: VerificationReport) => r.interactions.filter((i) => i.outcome !== 'passed');

describe('the provider-state catalogue', () => {
  it('has at least 8 states, each with a handler and a description, and no handler without a state', () => {
    expect(PROVIDER_STATE_NAMES.length).toBeGreaterThanOrEqual(8);
    for (const name of PROVIDER_STATE_NAMES) {
      const spec: ProviderStateSpec = PROVIDER_STATES[name];
      expect(typeof stateHandlers[name], `handler for "${name}"`).toBe('function');
      expect(spec.description.trim().length, `description of "${name}"`).toBeGreaterThan(20);
      expect(spec.for.length, `"${name}" names the calls it is for`).toBeGreaterThan(0);
      for (const [key, s] of Object.entries(spec.provides.properties)) expect((s as { description?: string }).description, `${name}: provides ${key}`).toBeTruthy();
      for (const [key, s] of Object.entries(spec.params.properties)) expect((s as { description?: string; default?: unknown }).description ?? (s as { default?: unknown }).default, `${name}: param ${key}`).toBeDefined();
    }
    expect(Object.keys(stateHandlers).sort()).toEqual([...PROVIDER_STATE_NAMES].sort());
  });

  it('names every placeholder as a parameter, and no alias twice', () => {
    const seen = new Set<string>();
    for (const name of PROVIDER_STATE_NAMES) {
      for (const [, key] of name.matchAll(/\{(\w+)\}/g)) expect(PROVIDER_STATES[name].params.properties, `"${name}" {${key}}`).toHaveProperty(key!);
      const spec: ProviderStateSpec = PROVIDER_STATES[name];
      for (const n of [name, ...(spec.aliases ?? [])]) {
        expect(seen.has(n.toLowerCase()), n).toBe(false);
        seen.add(n.toLowerCase());
      }
    }
  });

  it('resolves a state written as the sentence with params, with the values inline, or by an alias', () => {
    expect(resolveState('an approved invoice {invoiceNo} of {amount} NOK exists', { invoiceNo: 10001, amount: 1250 })).toMatchObject({
      name: 'an approved invoice {invoiceNo} of {amount} NOK exists',
      params: { invoiceNo: 10001, amount: 1250, daysOverdue: 14, customerHasAddress: true },
      title: 'an approved invoice 10001 of 1250 NOK exists',
    });
    expect(resolveState('an approved invoice 10002 of 99.5 NOK exists', undefined).params).toMatchObject({ invoiceNo: 10002, amount: 99.5 });
    expect(resolveState('An  approved invoice exists', { amount: 10 }).params).toMatchObject({ amount: 10 });
    expect(resolveState('an invoice 45 days overdue', {}).params).toEqual({ days: 45, amount: 1250 });
    expect(matchStateName('an invoice ready for collection')).toBeUndefined();
  });

  it('refuses parameters of the wrong type, unknown ones, and inline values that contradict params, naming what it takes', () => {
    expect(() => resolveState('an approved invoice exists', { amount: '1250 kr' })).toThrow(/amount must be number .*not "1250 kr"/);
    expect(() => resolveState('an approved invoice exists', { amount: 12.345 })).toThrow(/amount must have at most two decimals, not 12.345/);
    expect(() => resolveState('a written-off invoice', { colour: 'red' })).toThrow(/colour is not a parameter of this state.*It takes: caseCode: string = "K-8001", amount: number = 2000/);
    expect(() => resolveState('an invoice 30 days overdue', { days: 20 })).toThrow(/days is 30 in the state name but 20 in params/);
    expect(() => resolveState('an invoice sixty days overdue', {})).toThrow(/days must be integer/);
  });

  it('contracts/provider-states.md is the generated document (run npm run contracts:states after changing the catalogue)', async () => {
    expect(await readFile(join(ROOT, 'contracts', 'provider-states.md'), 'utf8')).toBe(providerStatesMarkdown());
  });
});

describe('every state sets up on a fresh client and provides what it promises', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox({ memory: true, strict: true, validateResponses: true });
  });
  afterAll(() => sandbox.close());

  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);

  for (const name of PROVIDER_STATE_NAMES) {
    it(name, async () => {
      const session = new ProviderSession({ baseUrl: 'http://sandbox.in-process', fetch: dispatcherFetch(sandbox.dispatcher) as Fetch, startDate: '2026-01-05' });
      const { params } = resolveState(name, {});
      const values = await handlerFor(name)(session.context(), params);
      const validate = ajv.compile({ ...PROVIDER_STATES[name].provides, additionalProperties: false });
      expect(validate(values), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(session.runs).toHaveLength(1);
      expect(session.runs[0]!.clientId).toBeTruthy();
    });
  }
});

describe('verifying hand-written agency pacts', () => {
  it('a v3 pact an agency wrote for its poller verifies green, every interaction on its own client', async () => {
    // In a child process, as the command line runs it: the Rust core's own log stays out of the test output.
    const report = await verifyPactsIsolated([GOOD], { startDate: '2026-01-05' });
    expect(failedOnes(report), formatReport(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.passed).toBe(13);
    expect(new Set(report.interactions.map((i) => i.clientId)).size).toBe(13);
    const text = formatReport(report);
    expect(text).toContain(`✓ ${POLL} (given an approved invoice 10001 of 1250 NOK exists)`);
    expect(text).toContain('✓ the matched items of a collection invoice (given an open case K-10001 with a direct payment of 500 NOK)');
    expect(text).toContain('✓ settling collected money with a bank journal (given an open case K-10001 for an invoice of 1250 NOK)');
    expect(text).toContain('13 passed, 0 failed');
  });

  it('a wrong field type fails that interaction alone, saying where and what differs', async () => {
    const report = await verifyPactsIsolated([WRONG_TYPE]);
    expect(report.ok).toBe(false);
    expect(report.passed).toBe(12);
    const [failed] = failedOnes(report);
    expect(failed).toMatchObject({ description: POLL, outcome: 'failed', given: 'an approved invoice 10001 of 1250 NOK exists' });
    expect(failed!.mismatches).toEqual([
      expect.objectContaining({
        kind: 'body',
        at: '$.data[0].remainingAmount',
        message: '$.data[0].remainingAmount: expected a string (like "1250.00") but got a number: 1250',
        verifier: "Expected 1250 (Integer) to be the same type as '1250.00' (String)",
      }),
    ]);
    expect(formatReport(report)).toContain(`✗ ${POLL} (given an approved invoice 10001 of 1250 NOK exists)`);
  });

  it('the good pact and its wrong-type copy in one run: the failure is reported on the copy, with its details', async () => {
    const report = await verifyPactsIsolated([GOOD, WRONG_TYPE]);
    expect(report.passed).toBe(25);
    const failed = failedOnes(report);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ file: WRONG_TYPE, description: POLL });
    expect(failed[0]!.mismatches.map((m) => m.at)).toEqual(['$.data[0].remainingAmount']);
  });

  it('replaces only the credentials a request carries: one left out is sent without, and fails as on the real API', async () => {
    const report = await verifyPactsIsolated([CREDENTIALS]);
    expect(report.ok).toBe(false);
    const outcome = Object.fromEntries(report.interactions.map((i) => [i.description, i.outcome]));
    expect(outcome).toEqual({
      'a v1 call with its bearer token': 'passed',
      'a v1 call that forgot its Authorization header': 'failed',
      'a v2 call that forgot its subscription key': 'failed',
      'a v2 token request that forgot its subscription key': 'failed',
      'a v2 call on the v2 host with both credentials': 'passed',
      'a v1 call on the v1 host': 'passed',
    });
    for (const failed of failedOnes(report)) {
      const status = failed.mismatches.find((m) => m.kind === 'status');
      expect(status?.message, failed.description).toBe('status: expected 200 but was 401');
    }
  });

  it('a wrong path fails with the 404, what the sandbox said, and the path it probably meant', async () => {
    const report = await verifyPactsIsolated([WRONG_PATH]);
    expect(report.ok).toBe(false);
    const [failed] = failedOnes(report);
    expect(failed).toMatchObject({ description: POLL, request: { method: 'GET', path: '/DebtCollection/Invoice/AvailableInvoices' } });
    const status = failed!.mismatches.find((m) => m.kind === 'status')!;
    expect(status.message).toBe('status: expected 200 but was 404');
    expect(status.notes).toEqual([
      'the sandbox answered 404: no endpoint GET /DebtCollection/Invoice/AvailableInvoices',
      'did you mean GET /DebtCollection/Invoices/AvailableInvoices?',
    ]);
  });

  it('an unknown provider state stops before anything runs, listing every known state with its parameters', async () => {
    const error = await verifyPacts([UNKNOWN_STATE]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PactInputError);
    const message = (error as Error).message;
    expect(message).toContain('unknown provider state');
    expect(message).toContain('interaction "the matched items of a collection invoice" is given "a case with a payment from the debtor"');
    for (const name of PROVIDER_STATE_NAMES) expect(message).toContain(`"${name}"`);
    expect(message).toContain('params: caseCode: string = "K-10001", amount: number = 500, invoiceAmount: number = 2000');
    expect(message).toContain('params: invoiceNo?: integer, amount: number = 1250');
  });

  it('a provider-state expression the state does not provide stops before running, naming what it does provide', async () => {
    const dir = await tempDir();
    const pact = JSON.parse(await readFile(GOOD, 'utf8'));
    const pdf = pact.interactions.find((i: { description: string }) => i.description.startsWith('the PDF'));
    pdf.request.generators.path.expression = '/DebtCollection/GetInvoicePdf/${caseId}';
    await writeFile(join(dir, 'expr.json'), JSON.stringify(pact));
    await expect(verifyPacts([join(dir, 'expr.json')])).rejects.toThrow(
      /interaction "the PDF of an invoice for the debtor's file" uses \$\{caseId\} in the request path, which its provider state \("an approved invoice exists"\) does not provide; available: clientId, today, now, customerId, customerNo, invoiceId,/,
    );
  });

  it('a folder: pacts of several consumers and spec versions, other JSON skipped; a pending failure does not fail the run', async () => {
    const dir = await tempDir();
    await copyFile(GOOD_V4, join(dir, 'kravia-settlement.json'));
    const pending = JSON.parse(await readFile(GOOD_V4, 'utf8'));
    pending.consumer.name = 'kravia-next';
    pending.interactions = [{ ...pending.interactions[2], key: 'wip', pending: true, description: 'work in progress', response: { status: 200, body: { content: { data: true, success: true }, contentType: 'application/json', encoded: false } } }];
    await writeFile(join(dir, 'kravia-next.json'), JSON.stringify(pending));
    await writeFile(join(dir, 'settings.json'), '{"not": "a pact"}');
    const report = await verifyPactsIsolated([dir]);
    expect(report.pacts.map((p) => [p.consumer, p.specVersion])).toEqual([
      ['kravia-next', '4.0'],
      ['kravia-settlement', '4.0'],
    ]);
    expect(report.skipped).toEqual([`${join(dir, 'settings.json')} (not a pact)`]);
    expect(report.passed).toBe(3);
    expect(report.pending).toBe(1);
    expect(report.ok).toBe(true);
    const wip = report.interactions.find((i) => i.description === 'work in progress')!;
    expect(wip.mismatches.map((m) => m.message)).toContain('$.data: expected true but got false');
  });

  it('an interaction that passes only because the sandbox is lenient passes with its portability warnings listed', async () => {
    const dir = await tempDir();
    const pact = JSON.parse(await readFile(GOOD, 'utf8'));
    pact.interactions = pact.interactions.filter((i: { request: { path: string } }) => i.request.path === '/v2/Customerledger/OpenItems');
    expect(pact.interactions).toHaveLength(1);
    pact.interactions[0].request.query = { ...pact.interactions[0].request.query, onlyOpen: ['true'] };
    await writeFile(join(dir, 'lenient.json'), JSON.stringify(pact));
    const report = await verifyPactsIsolated([join(dir, 'lenient.json')]);
    expect(report.ok, formatReport(report)).toBe(true);
    expect(report.interactions[0]!.warnings).toEqual([
      { code: 'unknown-query-parameter', message: expect.stringContaining('onlyOpen'), evidence: expect.stringContaining('ASP.NET') },
    ]);
    const text = formatReport(report);
    expect(text).toMatch(/⚠ unknown-query-parameter: onlyOpen is not a parameter/);
    expect(text).toContain('1 with portability warnings');
    expect(junitXml(report)).toContain('<system-out>portability warning unknown-query-parameter: onlyOpen');
  });

  it('a state that cannot be set up fails its interaction with the reason', async () => {
    const dir = await tempDir();
    const pact = JSON.parse(await readFile(GOOD, 'utf8'));
    pact.interactions = pact.interactions.filter((i: { description: string }) => i.description === 'the matched items of a collection invoice');
    pact.interactions[0].providerStates[0].params = { caseCode: 'K-1', amount: 5000, invoiceAmount: 100 };
    await writeFile(join(dir, 'too-much.json'), JSON.stringify(pact));
    const report = await verifyPactsIsolated([join(dir, 'too-much.json')]);
    expect(report.ok).toBe(false);
    expect(failedOnes(report)[0]!.mismatches[0]).toMatchObject({
      kind: 'state',
      message: expect.stringContaining('could not be set up: the payment (5000 NOK) is more than the invoice (100 NOK)'),
    });
  });
});

describe('inkasso-sandbox verify (the command line)', () => {
  const CLI = ['--import', 'tsx', join(ROOT, 'sandbox', 'cli.ts'), 'verify'];
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((ok) => {
      execFile(process.execPath, [...CLI, ...args], { cwd: ROOT, env: { ...process.env, PACT_DO_NOT_TRACK: 'true' }, timeout: 600_000 }, (error, stdout, stderr) =>
        ok({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it.concurrent('exits 0 for the good pact and writes one JUnit testcase per interaction', async () => {
    const out = join(await tempDir(), 'reports', 'out.xml');
    const { code, stdout, stderr } = await run([GOOD, '--junit', out]);
    expect(code, stdout + stderr).toBe(0);
    expect(stdout).toContain(`✓ ${POLL} (given an approved invoice 10001 of 1250 NOK exists)`);
    expect(stdout).toContain('13 passed, 0 failed');
    expect(stdout).not.toContain('Verifying a pact between'); // the Rust core's own log stays out of the report
    const xml = await readFile(out, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(13);
    expect(xml).not.toContain('<failure');
    expect(xml).toContain('<testsuites name="inkasso-sandbox verify" tests="13" failures="0"');
  });

  it.concurrent('exits 1 for a mismatch, and the JUnit file names it in a <failure>', async () => {
    const out = join(await tempDir(), 'out.xml');
    const { code, stdout } = await run([WRONG_TYPE, '--junit', out]);
    expect(code).toBe(1);
    expect(stdout).toContain(`✗ ${POLL} (given an approved invoice 10001 of 1250 NOK exists)`);
    expect(stdout).toContain('$.data[0].remainingAmount: expected a string (like "1250.00") but got a number: 1250');
    expect(stdout).toContain('12 passed, 1 failed');
    const xml = await readFile(out, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(13);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toContain('<failure message="$.data[0].remainingAmount: expected a string (like &quot;1250.00&quot;) but got a number: 1250" type="body">');
  });

  it.concurrent('exits 2 for an unknown provider state, with the known states on stderr', async () => {
    const { code, stdout, stderr } = await run([UNKNOWN_STATE]);
    expect(code, stdout).toBe(2);
    expect(stderr).toContain('cannot verify: unknown provider state');
    expect(stderr).toContain('"a case with a payment from the debtor"');
    expect(stderr).toContain('"an open case {caseCode} with a direct payment of {amount} NOK"');
  });
});

describe('the JUnit XML', () => {
  it('escapes what it quotes', () => {
    const xml = junitXml({
      ok: false,
      passed: 0,
      failed: 1,
      pending: 0,
      durationMs: 10,
      pacts: [{ file: '/x/a.json', consumer: 'a<b', provider: 'p&q', specVersion: '3.0.0', interactions: 1 }],
      interactions: [
        {
          file: '/x/a.json',
          consumer: 'a<b',
          provider: 'p&q',
          description: 'say "hi"',
          given: null,
          request: { method: 'GET', path: '/x' },
          outcome: 'failed',
          warnings: [],
          durationMs: 5,
          clientId: null,
          mismatches: [{ kind: 'body', at: '$', message: '$: <oops> & "more"', verifier: null, notes: [] }],
        },
      ],
      skipped: [],
      unmatched: [],
      sandboxVersion: '0',
    });
    expect(xml).toContain('name="say &quot;hi&quot;"');
    expect(xml).toContain('<failure message="$: &lt;oops&gt; &amp; &quot;more&quot;" type="body">');
  });
});
