/**
 * Answers a SandboxRequest from the route tables: route, authenticate, parse, validate, run, (check the answer
 * against the contract), journal. Express and msw both call `handle`; nothing here knows either of them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Type, type TObject } from '@sinclair/typebox';
import type { ClientAccess, Engine, Logger } from '../../engine.js';
import type { ClientSettings, Fault, Integration, World } from '../../domain/model.js';
import { isRejection, noneIfNotFound } from '../../domain/errors.js';
import { StoreDamaged, StoreUnavailable } from '../../storage/store.js';
import { Router } from './router.js';
import type { Face, Operation, RequestContext, SandboxRequest, SandboxResponse } from './types.js';
import type { Services } from './services.js';
import { bindQuery, canonicalizeKeys, check, unknownBodyFields, type FieldError } from './validation.js';
import { faceError, problemFromFields, problemFromRejection, sandboxDetailOf, titleOf, v1ErrorAs, type Problem } from './errors.js';
import { VENDOR_V2_QUERY_PARAMETERS, warn, warningHeader } from './warnings.js';
import { HttpFailure, withAgencyCaller } from '../auth/agency-auth.js';
import { tokenApiOf, tokenRequestClient, tokenRequestTarget } from '../auth/token-endpoint.js';
import { fireFault, hasArmedFaults, describe as describeFault } from '../../domain/commands/faults.js';
import { ACTORS } from '../../domain/context.js';
import { rateLimited } from './rate-limit.js';
import { ViewCache } from './view-cache.js';
import { sameSecret } from '../auth/same-secret.js';
import { firstInvalidUtf8 } from './utf8.js';
import { formatLocalInstant, toMillis } from '../../domain/time.js';
import { addressedHost, urlOnHost, withoutDemo, type AddressedHost } from './hosts.js';
import { faultCall } from './fault-call.js';

export interface DispatcherOptions {
  /** Check every response against its contract; a mismatch is a 500 naming the drift. On in tests. */
  validateResponses?: boolean;
  /** Protects /_sandbox when set (Authorization: Bearer <token> or X-Sandbox-Admin-Token). */
  adminToken?: string;
  /** Without an admin token, answer /_sandbox only to loopback callers. */
  controlLoopbackOnly?: boolean;
  /** Behind a proxy: honour well-formed X-Forwarded-Host/-Proto in links (off: they are ignored). */
  trustProxy?: boolean;
  /** Apply the vendor's rate limits (per client they can also be switched off in its settings). Default on. */
  rateLimits?: boolean;
  /** Keep agency reads serialised per world revision (default on). */
  viewCache?: boolean;
  /** Where an internal error's stack goes (default the console); tests pass a quiet one. */
  logger?: Logger;
  /** Told of every answer (coverage in tests; an inspector later). */
  observe?: (answer: { operationId: string | null; face: Face; method: string; path: string; status: number }) => void;
}

/** Limits on a JSON body beyond its byte size: nesting depth and the length of any one string. */
export const JSON_LIMITS = { maxDepth: 32, maxStringLength: 100_000 };

/** The first place a parsed body breaks the limits (checked without recursion: a body may nest very deep). */
export function jsonLimitProblem(value: unknown): FieldError | undefined {
  const stack: Array<{ v: unknown; depth: number; path: string }> = [{ v: value, depth: 0, path: '' }];
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === 'string' && v.length > JSON_LIMITS.maxStringLength)
      return { field: path || '(body)', reason: `is longer than ${JSON_LIMITS.maxStringLength} characters` };
    if (v === null || typeof v !== 'object') continue;
    if (depth >= JSON_LIMITS.maxDepth) return { field: path || '(body)', reason: `nests deeper than ${JSON_LIMITS.maxDepth} levels` };
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, depth: depth + 1, path: `${path}[${i}]` }));
    else for (const [k, x] of Object.entries(v)) stack.push({ v: x, depth: depth + 1, path: path ? `${path}.${k}` : k });
  }
  return undefined;
}

