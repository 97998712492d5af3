/**
 * Control API: the Pact state-change URL, for a team that verifies its pacts with its own verifier (a Pact Broker
 * pipeline, pact-jvm, PactNet, pact_verifier_cli) against a running sandbox. Each interaction gets a fresh client
 * with its provider states set up from the catalogue (contracts/provider-states.ts); the answer holds the values for
 * the pact's provider-state expressions, the integration's credentials among them.
 *
 * Which calls belong to one interaction: the verifier sends one setup call per state, the request, then (with
 * teardown on; pact-js always) one teardown per state. A setup continues the current interaction's client while no
 * teardown came and nothing else was journaled on that client since the last setup; otherwise it starts a new one.
 *
 * The states are set up through the faces, on purpose: the handlers (contracts/pact/state-handlers.ts) are the ones
 * sdk/pact's ProviderSession runs against a remote sandbox, and their values are the ids the wire shows
 * (SubledgerAccountId, v2 account and VAT ids). So they drive the SDK over a dispatcher in this process (no network,
 * no socket): one built on first use over the request's engine and services and the static route table, not the
 * server's dispatcher handed in at construction.
 */
import type { Static } from '@sinclair/typebox';
import type { Operation } from '../core/types.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import type { Engine } from '../../engine.js';
import type { Services } from '../core/services.js';
import { dispatcherFetch } from '../fetch.js';
import * as S from '../../../contracts/schemas/control.js';
import { controlOp } from './common.js';
import { DomainRejection } from '../../domain/errors.js';
import type { Fetch } from '../../../sdk/http.js';
import { DEFAULT_STATE, ProviderStateError, resolveState, type ResolvedState } from '../../../contracts/provider-states.js';
import type { StateClient } from '../../../contracts/pact/state-handlers.js';

/** The state machinery (the SDK, the handlers, the dispatcher), loaded on the first state change rather than at server start. */
const machinery = () =>
  Promise.all([
    import('../../../contracts/pact/session.js'),
    import('../../../contracts/pact/state-handlers.js'),
    import('../../../sdk/control/client.js'),
    import('../core/dispatcher.js'),
    import('../routes.js'),
  ]).then(([session, handlers, control, dispatcher, routes]) => ({
    ...session,
    ...handlers,
    SandboxControl: control.SandboxControl,
    Dispatcher: dispatcher.Dispatcher,
    allRoutes: routes.allRoutes,
  }));

/** The in-process address the state handlers reach the sandbox on (never the network). */
const IN_PROCESS_URL = 'http://sandbox.in-process';
const MAX_SESSIONS = 200;

interface Interaction {
  client: StateClient;
  /** The client's newest journal entry after the last setup: anything newer means the request has run. */
  lastSeq: number;
  tornDown: boolean;
}

type Change = Static<typeof S.PactStateChange>;

/** The states one call names, in order (the empty name: an interaction without a provider state). */
function statesOf(body: Change): Array<{ name: string; params: Record<string, unknown> }> {
  if (body.states?.length)
    return body.states.map((s) =>
      typeof s === 'string' ? { name: s, params: body.params ?? {} } : { name: s.name, params: s.params ?? {} },
    );
  return [{ name: body.state ?? '', params: body.params ?? {} }];
}

