/**
 * inkasso-sandbox/pact: the sandbox's provider states inside a team's own Pact verification. Give pact-js's
 * `Verifier` the options from `pactVerifierOptions({ sandboxUrl })` (with your broker settings on top): every
 * interaction then runs on a fresh client of that running sandbox, its provider states set up from the catalogue
 * (contracts/provider-states.md), and its request authenticated as that client's integration.
 *
 * Verifiers other than pact-js use the sandbox's state-change URL instead: `pactStateChangeUrl(sandboxUrl)`.
 */
import type { VerifierOptions } from '@pact-foundation/pact';
import { ProviderSession, resendBodyFilter, type InteractionRun } from '../../contracts/pact/session.js';
import type { Fetch } from '../http.js';
import { ROUTES, pathOf } from '../../contracts/routes.js';

export type { InteractionRun, CapturedResponse } from '../../contracts/pact/session.js';
export {
  PROVIDER_STATES,
  PROVIDER_STATE_NAMES,
  CREDENTIAL_VALUES,
  type ProviderStateName,
  type StateParams,
  type StateValues,
} from '../../contracts/provider-states.js';

export interface SandboxPactOptions {
  /** The running sandbox, e.g. http://localhost:4010 (its control API and both agency faces answer there). */
  sandboxUrl: string;
  /** When the sandbox runs with --admin-token. */
  adminToken?: string;
  /** Start every interaction's client on this date (YYYY-MM-DD or date-time); default: the sandbox's today. */
  startDate?: string;
  /** Another fetch (a proxy, a test transport); default: the global fetch. */
  fetch?: Fetch;
}

/** What `pactProvider` hands pact-js, and what it saw. */
export interface SandboxPactProvider {
  /** One handler for any state name the pacts use (also names only known from a broker), values inline included. */
  stateHandlers: NonNullable<VerifierOptions['stateHandlers']>;
  /** Replaces the credentials a replayed request carries with its interaction's integration's. */
  requestFilter: NonNullable<VerifierOptions['requestFilter']>;
  /** Every interaction in the order the verifier ran it: its states, client, values, setup errors and answers. */
  readonly runs: readonly InteractionRun[];
}

/** The provider-state machinery for pact-js's `Verifier`, against a running sandbox. */
export function pactProvider(options: SandboxPactOptions): SandboxPactProvider {
  const session = new ProviderSession({
    baseUrl: options.sandboxUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    ...(options.startDate ? { startDate: options.startDate } : {}),
  });
  return {
    stateHandlers: session.anyStateHandlers() as unknown as SandboxPactProvider['stateHandlers'],
    requestFilter: session.requestFilter as unknown as SandboxPactProvider['requestFilter'],
    runs: session.runs,
  };
}

export interface SandboxVerifierOptions extends SandboxPactOptions {
  /** The provider name your pacts use (default "PowerOffice Go"). */
  provider?: string;
}

/** The part of pact-js `VerifierOptions` the sandbox decides; spread it and add the pacts and the broker settings. */
export type PactVerifierOptions = Required<Pick<VerifierOptions, 'provider' | 'providerBaseUrl' | 'stateHandlers' | 'requestFilter'>>;

/**
 * Options for `new Verifier({ ...pactVerifierOptions({ sandboxUrl }), pactBrokerUrl, consumerVersionSelectors, … })`.
 */
export function pactVerifierOptions(options: SandboxVerifierOptions): PactVerifierOptions {
  const { stateHandlers, requestFilter } = pactProvider(options);
  return {
    provider: options.provider ?? 'PowerOffice Go',
    providerBaseUrl: options.sandboxUrl.replace(/\/+$/, ''),
    stateHandlers,
    requestFilter,
  };
}

/** The part of pact-js `VerifierOptions` for verifying with the sandbox's state-change URL instead of handlers. */
export type PactStateChangeOptions = Required<
  Pick<VerifierOptions, 'provider' | 'providerBaseUrl' | 'providerStatesSetupUrl' | 'requestFilter'>
>;

/**
 * Options for pact-js's `Verifier` with the states set up by the sandbox itself (POST /_sandbox/pact/state): no
 * handlers run in your process, so the pact must carry its credentials as provider-state expressions
 * (`${v1Authorization}`, `${v2Authorization}`, `${subscriptionKey}`, `${tokenAuthorization}`). The request filter
 * only undoes pact-js's proxy turning a form body (a token request) into JSON.
 */
export function pactStateChangeOptions(options: {
  sandboxUrl: string;
  provider?: string;
  session?: string;
  startDate?: string;
}): PactStateChangeOptions {
  return {
    provider: options.provider ?? 'PowerOffice Go',
    providerBaseUrl: options.sandboxUrl.replace(/\/+$/, ''),
    providerStatesSetupUrl: pactStateChangeUrl(options.sandboxUrl, {
      ...(options.session ? { session: options.session } : {}),
      ...(options.startDate ? { startDate: options.startDate } : {}),
    }),
    requestFilter: resendBodyFilter as unknown as PactStateChangeOptions['requestFilter'],
  };
}

/**
 * The sandbox's state-change URL (POST /_sandbox/pact/state) for a verifier without pact-js's handlers: pact-js
 * `providerStatesSetupUrl`, pact_verifier_cli `--state-change-url`, pact-jvm `stateChangeUrl`. `session` keeps
 * runs against one sandbox at the same time apart.
 */
export function pactStateChangeUrl(sandboxUrl: string, options: { session?: string; startDate?: string } = {}): string {
  const query = new URLSearchParams({
    ...(options.session ? { session: options.session } : {}),
    ...(options.startDate ? { startDate: options.startDate } : {}),
  }).toString();
  return sandboxUrl.replace(/\/+$/, '') + pathOf(ROUTES.changePactState) + (query ? `?${query}` : '');
}