function faceOfRoutePath(path: string): Face {
  const p = withoutDemo(path).toLowerCase();
  if (p.startsWith('/_sandbox')) return 'control';
  if (p.startsWith('/v2')) return 'v2';
  if (p.startsWith('/oauth')) return 'auth';
  return p.startsWith('/debtcollection') || p.startsWith('/outgoinginvoice') ? 'v1' : 'meta';
}

/** The face whose error format answers a request no route took: a vendor host answers in its own format. */
export function faceOfHost(host: AddressedHost): Face {
  const byPath = faceOfRoutePath(host.routePath);
  if (!host.api || byPath === 'auth') return byPath;
  if (host.via === 'host' && (byPath === 'control' || byPath === 'meta')) return byPath;
  return host.api;
}

export function faceOfPath(path: string, headers: Record<string, string | undefined> = {}): Face {
  return faceOfHost(addressedHost({ path, headers }));
}

const AGENCY_FACES = new Set<Face>(['v1', 'v2', 'auth']);

/** What the answer's headers take from the caller's world, read in the same hold as the operation. */
interface ClientFacts {
  clientId: string;
  time: { ms: number; local: string };
  v1ErrorStatuses: ClientSettings['v1ErrorStatuses'];
}

function factsOf(clientId: string, w: World): ClientFacts {
  return {
    clientId,
    time: { ms: toMillis(w.clock.now), local: formatLocalInstant(w.clock.now, w.timeZone) },
    v1ErrorStatuses: w.settings.v1ErrorStatuses,
  };
}

/** An injected latency, waited out with no hold of the client (capped at a minute). */
const waitOut = (fault: Fault) => new Promise((ok) => setTimeout(ok, Math.min(fault.effect.latencyMs ?? 0, 60_000)));

/** One request's state the dispatcher keeps beside the operation's context. */
interface RequestState {
  /** The caller's world as its hold ended (undefined: no hold, or the client was gone by then). */
  facts?: ClientFacts | undefined;
}

/** Reads and writes for the fault and limit checks: the request's one hold of the client (agency and token calls). */
type FaultAccess = Pick<ClientAccess, 'read' | 'write'>;

/** One call on its way through the dispatcher: the operation, its raw path parameters, and how to answer a problem. */
interface Call {
  op: Operation;
  rawParams: Record<string, string>;
  req: SandboxRequest;
  ctx: RequestContext;
  fail: (p: Problem) => SandboxResponse;
}

interface LimitFacts {
  armed: boolean;
  settings: ClientSettings;
  integration: Integration | undefined;
}

// Request ids: unique in this process, not secret; a counter spares a randomBytes call per request.
const REQUEST_ID_PREFIX = randomBytes(4).toString('hex');
let requestCount = 0;
const nextRequestId = () => REQUEST_ID_PREFIX + (++requestCount).toString(16).padStart(8, '0');

/** No peer address (a connection reset before we looked) is not loopback: only in-process adapters say so. */
function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Request headers for the inspector, with credentials shortened so a shared screen does not leak them. */
function redactedHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const secret = k === 'authorization' || k === 'x-sandbox-admin-token' || k === 'ocp-apim-subscription-key' || k === 'cookie';
    out[k] = secret && v.length > 12 ? `${v.slice(0, 10)}…(${v.length} chars)` : v;
  }
  return out;
}

export class Dispatcher {
  private readonly router: Router;
  private readonly views = new ViewCache();

  constructor(
    readonly engine: Engine,
    readonly services: Services,
    readonly operations: Operation[],
    readonly options: DispatcherOptions = {},
  ) {
    this.router = new Router(operations);
  }