function resolveAll(states: Array<{ name: string; params: Record<string, unknown> }>): ResolvedState[] {
  return states.map((s, i) => {
    try {
      return s.name.trim() ? resolveState(s.name, s.params) : resolveState(DEFAULT_STATE, s.params);
    } catch (e) {
      if (e instanceof ProviderStateError)
        throw new DomainRejection('invalid', e.message, { field: states.length > 1 ? `states[${i}]` : 'state' });
      throw e;
    }
  });
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class PactStateService {
  private readonly sessions = new Map<string, Interaction>();
  /** One state change at a time per session: the verifier sends them in order, and a second run must wait its turn. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private seq = 0;

  private fetch: Fetch | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly services: Services,
  ) {}

  change(body: Change, query: Static<typeof S.PactStateQuery>): Promise<Record<string, unknown>> {
    const key = query.session ?? '';
    const run = (this.queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => this.apply(key, body, query));
    this.queues.set(key, run);
    const done = () => {
      if (this.queues.get(key) === run) this.queues.delete(key);
    };
    run.then(done, done);
    return run;
  }

  private async apply(key: string, body: Change, query: Static<typeof S.PactStateQuery>): Promise<Record<string, unknown>> {
    const current = this.sessions.get(key);
    if (body.action === 'teardown') {
      if (current) current.tornDown = true;
      return {};
    }
    const states = resolveAll(statesOf(body));
    const { handlerFor, credentialValues } = await machinery();
    const journal = this.services.journal;
    const continues = current && !current.tornDown && journal.lastSeq(current.client.control.id) === current.lastSeq;
    const client = continues ? current.client : await this.newClient(query.startDate);
    const values: Record<string, unknown> = {};
    for (const state of states) {
      try {
        Object.assign(values, await handlerFor(state.name)({ client: async () => client }, state.params));
      } catch (e) {
        throw new DomainRejection(
          'invalid',
          `provider state "${state.title}" could not be set up on client ${client.control.id}: ${describe(e)}`,
          { field: 'state' },
        );
      }
    }
    Object.assign(values, await credentialValues(client));
    this.sessions.delete(key);
    this.sessions.set(key, { client, lastSeq: journal.lastSeq(client.control.id), tornDown: false });
    // Sessions are per pipeline run: keep the newest ones only.
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size <= MAX_SESSIONS) break;
      this.sessions.delete(oldest);
    }
    return values;
  }

  private async newClient(startDate: string | undefined): Promise<StateClient> {
    const { SandboxControl, createStateClient, Dispatcher, allRoutes } = await machinery();
    // The same engine and services (journal, tokens, rate limits) as the server's; in-process requests need no
    // admin token and pass the loopback check.
    const fetch = (this.fetch ??= dispatcherFetch(new Dispatcher(this.engine, this.services, allRoutes())) as Fetch);
    const control = new SandboxControl({ baseUrl: IN_PROCESS_URL, fetch });
    return createStateClient(control, { name: `Pact interaction ${++this.seq}`, fetch, ...(startDate ? { startDate } : {}) });
  }
}

/** One state service (its interactions) per sandbox. */
const services = new WeakMap<Services, PactStateService>();
function stateService(engine: Engine, s: Services): PactStateService {
  let found = services.get(s);
  if (!found) services.set(s, (found = new PactStateService(engine, s)));
  return found;
}

export const pactOperations: Operation[] = [
  controlOp(R.changePactState, {
    summary:
      "Pact state-change URL: set up a pact interaction's provider state on a fresh client and answer the values for its " +
      'provider-state expressions',
    description:
      'Point your Pact verifier here (pact-js `providerStatesSetupUrl`, pact_verifier_cli `--state-change-url`, pact-jvm ' +
      '`stateChangeUrl`) with the state change sent as a JSON body, and turn on teardown calls. ' +
      'A setup call starts a new client for a new interaction; further setup calls of the same interaction (before its teardown, ' +
      'and before its request reaches the client) set up their state on the same client. ' +
      "The answer holds the state's values (contracts/provider-states.md) and the integration's credentials (`v1Authorization`, " +
      "`v2Authorization`, `subscriptionKey`, …): use them in the pact's headers as provider-state expressions, or let the request " +
      'filter of `inkasso-sandbox/pact` set them. ' +
      'An unknown state or a bad parameter is a 400 naming it, with the closest known state and the catalogue.',
    tags: ['Control: Pact'],
    answers: 'the values for `fromProviderState` (`{}` on teardown)',
    handle: ({ body, query }, ctx) => stateService(ctx.engine, ctx.services).change(body, query),
  }),
];
