/**
 * One provider verification run against a sandbox: a fresh client per interaction, its provider states set up by
 * the catalogue's handlers, and every request the verifier replays authenticated as that client's integration.
 *
 * The Pact verifier drives an interaction as: state setup call(s), the request, state teardown call(s). The request
 * filter sees all of them (the setup calls arrive on the proxy's /_pactSetup), so it knows where an interaction
 * starts; an interaction without a provider state is still announced (with the empty state name) and gets a plain
 * fresh client ("a debt-collection integration").
 *
 * Credentials: only those the pact's request itself carries are replaced (its Authorization by the integration's
 * Basic keys on a token request or the right API's bearer token elsewhere, its subscription key by the
 * integration's). A request that leaves one out is sent without it and fails as it would against the real API.
 * Paths without a host (`/DebtCollection/...`, `/v2/...`, `/OAuth/Token`) reach the right host through the
 * sandbox's unprefixed fallback; paths under a host prefix work as they are.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SandboxControl } from '../../sdk/control/client.js';
import { AgencyClient } from '../../sdk/client/agency.js';
import { endpointsOf } from '../../sdk/control/client.js';
import { faceOfPath } from '../../sandbox/http/core/dispatcher.js';
import type { Fetch } from '../../sdk/http.js';
import { ApiError } from '../../sdk/errors.js';
import type { Static } from '@sinclair/typebox';
import {
  CREDENTIAL_VALUES,
  DEFAULT_STATE,
  PROVIDER_STATE_NAMES,
  PROVIDER_STATES,
  resolveState,
  type ProviderStateSpec,
} from '../provider-states.js';
import { handlerFor, type StateClient, type StateContext } from './state-handlers.js';
import { parseWarningHeader } from '../../sandbox/http/core/warnings.js';

/** The path pact-js's verifier proxy takes state changes on. */
export const STATE_SETUP_PATH = '/_pactSetup';

export interface CapturedResponse {
  method: string;
  path: string;
  status: number;
  body: string;
  /** The X-Sandbox-Warning lines of the answer (portability warnings). */
  warnings: Array<{ code: string; message: string }>;
}

/** What happened in one interaction, in the order the verifier ran them. */
export interface InteractionRun {
  seq: number;
  states: Array<{ name: string; params: Record<string, unknown> }>;
  clientId: string | null;
  values: Record<string, unknown>;
  setupErrors: string[];
  responses: CapturedResponse[];
}

export interface SessionOptions {
  /** Where the control and agency faces answer (the in-process URL with `fetch`, or a server's URL). */
  baseUrl: string;
  fetch?: Fetch;
  adminToken?: string;
  /** Start every client on this date (YYYY-MM-DD or date-time); default: the sandbox's today. */
  startDate?: string;
  /** Hand back the integration's credentials with every state's values (two token requests per state); default on. */
  credentials?: boolean;
}

const MAX_CAPTURE = 4096;

/** pact-js's state handler map (its own type is not exported from the package root). */
export type PactStateHandlers = Record<
  string,
  { setup: (params?: unknown) => Promise<unknown>; teardown: (params?: unknown) => Promise<unknown> }
>;