  async handle(req: SandboxRequest): Promise<SandboxResponse> {
    req.trustProxy = this.options.trustProxy === true;
    const started = performance.now();
    const requestId = nextRequestId();
    const host = (req.host = addressedHost(req));
    const lookup = this.router.lookup(req.method, host.routePath);
    const misrouted = lookup.kind === 'found' ? this.wrongHost(req, host, lookup.match.op) : undefined;
    const op = lookup.kind === 'found' && !misrouted ? lookup.match.op : undefined;
    const face = op?.face ?? faceOfHost(host);
    const ctx: RequestContext = { engine: this.engine, services: this.services, requestId, warnings: [] };
    const state: RequestState = {};
    let response: SandboxResponse;
    let problem: string | null = null;
    let detail: Record<string, unknown> | null = null;
    let refusedClient: string | undefined;
    const fail = (p: Problem): SandboxResponse => {
      problem = p.detail;
      detail = sandboxDetailOf(p) ?? null;
      return faceError(face, p, req.path, requestId);
    };
    try {
      if (lookup.kind !== 'found' && (face === 'v1' || face === 'v2')) ctx.caller = await this.callerIfAny(face, req, state, ctx);
      // A path sent to the wrong host: the token is most likely the one for the path's own API; journal it there.
      if (misrouted && lookup.kind === 'found')
        ctx.caller = (await this.callerIfAny(lookup.match.op.face, req, state, ctx)) ?? (await this.callerIfAny(face, req, state, ctx));
      if (misrouted) response = fail({ status: 404, title: titleOf(404), detail: misrouted });
      else if (lookup.kind === 'none') {
        const guess = this.router.suggest(req.method, host.routePath);
        response = fail({
          status: 404,
          title: titleOf(404),
          detail: `no endpoint ${req.method} ${req.path}${guess ? `; did you mean ${guess}?` : ''}`,
        });
      } else if (lookup.kind === 'wrongMethod')
        response = fail({
          status: 405,
          title: titleOf(405),
          detail: `${req.method} is not allowed on ${req.path}; allowed: ${lookup.allowed.join(', ')}`,
          headers: { allow: lookup.allowed.join(', ') },
        });
      else response = await this.run({ op: lookup.match.op, rawParams: lookup.match.params, req, ctx, fail }, state);
    } catch (e) {
      if (e instanceof HttpFailure) {
        response = e.response;
        problem = e.response.headers?.['www-authenticate'] ?? `${e.response.status}`;
        refusedClient = e.clientId;
      } else if (isRejection(e)) response = fail(problemFromRejection(e));
      else if (e instanceof StoreDamaged)
        // The client's file cannot be read: say which and why (the operator's fix), not a bare internal error.
        response = fail({ status: 500, title: 'Client data damaged', detail: e.message });
      else if (e instanceof StoreUnavailable)
        // The database went away: the caller may retry; nothing was acknowledged, and the store is asked again next time.
        response = fail({
          status: 503,
          title: titleOf(503),
          detail: `storage unavailable, retry shortly: ${e.message}`,
          headers: { 'retry-after': String(e.retryAfterSeconds) },
        });
      else {
        response = fail({ status: 500, title: titleOf(500), detail: `internal error (reference ${requestId}): ${(e as Error).message}` });
        (this.options.logger ?? console).error(`[inkasso-sandbox] ${req.method} ${req.path} failed (${requestId}):`, e);
      }
    }
    const facts = (clientId: string) => (state.facts?.clientId === clientId ? state.facts : undefined);
    if (face === 'v1' && ctx.caller && response.headers?.['x-sandbox-detail'])
      response = await this.v1ErrorForm(ctx.caller.clientId, response, facts(ctx.caller.clientId));
    const warnings = warningHeader(ctx.warnings);
    response.headers = { 'x-request-id': requestId, ...response.headers, ...(warnings ? { 'x-sandbox-warning': warnings } : {}) };
    const clientId = AGENCY_FACES.has(face)
      ? (ctx.caller?.clientId ?? refusedClient ?? (face === 'auth' ? tokenRequestClient(this.engine, req)?.clientId : undefined))
      : undefined;
    const sandboxTime = clientId ? (facts(clientId)?.time ?? (await this.sandboxTime(clientId))) : undefined;
    if (sandboxTime) {
      // An integration that takes its "changed since" cursor from the answers sees the sandbox clock, not its own.
      response.headers.date = new Date(sandboxTime.ms).toUTCString();
      response.headers['x-sandbox-time'] = sandboxTime.local;
    }
    if (ctx.loseAnswer) problem = `answer lost after the write (injected fault; it answered ${response.status})`;
    await this.journal(face, op, req, ctx, response, { problem, detail }, started, refusedClient, sandboxTime?.local);
    if (ctx.loseAnswer) response = { status: 0, drop: true };
    this.options.observe?.({ operationId: op?.operationId ?? null, face, method: req.method, path: req.path, status: response.status });
    return response;
  }

