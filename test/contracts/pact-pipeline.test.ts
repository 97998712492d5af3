/**
 * The sandbox inside a team's own Pact pipeline: pact-js's own `Verifier` (the real Rust core) verifies a pact
 * against a sandbox listening on a real port, once through the state handlers and request filter of
 * `inkasso-sandbox/pact`, once through the sandbox's state-change URL (POST /_sandbox/pact/state) with no handlers
 * at all. The pact carries its credentials as provider-state expressions, so it verifies either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Verifier } from '@pact-foundation/pact';
import { startServer, type RunningServer } from '../../sandbox/server.js';
import { formatReport, verifyPactsIsolated } from '../../contracts/pact/verify.js';
import { pactProvider, pactStateChangeOptions, pactStateChangeUrl, pactVerifierOptions } from '../../sdk/pact/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACT = join(ROOT, 'test', 'contracts', 'fixtures', 'kravia-pipeline.pact.json');
const INTERACTIONS = 6;
// The Rust core replays every interaction over real sockets on a loaded machine: a generous bound.
const SLOW = 300_000;

let server: RunningServer;

beforeAll(async () => {
  process.env.PACT_DO_NOT_TRACK = 'true';
  server = await startServer({ memory: true, port: 0, host: '127.0.0.1', strict: true, validateResponses: true });
});
afterAll(() => server?.close());

/** The clients the sandbox made for pact interactions, oldest first. */
async function pactClients(): Promise<Array<{ id: string; name: string }>> {
  const res = await fetch(`${server.url}/_sandbox/clients`);
  const body = (await res.json()) as { clients?: Array<{ id: string; name: string }> } | Array<{ id: string; name: string }>;
  const list = Array.isArray(body) ? body : (body.clients ?? []);
  return list.filter((c) => c.name.startsWith('Pact interaction'));
}

/** pact-core resolves with its output on success and rejects with the results on a mismatch. */
async function verify(verifier: Verifier): Promise<string> {
  try {
    return await verifier.verifyProvider();
  } catch (e) {
    throw new Error(`the pact did not verify: ${e instanceof Error ? e.message : String(e)}`);
  }
}

describe('a pact verified by pact-js against a running sandbox', () => {
  it('through the state handlers and request filter of inkasso-sandbox/pact', { timeout: SLOW }, async () => {
    const before = (await pactClients()).length;
    const provider = pactProvider({ sandboxUrl: server.url, startDate: '2026-01-05' });
    const verifier = new Verifier({
      provider: 'PowerOffice Go',
      providerBaseUrl: server.url,
      pactUrls: [PACT],
      stateHandlers: provider.stateHandlers,
      requestFilter: provider.requestFilter,
      logLevel: 'error',
    });
    await verify(verifier);
    // One fresh client per interaction, every answer from the sandbox a success, the two-state one on one client.
    expect(provider.runs).toHaveLength(INTERACTIONS);
    expect(provider.runs.flatMap((r) => r.setupErrors)).toEqual([]);
    expect(new Set(provider.runs.map((r) => r.clientId)).size).toBe(INTERACTIONS);
    expect(provider.runs.every((r) => r.responses.length === 1 && r.responses[0]!.status < 300)).toBe(true);
    const twoStates = provider.runs.find((r) => r.states.length === 2)!;
    expect(twoStates.values).toMatchObject({ amount: 800 });
    expect((await pactClients()).length - before).toBe(INTERACTIONS);
  });

  it('through the state-change URL POST /_sandbox/pact/state, with no handlers in the verifier', { timeout: SLOW }, async () => {
    const before = (await pactClients()).length;
    // pact-js's name for the state-change URL is providerStatesSetupUrl; it sends teardown calls too.
    const options = pactStateChangeOptions({ sandboxUrl: server.url, session: 'pipeline-test', startDate: '2026-01-05' });
    expect(options.providerStatesSetupUrl).toBe(`${server.url}/_sandbox/pact/state?session=pipeline-test&startDate=2026-01-05`);
    await verify(new Verifier({ ...options, pactUrls: [PACT], logLevel: 'error' }));
    expect((await pactClients()).length - before).toBe(INTERACTIONS);
  });

  it('through the state-change URL with the Rust verifier alone (as pact_verifier_cli, pact-jvm or PactNet run it: no proxy, no filter)', { timeout: SLOW }, async () => {
    const before = (await pactClients()).length;
    // pact-core (pact-js's own dependency) drives the Rust verifier directly.
    const { Verifier: RustVerifier } = await import('@pact-foundation/pact-core');
    await new RustVerifier({
      provider: 'PowerOffice Go',
      providerBaseUrl: server.url,
      pactUrls: [PACT],
      providerStatesSetupUrl: pactStateChangeUrl(server.url, { session: 'rust-alone', startDate: '2026-01-05' }),
      logLevel: 'error',
    }).verify();
    expect((await pactClients()).length - before).toBe(INTERACTIONS);
  });

  it('a pact that leaves its credentials to a request filter fails through the state-change URL alone: 401, as the docs warn', { timeout: SLOW }, async () => {
    const { Verifier: RustVerifier } = await import('@pact-foundation/pact-core');
    const run = new RustVerifier({
      provider: 'PowerOffice Go',
      providerBaseUrl: server.url,
      pactUrls: [join(ROOT, 'test', 'contracts', 'fixtures', 'kravia-poller.pact.json')],
      providerStatesSetupUrl: pactStateChangeUrl(server.url, { session: 'no-credentials', startDate: '2026-01-05' }),
      logLevel: 'error',
    }).verify();
    await expect(run).rejects.toThrow(/expected 200 but was 401/);
  });

  it('the same pact verifies with inkasso-sandbox verify too (its credential expressions get values there as well)', { timeout: SLOW }, async () => {
    const report = await verifyPactsIsolated([PACT], { startDate: '2026-01-05' });
    expect(report.interactions.filter((i) => i.outcome !== 'passed'), formatReport(report)).toEqual([]);
    expect(report.passed).toBe(INTERACTIONS);
  });

  it('pactVerifierOptions is what a team spreads into new Verifier(...)', () => {
    const options = pactVerifierOptions({ sandboxUrl: `${server.url}/` });
    expect(options.provider).toBe('PowerOffice Go');
    expect(options.providerBaseUrl).toBe(server.url);
    expect(typeof options.requestFilter).toBe('function');
    // a handler for any state name, also one only a broker's pact knows, values inline included
    expect(options.stateHandlers['an approved invoice 10001 of 1250 NOK exists']).toHaveProperty('setup');
    expect(options.stateHandlers['a debt-collection integration']).toHaveProperty('setup');
    expect(pactStateChangeUrl('http://sandbox:4010/', { session: 'run-7' })).toBe('http://sandbox:4010/_sandbox/pact/state?session=run-7');
  });
});