function describe(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

export class ProviderSession {
  readonly runs: InteractionRun[] = [];
  readonly control: SandboxControl;
  private current: { run: InteractionRun; client?: Promise<StateClient> } | undefined;
  private phase: 'idle' | 'setup' | 'request' | 'teardown' = 'idle';

  constructor(private readonly options: SessionOptions) {
    this.control = new SandboxControl({
      baseUrl: options.baseUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    });
  }

  /** A new interaction begins: a new run, whose client is made on first use. */
  private begin(): { run: InteractionRun; client?: Promise<StateClient> } {
    const run: InteractionRun = { seq: this.runs.length + 1, states: [], clientId: null, values: {}, setupErrors: [], responses: [] };
    this.runs.push(run);
    this.current = { run };
    return this.current;
  }

  private async newClient(run: InteractionRun): Promise<StateClient> {
    const client = await createStateClient(this.control, {
      name: `Pact interaction ${run.seq}`,
      ...(this.options.startDate ? { startDate: this.options.startDate } : {}),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    run.clientId = client.control.id;
    return client;
  }

  /** The state context of the current interaction (tests call handlers through this too). */
  context(): StateContext {
    const current = this.current ?? this.begin();
    return {
      client: () => (current.client ??= this.newClient(current.run)),
    };
  }

  /** A state change call from the verifier (seen by the request filter before pact-js runs the handler). */
  stateChange(body: { action?: string; state?: string; params?: Record<string, unknown> } | undefined): void {
    if (body?.action === 'setup') {
      if (this.phase !== 'setup' || !this.current) this.begin();
      this.phase = 'setup';
      if (body.state) this.current!.run.states.push({ name: body.state, params: body.params ?? {} });
    } else if (body?.action === 'teardown') this.phase = 'teardown';
  }

  /** Set up one state of the current interaction; a failure is kept for the report (and answered as a 500). */
  async setUp(written: string, params: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
    const current = this.current ?? this.begin();
    try {
      const state = resolveState(written, params);
      const context = this.context();
      const values = {
        ...(await handlerFor(state.name)(context, state.params)),
        ...(this.options.credentials === false ? {} : await credentialValues(await context.client())),
      };
      Object.assign(current.run.values, values);
      return values;
    } catch (e) {
      current.run.setupErrors.push(`provider state "${written}" could not be set up: ${describe(e)}`);
      return {};
    }
  }

  /** The handlers pact-js calls, one per state name the pacts use (and the empty one). */
  stateHandlers(names: Iterable<string>): PactStateHandlers {
    const handlers: PactStateHandlers = {};
    for (const name of new Set(names)) {
      const setup = (params?: unknown) => this.setUp(name, (params ?? {}) as Record<string, unknown>);
      handlers[name] = { setup, teardown: async () => undefined };
    }
    // An interaction without a provider state runs in the default state (and gets its values).
    handlers[''] = { setup: () => this.setUp(DEFAULT_STATE, {}), teardown: async () => undefined };
    return handlers;
  }

  /**
   * Handlers for any state name, for pacts not known in advance (fetched from a broker): pact-js looks a handler
   * up by the exact name the pact wrote, values inline included. The catalogue's sentences and aliases are listed;
   * any other name gets a handler too, whose setup resolves it (an unknown one fails the interaction, saying why).
   */
  anyStateHandlers(): PactStateHandlers {
    const known = this.stateHandlers(
      PROVIDER_STATE_NAMES.flatMap((n) => [n, ...((PROVIDER_STATES[n] as ProviderStateSpec).aliases ?? [])]),
    );
    return new Proxy(known, {
      get: (target, key) => (typeof key !== 'string' || key in target ? Reflect.get(target, key) : this.stateHandlers([key])[key]),
      has: (target, key) => typeof key === 'string' || Reflect.has(target, key),
    });
  }

  /** The run a replayed request belongs to (a request with no state change before it starts a new one). */
  private forRequest(): { run: InteractionRun; client?: Promise<StateClient> } {
    if (!this.current || this.phase === 'teardown' || this.phase === 'idle') this.begin();
    this.phase = 'request';
    return this.current!;
  }

  /** Express middleware for pact-js's verifier proxy: authenticate as the state's integration, capture the answer. */
  readonly requestFilter: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
    if (req.path === STATE_SETUP_PATH) {
      this.stateChange(req.body as never);
      return next();
    }
    const current = this.forRequest();
    const { run } = current;
    if (!run.setupErrors.length) {
      try {
        const client = await (current.client ??= this.newClient(run));
        await authenticate(req, client);
      } catch (e) {
        run.setupErrors.push(`could not authenticate the request as the interaction's integration: ${describe(e)}`);
      }
    }
    if (run.setupErrors.length) {
      res.status(500).json({ error: 'inkasso-sandbox verify: the provider state could not be set up', details: run.setupErrors });
      return;
    }
    capture(req, res, run);
    next();
  };
}

/** A fresh sandbox client for one interaction, seen as its debt-collection integration (the one that may create cases). */
export async function createStateClient(
  control: SandboxControl,
  options: { name: string; startDate?: string; fetch?: Fetch },
): Promise<StateClient> {
  // Rate limits off: a state's own setup calls (and the token requests) must not use up the integration's second.
  const created = await control.clients.create({
    name: options.name,
    settings: { rateLimits: { enabled: false } },
    ...(options.startDate ? { startDate: options.startDate } : {}),
  });
  const integration = created.view.integrations.find((i) => i.canCreateNewCases) ?? created.view.integrations[0];
  if (!integration) throw new Error(`client ${created.id} has no integration`);
  const agency = new AgencyClient({ ...endpointsOf(created.view, integration.id), ...(options.fetch ? { fetch: options.fetch } : {}) });
  return { control: created, integration, agency, startedAt: created.view.now };
}

/** The integration's credentials as provider-state values (see CREDENTIAL_VALUES), tokens issued now. */
export async function credentialValues(client: StateClient): Promise<Static<typeof CREDENTIAL_VALUES>> {
  const { applicationKey, clientKey, subscriptionKey } = client.integration;
  const [v1AccessToken, v2AccessToken] = [await client.agency.accessToken('v1', true), await client.agency.accessToken('v2', true)];
  return {
    v1AccessToken,
    v2AccessToken,
    v1Authorization: `Bearer ${v1AccessToken}`,
    v2Authorization: `Bearer ${v2AccessToken}`,
    tokenAuthorization: `Basic ${Buffer.from(`${applicationKey}:${clientKey}`).toString('base64')}`,
    applicationKey,
    clientKey,
    subscriptionKey,
  };
}

/**
 * Replace the credentials the pact's request carries with the integration's (and only those); keep the body bytes
 * and their length in step.
 */
async function authenticate(req: Request, client: StateClient): Promise<void> {
  const { applicationKey, clientKey, subscriptionKey } = client.integration;
  const face = faceOfPath(req.path, req.headers as Record<string, string | undefined>);
  if (req.headers.authorization !== undefined) {
    req.headers.authorization =
      face === 'auth'
        ? `Basic ${Buffer.from(`${applicationKey}:${clientKey}`).toString('base64')}`
        : `Bearer ${await client.agency.accessToken(face === 'v2' ? 'v2' : 'v1', true)}`;
  }
  if (req.headers['ocp-apim-subscription-key'] !== undefined) req.headers['ocp-apim-subscription-key'] = subscriptionKey;
  resendBody(req);
}

/**
 * pact-js's verifier proxy parses a request body and re-sends a parsed one as JSON text under the original
 * Content-Type and Content-Length: a form body (a token request) would arrive as JSON of the wrong length. Put the
 * bytes back as they were meant, with their length in step.
 */
export function resendBody(req: Request): void {
  const body = req.body as unknown;
  if (body !== undefined && body !== null && !Buffer.isBuffer(body) && typeof body === 'object') {
    const form = /application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
    const text = form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body);
    req.body = Buffer.from(text);
  }
  if (Buffer.isBuffer(req.body) && (req.body.length || req.headers['content-length'] !== undefined))
    req.headers['content-length'] = String(req.body.length);
}

/** A request filter that only puts bodies back as they were sent (for a verifier that takes its states from the state-change URL). */
export const resendBodyFilter: RequestHandler = (req, _res, next) => {
  resendBody(req);
  next();
};

/** Keep the status and the start of the body of the sandbox's answer, for the report. */
function capture(req: Request, res: Response, run: InteractionRun): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size >= MAX_CAPTURE) return;
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    chunks.push(buf.subarray(0, MAX_CAPTURE - size));
    size += Math.min(buf.length, MAX_CAPTURE - size);
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  (res as unknown as { write: (...args: unknown[]) => boolean }).write = (...args: unknown[]) => {
    keep(args[0], args[1]);
    return write(...args);
  };
  (res as unknown as { end: (...args: unknown[]) => Response }).end = (...args: unknown[]) => {
    keep(args[0], args[1]);
    const type = String(res.getHeader('content-type') ?? '');
    const body = /json|text|xml|problem/i.test(type) || !type ? Buffer.concat(chunks).toString('utf8') : `(${type})`;
    const warnings = parseWarningHeader(res.getHeader('x-sandbox-warning') as string | string[] | undefined);
    run.responses.push({ method: req.method, path: req.originalUrl, status: res.statusCode, body, warnings });
    return end(...args);
  };
}