  /** Why an operation the route table knows is not on the host the request addressed, if it is not. */
  private wrongHost(req: SandboxRequest, host: AddressedHost, op: Operation): string | undefined {
    if (!host.api || op.face === 'auth') return undefined;
    if (op.face === 'v1' || op.face === 'v2') {
      if (op.face === host.api) return undefined;
      const other =
        op.face === 'v1'
          ? host.demo
            ? 'api-demo.poweroffice.net'
            : 'api.poweroffice.net'
          : `goapi.poweroffice.net${host.demo ? '/Demo' : ''}`;
      return (
        `no endpoint ${req.method} ${host.routePath} on ${host.name}: ${op.face} lives on ${other}` +
        `; send it to ${urlOnHost(req, host, op.face, host.routePath)}`
      );
    }
    // The control API and the sandbox's own pages are not on a vendor host's prefix.
    return host.via === 'prefix'
      ? `no endpoint ${req.method} ${host.routePath} on ${host.name}: the sandbox's ${op.face === 'control' ? 'control API' : 'pages'} ` +
          `live at the server root (${host.routePath})`
      : undefined;
  }

  private async run(call: Call, state: RequestState): Promise<SandboxResponse> {
    const { op, req, ctx, fail } = call;
    if (op.auth === 'control') {
      const denied = this.controlDenied(req);
      if (denied) return fail(denied);
    }
    if (op.auth === 'agency') {
      // One hold of the caller's world: the token check, faults, limits, the operation and the answer's clock.
      const step = await withAgencyCaller(this.engine, this.services.tokens, op.face, req, (access, check) =>
        this.held(access, state, ctx, async () => {
          ctx.caller = await check();
          const fired = await this.fireFaults(op, req, ctx, ctx.caller, access);
          if (fired?.fault?.effect.latencyMs) return fired; // waited out below, without holding the client
          return this.afterFaults(call, fired);
        }),
      );
      if (!('fault' in step)) return step;
      await waitOut(step.fault!);
      state.facts = undefined;
      return this.engine.access(ctx.caller!.clientId, (access) => this.held(access, state, ctx, () => this.afterFaults(call, step)));
    }
    if (op.auth === 'token') return this.tokenCall(call, state);
    return this.operate(call);
  }

  /**
   * The token endpoint in one hold of the world it is answered from (tokenRequestTarget): the faults and rate limits
   * of the client its Basic key names, the grant, and the answer's clock. Only a fault's latency is waited outside it.
   */
  private async tokenCall(call: Call, state: RequestState): Promise<SandboxResponse> {
    const { op, req, ctx } = call;
    const target = (ctx.tokenRequest = await tokenRequestTarget(this.engine, this.services.tokens, req));
    const clientId = target.clientId;
    if (clientId === undefined) return this.afterFaults(call, undefined);
    const credential = target.credential;
    const step = await this.heldIfAny(clientId, state, ctx, async (access) => {
      // A client gone before the hold: no faults or limits (as when the engine's reads found it gone).
      const fired = credential && access ? await this.fireFaults(op, req, ctx, credential, access) : undefined;
      if (fired?.fault?.effect.latencyMs) return fired; // waited out below, without holding the client
      return this.afterFaults(call, fired);
    });
    if (!('fault' in step)) return step;
    await waitOut(step.fault!);
    state.facts = undefined;
    return this.heldIfAny(clientId, state, ctx, () => this.afterFaults(call, step));
  }

