/**
 * One certification run: a sandbox (in-process, or one given by URL), a client with the conformance timeline, the
 * agency's command started once with the four URLs and its keys, the timeline played step by step with a clock
 * advance and a wait for quiet after each, then the evidence gathered and judged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agencyEndpoints, type AgencyEndpoints } from './endpoints.js';
import { appendCollection, ControlClient, createConformanceClient, seedTimeline, STEPS, type StepContext } from './timeline.js';
import { judge } from './checks.js';
import type { CaseSnapshot, CertifyReport, Evidence, JournalRecord, StepRecord } from './types.js';

export interface CertifyOptions {
  agencyCmd?: string | undefined;
  baseUrl?: string | undefined;
  clientId?: string | undefined;
  adminToken?: string | undefined;
  /** Wall-clock ms without an agency write that counts as quiet. */
  quietMs: number;
  /** Longest wait for quiet after a step. */
  stepTimeoutMs: number;
  /** Longest wait for the agency's first call. */
  startTimeoutMs: number;
  /** Sandbox minutes the clock moves after each step. */
  stepMinutes: number;
  shimClock: boolean;
  /** Keep the vendor's rate limits on for the new client. */
  rateLimits?: boolean;
  collectionsFile?: string | undefined;
  /** Progress lines (the terminal). */
  log: (line: string) => void;
  /** The agency's own output, prefixed. */
  agencyOutput?: (line: string) => void;
}

/** The run could not be judged (exit 2). */
export class SetupError extends Error {}

const AGENCY_FACES = new Set(['v1', 'v2', 'auth']);
const isAgency = (e: JournalRecord) => AGENCY_FACES.has(e.face);
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Reads the client's request journal as it grows (it keeps only the latest entries, so read often). */
class JournalWatcher {
  readonly entries: JournalRecord[] = [];
  private lastSeq = 0;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly control: ControlClient,
    private readonly clientId: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.read().catch(() => undefined), 150);
  }

  async read(): Promise<void> {
    if (this.reading) return this.reading;
    this.reading = (async () => {
      const { requests } = await this.control.call<{ requests: JournalRecord[] }>('GET', `/clients/${this.clientId}/requests`);
      for (const r of requests) if (r.seq > this.lastSeq) this.entries.push(r);
      if (requests.length) this.lastSeq = Math.max(this.lastSeq, requests.at(-1)!.seq);
    })().finally(() => (this.reading = undefined));
    return this.reading;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  agencySince(seq: number): JournalRecord[] {
    return this.entries.filter((e) => e.seq > seq && isAgency(e));
  }

  get lastSeqSeen(): number {
    return this.entries.at(-1)?.seq ?? 0;
  }
}

