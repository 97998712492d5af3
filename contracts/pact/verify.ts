/**
 * Provider verification of the sandbox against an agency's pacts: read the pacts (unknown states stop here), start
 * an in-process sandbox on a loopback port, run the Pact verifier (pact-js over the Rust core) with the catalogue's
 * state handlers and a request filter that authenticates as each interaction's fresh client, and turn the
 * verifier's results into a report.
 *
 * The Rust core prints its own log to the process's stdout; `verifyPactsIsolated` runs the verification in a child
 * process so a command line can show the readable report alone.
 */
import { fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../sandbox/server.js';
import { dispatcherFetch } from '../../sandbox/http/fetch.js';
import { SANDBOX_VERSION } from '../../sandbox/version.js';
import type { Fetch } from '../../sdk/http.js';
import { loadPacts, PactInputError } from './pact-file.js';
import { CREDENTIAL_VALUES } from '../provider-states.js';
import { ProviderSession, type PactStateHandlers } from './session.js';
import { buildReport, parseVerifierResults, type VerificationReport } from './report.js';

export { PactInputError } from './pact-file.js';
export { formatReport, junitXml, type VerificationReport, type InteractionOutcome, type Mismatch } from './report.js';

/** The base URL the in-process transport answers on (never on the network). */
const IN_PROCESS_URL = 'http://sandbox.in-process';

export interface VerifyOptions {
  /** Start every interaction's client on this date (YYYY-MM-DD or a date-time); default: the sandbox's today. */
  startDate?: string;
  /** Log level of the Pact verifier (default error). */
  logLevel?: 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Per request, in ms (default 30 s). */
  timeoutMs?: number;
}

/** A verification that could not run at all (the verifier crashed or refused its arguments). */
export class VerifierError extends Error {
  override name = 'VerifierError';
}

type VerifierClass = typeof import('@pact-foundation/pact').Verifier;

/**
 * The Pact verifier, loaded when a verification runs: Pact (with its ~19 MB native core) is an optional peer
 * dependency, so an SDK-only install does not carry it.
 */
export async function loadVerifier(): Promise<VerifierClass> {
  try {
    return (await import('@pact-foundation/pact')).Verifier;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' || (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND')
      throw new VerifierError(
        'verify needs @pact-foundation/pact, an optional peer dependency: npm install --save-dev @pact-foundation/pact',
      );
    throw e;
  }
}

function noTracking(): void {
  // The Rust core reads this from the process environment when it verifies.
  process.env.PACT_DO_NOT_TRACK = 'true';
}

export async function verifyPacts(paths: string[], options: VerifyOptions = {}): Promise<VerificationReport> {
  noTracking();
  const started = performance.now();
  const { pacts, skipped } = await loadPacts(paths);
  const server = await startServer({ memory: true, port: 0, host: '127.0.0.1', validateResponses: true, strict: true });
  try {
    const session = new ProviderSession({
      baseUrl: IN_PROCESS_URL,
      fetch: dispatcherFetch(server.dispatcher) as Fetch,
      ...(options.startDate ? { startDate: options.startDate } : {}),
      // The request filter sets the credentials; tokens as state values only for pacts that name them.
      credentials: await usesCredentialValues(pacts.map((p) => p.file)),
    });
    const stateNames = pacts.flatMap((p) => p.interactions.flatMap((i) => i.states.map((s) => s.name)));
    const handlers: PactStateHandlers = session.stateHandlers(stateNames);
    const Verifier = await loadVerifier();
    const verifier = new Verifier({
      provider: 'inkasso-sandbox',
      providerBaseUrl: server.url,
      pactUrls: pacts.map((p) => p.file),
      logLevel: options.logLevel ?? 'error',
      timeout: options.timeoutMs ?? 30_000,
      stateHandlers: handlers as never,
      requestFilter: session.requestFilter,
    });
    let text: string;
    try {
      text = await verifier.verifyProvider();
    } catch (e) {
      // On a mismatch pact-core rejects with the results JSON as the message.
      text = e instanceof Error ? e.message : String(e);
      if (!parseVerifierResults(text)) throw new VerifierError(`the Pact verifier could not run: ${text}`);
    }
    const results = parseVerifierResults(text);
    if (!results) throw new VerifierError(`the Pact verifier returned no results: ${String(text).slice(0, 500)}`);
    const routes = server.dispatcher.operations.map((o) => ({ method: o.method, path: o.path }));
    return buildReport({
      pacts,
      results,
      runs: session.runs,
      routes,
      skipped,
      durationMs: Math.round(performance.now() - started),
      sandboxVersion: SANDBOX_VERSION,
    });
  } finally {
    await server.close();
  }
}

/** Whether any of the pacts names a credential value (`${v1Authorization}` …) in a provider-state expression. */
async function usesCredentialValues(files: string[]): Promise<boolean> {
  const names = Object.keys(CREDENTIAL_VALUES.properties).join('|');
  const pattern = new RegExp(`\\$\\{\\s*(${names})\\s*\\}`);
  for (const file of new Set(files)) if (pattern.test(await readFile(file, 'utf8'))) return true;
  return false;
}

// ---- in a child process --------------------------------------------------------------------------------

export interface WorkerRequest {
  paths: string[];
  options: VerifyOptions;
}

export type WorkerAnswer =
  { ok: true; report: VerificationReport } | { ok: false; error: { name: string; message: string; problems?: string[] } };

export interface IsolationOptions {
  /** Let the Pact verifier's own output through to this process's stdout. */
  showVerifierOutput?: boolean;
}

function workerEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const file = here.replace(/verify\.(ts|js)$/, `verify-worker.${ts ? 'ts' : 'js'}`);
  const execArgv = [...process.execArgv];
  if (ts && !execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', 'tsx');
  return { file, execArgv };
}

/** `verifyPacts` in a child process: the same report, without the Rust core's log on this process's stdout. */
export function verifyPactsIsolated(
  paths: string[],
  options: VerifyOptions = {},
  isolation: IsolationOptions = {},
): Promise<VerificationReport> {
  const { file, execArgv } = workerEntry();
  return new Promise((ok, fail) => {
    const child = fork(file, [], {
      execArgv,
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
      stdio: ['ignore', isolation.showVerifierOutput ? 'inherit' : 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let answer: WorkerAnswer | undefined;
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('message', (m) => (answer = m as WorkerAnswer));
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (answer?.ok) return ok(answer.report);
      if (answer && !answer.ok) {
        const { name, message, problems } = answer.error;
        return fail(
          name === 'PactInputError'
            ? new PactInputError(message, problems ?? [message])
            : name === 'VerifierError'
              ? new VerifierError(message)
              : new Error(message),
        );
      }
      fail(
        new VerifierError(
          `the verification process ended (${signal ?? `exit code ${code}`})` +
            ` without a report${stderr.trim() ? `:\n${stderr.trim()}` : ''}`,
        ),
      );
    });
    child.send({ paths, options } satisfies WorkerRequest);
  });
}