  /**
   * `work` in a hold of the client (held); a client gone before the hold began runs it without one, as the engine's
   * reads would have found it gone (the token endpoint then finds no integration).
   */
  private async heldIfAny<T>(
    clientId: string,
    state: RequestState,
    ctx: RequestContext,
    work: (access: ClientAccess | undefined) => Promise<T>,
  ): Promise<T> {
    return this.engine.accessOr(
      clientId,
      (access) => this.held(access, state, ctx, () => work(access)),
      () => work(undefined),
    );
  }

  /**
   * Run `work` in a hold of the caller's world, which the operation's reads and writes go through; the answer's
   * facts are read as it ends.
   */
  private async held<T>(access: ClientAccess, state: RequestState, ctx: RequestContext, work: () => Promise<T>): Promise<T> {
    ctx.access = access;
    try {
      return await work();
    } finally {
      ctx.access = undefined;
      state.facts = await access.read((w) => factsOf(access.clientId, w)).catch(() => undefined);
    }
  }

  /** A fired fault's answer (its latency already waited out), then the rate limits, then the operation. */
  private async afterFaults(call: Call, fired: { found: LimitFacts; fault: Fault | undefined } | undefined): Promise<SandboxResponse> {
    const { op, req, ctx, fail } = call;
    if (fired) {
      if (fired.fault) {
        const stop = this.faultAnswer(op, ctx, fail, fired.fault);
        if (stop) return stop;
      }
      const limited = this.limited(op, req, fired.found);
      if (limited) return limited;
    }
    return this.operate(call);
  }

  /** Validate the input and run the operation (answered from the view cache when it may be). */
  private async operate(call: Call): Promise<SandboxResponse> {
    const { op, rawParams, req, ctx, fail } = call;
    const agencyFace = AGENCY_FACES.has(op.face);
    const viewKey = this.options.viewCache === false ? undefined : this.views.keyFor(op, req, ctx);
    const cached = viewKey === undefined ? undefined : this.views.get(viewKey);
    if (cached) return cached;

    // A multipart body is read by the operation itself (file parts are bytes, not JSON).
    const bodySchema = op.bodyType === 'multipart' ? undefined : (ctx.settings && op.bodyFor?.(ctx.settings)) || op.body;
    let body: unknown;
    if (bodySchema) {
      const badByte = req.body ? firstInvalidUtf8(req.body) : undefined;
      if (badByte !== undefined)
        return fail({
          status: 400,
          title: titleOf(400),
          detail: `the body is not valid UTF-8 at byte ${badByte}`,
          fields: [{ field: '(body)', reason: `is not valid UTF-8 at byte ${badByte}` }],
        });
      let raw = req.body && req.body.length ? new TextDecoder().decode(req.body) : '';
      // An older form sends the request as JSON in a query parameter instead (v1 `?request=`).
      const fromQuery =
        !raw.trim() && op.bodyQuery ? [...req.query].find(([k]) => k.toLowerCase() === op.bodyQuery!.toLowerCase()) : undefined;
      if (fromQuery) raw = fromQuery[1];
      const source = fromQuery ? op.bodyQuery! : '(body)';
      if (op.bodyType === 'form') body = Object.fromEntries(new URLSearchParams(raw));
      else if (!raw.trim())
        return fail(
          problemFromFields([
            { field: '(body)', reason: `is required: send a JSON body${op.bodyQuery ? ` (or the JSON in ?${op.bodyQuery}=)` : ''}` },
          ]),
        );
      else {
        try {
          body = JSON.parse(raw);
        } catch (e) {
          return fail({
            status: 400,
            title: titleOf(400),
            detail: `malformed JSON ${fromQuery ? `in ?${source}=` : 'body'}: ${(e as Error).message}`,
            fields: [{ field: source, reason: `is not valid JSON: ${(e as Error).message}` }],
          });
        }
        const tooBig = jsonLimitProblem(body);
        if (tooBig) return fail({ status: 400, title: titleOf(400), detail: `${tooBig.field} ${tooBig.reason}`, fields: [tooBig] });
      }
      if (agencyFace) {
        body = canonicalizeKeys(body, bodySchema);
        if (op.bodyType !== 'form')
          for (const field of unknownBodyFields(body, bodySchema))
            warn(
              ctx,
              'unknown-body-field',
              `${field} is not a field of this body; ` +
                (op.face === 'v2'
                  ? 'the vendor refuses it (400, additionalProperties false)'
                  : 'the vendor ignores it, so it does nothing'),
            );
      }
    }
    const params: Record<string, unknown> = { ...rawParams };
    const bound = bindQuery(req.query, op.query, agencyFace);
    const query = bound.values;
    if (agencyFace) {
      for (const r of bound.repeated)
        warn(
          ctx,
          'repeated-query-key',
          `${r.key} was sent ${r.values.length} times; ASP.NET binds the first value ('${r.values[0]}') and drops the rest: send one ` +
            `comma-separated value`,
        );
      for (const key of bound.unknown)
        if (op.face === 'v2' && VENDOR_V2_QUERY_PARAMETERS.has(key.toLowerCase()))
          warn(
            ctx,
            'unsupported-query-parameter',
            `${key} is a vendor parameter the sandbox does not apply yet: the real API filters or shapes the list by it, the sandbox ` +
              `returns everything`,
          );
        else
          warn(
            ctx,
            'unknown-query-parameter',
            `${key} is not a parameter of ${req.method} ${op.path}; the vendor ignores it, so it filters nothing`,
          );
      if (ctx.caller && req.method === 'POST') this.noteRetry(req, ctx);
    }
    const problems = [
      ...(op.params ? check(op.params, params, '', true) : []),
      ...(op.query ? check(op.query, query, '', true) : []),
      ...(bodySchema ? check(bodySchema, body, '') : []),
    ];
    if (problems.length) return fail(problemFromFields(problems));

    const response = await op.handle({ params, query, body, request: req } as never, ctx);
    if (this.options.validateResponses) {
      const drift = this.responseDrift(op, response);
      if (drift) return fail({ status: 500, title: 'Response does not match the contract', detail: drift });
    }
    return viewKey === undefined ? response : this.views.put(viewKey, response);
  }