/** Starts the agency command in its own process group, so stopping it stops what it started. */
function startAgency(
  cmd: string,
  env: NodeJS.ProcessEnv,
  output: (line: string) => void,
): { child: ChildProcess; tail: string[]; exited: Promise<number | null> } {
  const child = spawn(cmd, { shell: true, detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const onData = (d: Buffer) => {
    for (const line of d.toString().split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      output(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((ok) => {
    child.once('exit', (code) => ok(code));
    child.once('error', (e) => {
      tail.push(`could not start: ${e.message}`);
      ok(-1);
    });
  });
  return { child, tail, exited };
}

async function stopAgency(agency: { child: ChildProcess; exited: Promise<number | null> }): Promise<void> {
  const pid = agency.child.pid;
  if (pid === undefined || agency.child.exitCode !== null || agency.child.signalCode !== null) return;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const done = await Promise.race([agency.exited.then(() => true), sleep(3000).then(() => false)]);
  if (!done) {
    signal('SIGKILL');
    await agency.exited;
  }
}

export async function certify(options: CertifyOptions): Promise<CertifyReport> {
  const startedAt = new Date().toISOString();
  let server: { url: string; close(): Promise<void> } | undefined;
  let agency: ReturnType<typeof startAgency> | undefined;
  let watcher: JournalWatcher | undefined;
  // Ctrl-C must not leave the agency running: it sits in its own process group.
  const interrupted = () => {
    if (agency?.child.pid !== undefined && agency.child.exitCode === null) {
      try {
        process.kill(-agency.child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    process.exit(2);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    if (options.baseUrl) {
      server = undefined;
    } else {
      const { startServer } = await import('../server.js');
      server = await startServer({ memory: true, port: 0, host: '127.0.0.1' });
    }
    const baseUrl = (options.baseUrl ?? server!.url).replace(/\/+$/, '');
    const control = new ControlClient(baseUrl, options.adminToken);

    let view: any;
    try {
      view = options.clientId
        ? await control.call('GET', `/clients/${encodeURIComponent(options.clientId)}`)
        : await createConformanceClient(control, options.rateLimits ?? false);
    } catch (e) {
      throw new SetupError(
        `could not ${options.clientId ? `read client ${options.clientId}` : 'create a client'} on ${baseUrl}: ${(e as Error).message}`,
      );
    }
    const clientId: string = view.id;
    const integration = view.integrations.find((i: any) => i.kind === 'debtCollection' && i.canCreateNewCases) ?? view.integrations[0];
    if (!integration) throw new SetupError(`client ${clientId} has no debt-collection integration`);
    const endpoints = await agencyEndpoints(baseUrl, view);
    const invoices = await seedTimeline(control, clientId);
    const collectionsFile = options.collectionsFile ?? join(await mkdtemp(join(tmpdir(), 'inkasso-certify-')), 'collections.jsonl');
    await writeFile(collectionsFile, '', { flag: 'a' });
    const v1RefreshOffered = await offersV1Refresh(endpoints, integration);
    const clock = await control.call<{ now: string }>('GET', `/clients/${clientId}/clock`);
    options.log(`sandbox ${baseUrl}, client ${clientId}, sandbox time ${clock.now}`);
    options.log(`v1 ${endpoints.v1.baseUrl}  v2 ${endpoints.v2.baseUrl}`);

    watcher = new JournalWatcher(control, clientId);
    await watcher.read();
    const firstSeq = watcher.lastSeqSeen;
    watcher.start();

    if (options.agencyCmd) {
      const env = agencyEnv({
        endpoints,
        integration,
        baseUrl,
        clientId,
        now: clock.now,
        collectionsFile,
        adminToken: options.adminToken,
      });
      if (options.shimClock) {
        const { assetPath } = await import('../assets.js');
        env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${JSON.stringify(assetPath('certify/clock-shim.mjs'))}`.trim();
      }
      options.log(`starting the agency: ${options.agencyCmd}`);
      agency = startAgency(options.agencyCmd, env, options.agencyOutput ?? (() => undefined));
    } else {
      options.log(`waiting for the integration started elsewhere to call (client ${clientId}; collections file ${collectionsFile})`);
    }

    // The agency is ready once it has called; a command that dies first could not be certified.
    const deadline = Date.now() + options.startTimeoutMs;
    while (!watcher.agencySince(firstSeq).length) {
      if (agency && agency.child.exitCode !== null)
        throw new SetupError(
          `the agency command exited (code ${agency.child.exitCode}) before it called the sandbox:\n${agency.tail.join('\n')}`,
        );
      if (agency && agency.child.exitCode === null && agency.tail.some((l) => l.startsWith('could not start')))
        throw new SetupError(agency.tail.join('\n'));
      if (Date.now() > deadline)
        throw new SetupError(
          `nothing called the sandbox within ${options.startTimeoutMs / 1000} s` +
            (agency ? `; the agency's output:\n${agency.tail.join('\n') || '(none)'}` : ''),
        );
      await sleep(100);
      await watcher.read().catch(() => undefined);
    }
    options.log('the agency is calling; playing the timeline');

    const byLabel = new Map(invoices.map((i) => [i.label, i]));
    const collections: Evidence['collections'] = [];
    const ctx: StepContext = {
      control,
      clientId,
      invoice: (label) => byLabel.get(label)!,
      today: async () => (await control.call<{ today: string }>('GET', `/clients/${clientId}/clock`)).today,
      async collected(line) {
        collections.push({
          reference: line.reference,
          invoiceLabel: invoices.find((i) => i.id === line.invoiceId)!.label,
          amount: line.amount,
          date: line.date,
        });
        await appendCollection(collectionsFile, line);
      },
    };

    const steps: StepRecord[] = [];
    for (const [n, step] of STEPS.entries()) {
      const at = (await control.call<{ now: string }>('GET', `/clients/${clientId}/clock`)).now;
      await step.run(ctx);
      const moved = await control.call<{ now: string }>('POST', `/clients/${clientId}/clock/advance`, { minutes: options.stepMinutes });
      const beforeSeq = watcher.lastSeqSeen;
      const wait = await waitForQuiet(watcher, beforeSeq, options, agency);
      const cases = await caseSnapshots(control, clientId);
      steps.push({
        name: step.name,
        description: step.description,
        at,
        until: moved.now,
        quiet: wait.quiet,
        waitedMs: wait.waitedMs,
        agencyCalls: wait.calls,
        cases,
      });
      options.log(
        `step ${n + 1}/${STEPS.length} ${step.name}: clock ${at} -> ${moved.now}; ` +
          (wait.quiet ? 'quiet' : 'not quiet') +
          ` after ${(wait.waitedMs / 1000).toFixed(1)} s${wait.quiet ? '' : ' (judged anyway)'}, ` +
          `${wait.calls} agency call(s)`,
      );
      if (agency && agency.child.exitCode !== null)
        options.log(`the agency exited (code ${agency.child.exitCode}) during step ${step.name}`);
    }

    if (agency) await stopAgency(agency);
    watcher.stop();
    await watcher.read();
    const agencyCalls = watcher.agencySince(firstSeq);
    if (!agencyCalls.length) throw new SetupError('nothing called the sandbox');

    const evidence: Evidence = {
      clientId,
      integrationId: integration.id,
      startedAt,
      invoices,
      steps,
      journal: watcher.entries.filter((e) => e.seq > firstSeq),
      events: (await control.call<{ events: Evidence['events'] }>('GET', `/clients/${clientId}/events`)).events,
      vouchers: (await control.call<{ vouchers: Evidence['vouchers'] }>('GET', `/clients/${clientId}/vouchers`)).vouchers,
      reception: (await control.call<{ drafts: Evidence['reception'] }>('GET', `/clients/${clientId}/voucher-reception`)).drafts,
      ledger: await control.call('GET', `/clients/${clientId}/ledger/check`),
      collections,
      v1RefreshOffered,
    };
    const checks = judge(evidence);
    return {
      tool: 'inkasso-sandbox certify',
      sandboxUrl: baseUrl,
      clientId,
      agencyCommand: options.agencyCmd ?? null,
      startedAt,
      finishedAt: new Date().toISOString(),
      steps: steps.map(({ cases: _cases, ...s }) => s),
      checks,
      summary: {
        passed: checks.filter((c) => c.verdict === 'pass').length,
        failed: checks.filter((c) => c.verdict === 'fail').length,
        skipped: checks.filter((c) => c.verdict === 'skip').length,
      },
    };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    watcher?.stop();
    if (agency) await stopAgency(agency);
    await server?.close();
  }
}

/** Quiet: no agency write for quietMs (an integration that polls never stops reading), after at least one call. */
async function waitForQuiet(
  watcher: JournalWatcher,
  sinceSeq: number,
  options: CertifyOptions,
  agency?: { child: ChildProcess },
): Promise<{ quiet: boolean; waitedMs: number; calls: number }> {
  const started = Date.now();
  let told = started;
  while (Date.now() - started < options.stepTimeoutMs) {
    await sleep(150);
    if (Date.now() - told >= 5000) {
      told = Date.now();
      options.log(
        `  still waiting for quiet: ${watcher.agencySince(sinceSeq).length} agency call(s) so far, ` +
          `${Math.round((Date.now() - started) / 1000)} ` +
          `s of at most ${options.stepTimeoutMs / 1000} s`,
      );
    }
    await watcher.read().catch(() => undefined);
    const calls = watcher.agencySince(sinceSeq);
    if (agency && agency.child.exitCode !== null) return { quiet: false, waitedMs: Date.now() - started, calls: calls.length };
    const writes = calls.filter((e) => e.method !== 'GET' && e.face !== 'auth');
    const lastWrite = writes.length ? Date.parse(writes.at(-1)!.at) : started;
    if (calls.length && Date.now() - Math.max(lastWrite, started) >= options.quietMs)
      return { quiet: true, waitedMs: Date.now() - started, calls: calls.length };
  }
  return { quiet: false, waitedMs: Date.now() - started, calls: watcher.agencySince(sinceSeq).length };
}

async function caseSnapshots(control: ControlClient, clientId: string): Promise<CaseSnapshot[]> {
  const lists = await control.call<{ open: CaseSnapshot[]; archived: CaseSnapshot[] }>('GET', `/clients/${clientId}/collection`);
  return [...lists.open, ...lists.archived];
}

function agencyEnv(a: {
  endpoints: AgencyEndpoints;
  integration: any;
  baseUrl: string;
  clientId: string;
  now: string;
  collectionsFile: string;
  adminToken?: string | undefined;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    POWEROFFICE_V1_BASE_URL: a.endpoints.v1.baseUrl,
    POWEROFFICE_V1_TOKEN_URL: a.endpoints.v1.tokenUrl,
    POWEROFFICE_V2_BASE_URL: a.endpoints.v2.baseUrl,
    POWEROFFICE_V2_TOKEN_URL: a.endpoints.v2.tokenUrl,
    POWEROFFICE_APPLICATION_KEY: a.integration.applicationKey,
    POWEROFFICE_CLIENT_KEY: a.integration.clientKey,
    POWEROFFICE_SUBSCRIPTION_KEY: a.integration.subscriptionKey,
    INKASSO_SANDBOX_URL: a.baseUrl,
    INKASSO_SANDBOX_CLIENT: a.clientId,
    POWEROFFICE_SANDBOX_TIME: a.now,
    INKASSO_SANDBOX_NOW: a.now,
    INKASSO_CERTIFY_COLLECTIONS: a.collectionsFile,
    ...(a.adminToken ? { INKASSO_SANDBOX_ADMIN_TOKEN: a.adminToken } : {}),
  };
}

/** Newer sandboxes answer a v1 token request with a refresh_token (as production's v1 does). */
async function offersV1Refresh(endpoints: AgencyEndpoints, integration: any): Promise<boolean> {
  const res = await fetch(endpoints.v1.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${integration.applicationKey}:${integration.clientKey}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  }).catch(() => undefined);
  if (!res?.ok) return false;
  const body = (await res.json().catch(() => ({}))) as { refresh_token?: string };
  return typeof body.refresh_token === 'string';
}