  private readonly settingsCopies = new Map<string, { revision: number; settings: ClientSettings }>();

  private keepSettings(clientId: string, revision: number, settings: ClientSettings): ClientSettings {
    // A shared store answers a new revision on every call: nothing there is ever reused, so nothing is kept.
    if (!this.engine.store.shared) this.settingsCopies.set(clientId, { revision, settings });
    return settings;
  }

  private async sandboxTime(clientId: string): Promise<ClientFacts['time'] | undefined> {
    return this.engine.read(clientId, (w) => factsOf(clientId, w).time).catch(() => undefined);
  }

  /**
   * Injected faults first (as an upstream failure would be), then the vendor's rate limits: the caller's settings and
   * integration, and the armed fault this call fires (a write in the same access). Undefined: no such integration.
   */
  private async fireFaults(
    op: Operation,
    req: SandboxRequest,
    ctx: RequestContext,
    ref: { clientId: string; integrationId: string },
    access: FaultAccess,
  ): Promise<{ found: LimitFacts; fault: Fault | undefined } | undefined> {
    // The settings copy is kept per world revision (bumped before any write): a copy per request was most of
    // the time a cached read took in the dispatcher.
    const revision = this.engine.revision(ref.clientId);
    const kept = this.settingsCopies.get(ref.clientId);
    const found = await access
      .read((w): LimitFacts => ({
        armed: hasArmedFaults(w.faults),
        settings: kept?.revision === revision ? kept.settings : this.keepSettings(ref.clientId, revision, structuredClone(w.settings)),
        integration: w.integrations.find((i) => i.id === ref.integrationId),
      }))
      .catch(noneIfNotFound);
    if (!found?.integration) return undefined;
    if (ctx.caller) ctx.settings = found.settings;
    if (!found.armed) return { found, fault: undefined };
    const call = faultCall(op, req);
    const { result: fault } = await access.write(ACTORS.sandbox, (c) => fireFault(c, call));
    return { found, fault };
  }

  /**
   * What a fired fault answers instead of the operation (undefined: the operation runs). Its latency was waited out
   * between two holds of the client (waitOut), so a slow answer never blocks the client's other requests.
   */
  private faultAnswer(
    op: Operation,
    ctx: RequestContext,
    fail: (p: Problem) => SandboxResponse,
    fault: Fault,
  ): SandboxResponse | undefined {
    if (fault.effect.drop) return { status: 0, drop: true };
    if (fault.effect.dropAfterWrite) ctx.loseAnswer = true;
    if (fault.effect.businessFailure) {
      const summary = `injected fault: ${describeFault(fault)}`;
      if (op.face !== 'v1') return fail({ status: 400, title: titleOf(400), detail: summary });
      ctx.injectedFailure = summary;
      return {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: { success: false, validation: { errorLogReference: ctx.requestId, summary, exception: 'Go' } },
      };
    }
    const status = fault.effect.status;
    if (status === 429) return rateLimited(1);
    if (status)
      return fail({
        status,
        title: titleOf(status),
        detail: `injected fault: ${describeFault(fault)}`,
        ...(status === 503 ? { headers: { 'retry-after': '1' } } : {}),
      });
    return undefined;
  }

  /** The vendor's rate limit for this integration and API: a 429 when its bucket is empty. */
  private limited(op: Operation, req: SandboxRequest, found: LimitFacts): SandboxResponse | undefined {
    const limits = found.settings.rateLimits;
    if (!(this.options.rateLimits ?? true) || !limits.enabled) return undefined;
    const v2 = op.face === 'v2' || (op.face === 'auth' && tokenApiOf(req) === 'v2');
    const key = v2 ? `v2:${found.integration!.subscriptionKey}` : `v1:${found.integration!.applicationKey}`;
    const decision = this.services.rateLimiter.take(key, v2 ? limits.v2PerSecond : limits.v1PerSecond);
    if (!decision.ok) return rateLimited(decision.retryAfter);
    return undefined;
  }

  /**
   * A POST whose exact body this integration already POSTed to the same path, with no agency GET in between: a
   * blind retry. Harmless here only where the sandbox deduplicates; the vendor often does not.
   */
  private noteRetry(req: SandboxRequest, ctx: RequestContext): void {
    const caller = ctx.caller!;
    const fingerprint = createHash('sha256')
      .update(`${req.path.toLowerCase()}\n`)
      .update(req.body ?? new Uint8Array())
      .digest('hex');
    ctx.fingerprint = fingerprint;
    const entries = this.services.journal.list(caller.clientId);
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      if ((e.face !== 'v1' && e.face !== 'v2') || e.integrationId !== caller.integrationId) continue;
      if (e.method === 'GET') return;
      if (e.method === 'POST' && e.fingerprint === fingerprint) {
        warn(
          ctx,
          'post-retried-without-read-back',
          `the same body was POSTed to ${req.path} before (request ${e.seq}, status ${e.status}) with no GET in between; on the real ` +
            `API a blind retry can post twice`,
        );
        return;
      }
    }
  }

  /** A v1 failure in the form the client chose (settings.v1ErrorStatuses). */
  private async v1ErrorForm(clientId: string, response: SandboxResponse, known?: ClientFacts): Promise<SandboxResponse> {
    const mode = known
      ? known.v1ErrorStatuses
      : await this.engine.read(clientId, (w) => w.settings.v1ErrorStatuses).catch(() => undefined);
    return mode ? v1ErrorAs(response, mode) : response;
  }

  private controlDenied(req: SandboxRequest): Problem | undefined {
    const admin = this.options.adminToken;
    if (admin) {
      const given = req.headers['x-sandbox-admin-token'] ?? /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!sameSecret(given, admin))
        return {
          status: 401,
          title: titleOf(401),
          detail: 'the control API needs the admin token (header X-Sandbox-Admin-Token or Authorization: Bearer <admin token>)',
        };
      return undefined;
    }
    if (this.options.controlLoopbackOnly && !req.inProcess && !isLoopback(req.remoteAddress))
      return {
        status: 403,
        title: titleOf(403),
        detail: 'the control API answers only loopback callers unless the server runs with --admin-token',
      };
    return undefined;
  }

  private responseDrift(op: Operation, res: SandboxResponse): string | undefined {
    const spec = op.responses[res.status];
    if (!spec)
      return `${op.operationId} answered ${res.status}, which its contract does not list (${Object.keys(op.responses).join(', ')})`;
    if (!spec.schema || res.body instanceof Uint8Array) return undefined;
    const schema = res.partialItems && spec.schema.type === 'array' ? Type.Array(Type.Partial(spec.schema.items as TObject)) : spec.schema;
    const problems = check(schema, res.body, '');
    return problems.length
      ? `${op.operationId} ${res.status} response drifts from its contract: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`
      : undefined;
  }

  /** The caller a valid token names, for a request no route matched (so its 404 is journaled); else none. */
  private async callerIfAny(face: Face, req: SandboxRequest, state: RequestState, ctx: RequestContext): Promise<RequestContext['caller']> {
    if (!req.headers.authorization) return undefined;
    return withAgencyCaller(this.engine, this.services.tokens, face, req, (access, check) => this.held(access, state, ctx, check)).catch(
      (e: unknown) => {
        if (e instanceof StoreUnavailable) throw e; // the database is away: 503, not an anonymous 404
        return undefined;
      },
    );
  }

  private async journal(
    face: Face,
    op: Operation | undefined,
    req: SandboxRequest,
    ctx: RequestContext,
    res: SandboxResponse,
    refusal: { problem: string | null; detail: Record<string, unknown> | null },
    started: number,
    refusedClient?: string,
    knownSandboxTime?: string,
  ): Promise<void> {
    const clientId =
      ctx.caller?.clientId ?? refusedClient ?? (face === 'control' ? /^\/_sandbox\/clients\/([^/]+)/i.exec(req.path)?.[1] : undefined);
    if (!clientId) return;
    // The client's clock as it stood after the answer, in its zone (null once the client is gone).
    const sandboxTime =
      knownSandboxTime ?? (await this.engine.read(clientId, (w) => formatLocalInstant(w.clock.now, w.timeZone)).catch(() => null));
    this.services.journal.record(
      clientId,
      {
        at: new Date().toISOString(),
        sandboxTime,
        face,
        method: req.method,
        path: req.path + (req.query.size ? `?${req.query.toString()}` : ''),
        status: res.status,
        operationId: op?.operationId ?? null,
        integrationId: ctx.caller?.integrationId ?? null,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        problem: refusal.problem ?? ctx.injectedFailure ?? null,
        host: req.host?.name ?? null,
        ...(res.headers?.['x-sandbox-detail']
          ? { detail: JSON.parse(res.headers['x-sandbox-detail']) as Record<string, unknown> }
          : refusal.detail
            ? { detail: refusal.detail }
            : {}),
        ...(face === 'auth' ? { grantType: grantTypeOf(req) } : {}),
        warnings: ctx.warnings,
        fingerprint: ctx.fingerprint ?? null,
      },
      {
        requestHeaders: redactedHeaders(req.headers),
        ...(req.body?.length ? { requestBody: req.body } : {}),
        responseHeaders: res.headers ?? {},
        ...(res.body !== undefined ? { responseBody: res.body } : {}),
      },
    );
  }
}

/** The OAuth grant a token request asked for (client_credentials, refresh_token), for the journal. */
function grantTypeOf(req: SandboxRequest): string | null {
  if (!req.body?.length) return null;
  return new URLSearchParams(new TextDecoder().decode(req.body)).get('grant_type');
}
