/**
 * POST /OAuth/Token on each host. v1 (api.poweroffice.net): client credentials with Basic
 * base64(applicationKey:clientKey), no subscription key, 600 s, with a refresh_token; grant_type=refresh_token
 * exchanges one (once) for a new pair. v2 (goapi.poweroffice.net): the subscription key is required, 1200 s, no
 * refresh token. At the unprefixed /OAuth/Token the token is for v2 iff a subscription key is sent. Lifetimes run
 * on the client's clock; tokens are JWTs bound to the API, the integration and the client's incarnation.
 */
import {
  operation,
  type Operation,
  type SandboxRequest,
  type SandboxResponse,
  type RequestContext,
  type TokenRequestTarget,
} from '../core/types.js';
import { oauthError } from '../core/errors.js';
import { TokenError, TokenRequest, TokenResponse, ApimFailure } from '../../../contracts/schemas/common.js';
import { toMillis } from '../../domain/time.js';
import { incarnationOf } from '../../domain/world.js';
import { StoreDamaged, StoreUnavailable } from '../../storage/store.js';
import type { Integration, World } from '../../domain/model.js';
import { APIM_BAD_KEY, APIM_NO_KEY, subscriptionKeyOf, tokenUrlFor } from './agency-auth.js';
import { sameSecret } from './same-secret.js';
import { noneIfNotFound } from '../../domain/errors.js';
import type { CredentialRef, Engine } from '../../engine.js';
import type { TokenService } from '../core/services.js';
import { canonicalizeKeys } from '../core/validation.js';

export const INVALID_CLIENT = 'Client integration not found. Please ensure the provided keys are matching the desired environment.';

/** The API a token request is for: the host's, or at the unprefixed path v2 iff a subscription key is sent. */
export function tokenApiOf(req: SandboxRequest): 'v1' | 'v2' {
  return req.host?.api ?? (subscriptionKeyOf(req) !== undefined ? 'v2' : 'v1');
}

/** The client a token request's Basic key names (before it is checked, as this process knows it): the answer's clock is its. */
export function tokenRequestClient(
  engine: { findCredential(clientKey: string): { clientId: string; integrationId: string } | undefined },
  req: { headers: Record<string, string | undefined> },
) {
  const creds = basicCredentials(req.headers.authorization);
  return creds ? engine.findCredential(creds.clientKey) : undefined;
}

/**
 * The client a token request is answered from, found before its one hold of that client's world (issue 11): the
 * client its Basic client key names (its faults, rate limits and clock, as for any request it makes), else on a v1
 * refresh grant the client a valid refresh token names. None: the answer needs no world (no engine access).
 */
export async function tokenRequestTarget(engine: Engine, tokens: TokenService, req: SandboxRequest): Promise<TokenRequestTarget> {
  const clientKey = basicCredentials(req.headers.authorization)?.clientKey;
  // The gateway (API Management) refuses a v2 call without a subscription key before the token service sees it: no
  // client's faults or limits, and no store to ask (a database that is down still answers this 401).
  if (tokenApiOf(req) === 'v2' && subscriptionKeyOf(req) === undefined) return { clientKey, credential: undefined, clientId: undefined };
  // lookupCredential: on a shared store the key may belong to a client another process made.
  const credential = clientKey !== undefined ? await engine.lookupCredential(clientKey) : undefined;
  if (credential) return { clientKey, credential, clientId: credential.clientId };
  const refreshToken = tokenApiOf(req) === 'v1' ? refreshTokenOf(req) : undefined;
  const checked = refreshToken ? await tokens.inspect(refreshToken) : undefined;
  const clientId = checked?.status === 'valid' && checked.claims.audience === 'v1-refresh' ? checked.claims.clientId : undefined;
  return { clientKey, credential, clientId };
}

/** The refresh token of a refresh grant, read from the form body as the operation will bind it. */
function refreshTokenOf(req: SandboxRequest): string | undefined {
  if (!req.body?.length) return undefined;
  const form = canonicalizeKeys(Object.fromEntries(new URLSearchParams(new TextDecoder().decode(req.body))), TokenRequest) as {
    grant_type?: string;
    refresh_token?: string;
  };
  return form.grant_type === 'refresh_token' ? form.refresh_token : undefined;
}

/** A client's world: through the request's hold when it holds that client, else (no hold) through the engine. */
function readWorld<T>(ctx: RequestContext, clientId: string, query: (world: World) => T): Promise<T> {
  return ctx.access?.clientId === clientId ? ctx.access.read(query) : ctx.engine.read(clientId, query);
}

/** The integration a client key names, as the dispatcher looked it up before the hold (else asked now). */
async function credentialOf(ctx: RequestContext, clientKey: string): Promise<CredentialRef | undefined> {
  const known = ctx.tokenRequest;
  return known && known.clientKey === clientKey ? known.credential : ctx.engine.lookupCredential(clientKey);
}

function basicCredentials(header: string | undefined): { applicationKey: string; clientKey: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec((header ?? '').trim());
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { applicationKey: decoded.slice(0, colon), clientKey: decoded.slice(colon + 1) };
}

const apim = (message: string): SandboxResponse => ({
  status: 401,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: { statusCode: 401, message },
});

type Found = { clientId: string; world: World; integration: Integration };

/** The integration the Basic credentials name, compared in constant time; undefined when they name none. */
async function integrationOf(ctx: RequestContext, header: string | undefined): Promise<Found | undefined> {
  const creds = basicCredentials(header);
  const ref = creds ? await credentialOf(ctx, creds.clientKey) : undefined;
  if (!creds || !ref) return undefined;
  const found = await readWorld(ctx, ref.clientId, (world) => ({
    world,
    integration: world.integrations.find((i) => i.id === ref.integrationId),
  })).catch((e: unknown) => {
    if (e instanceof StoreUnavailable || e instanceof StoreDamaged) throw e; // 503, or the damaged file named: not "unknown keys"
    return undefined;
  });
  const integration = found?.integration;
  if (!found || !integration) return undefined;
  const clientOk = sameSecret(creds.clientKey, integration.clientKey);
  const appOk = sameSecret(creds.applicationKey, integration.applicationKey);
  return clientOk && appOk ? { clientId: ref.clientId, world: found.world, integration } : undefined;
}

/** An access token (and on v1 a refresh token) for the integration, issued on the client's clock. */
async function grant(ctx: RequestContext, api: 'v1' | 'v2', f: Found): Promise<SandboxResponse> {
  const settings = f.world.settings;
  const lifetime = api === 'v1' ? settings.v1TokenLifetimeSeconds : settings.tokenLifetimeSeconds;
  const issuedAt = Math.floor(toMillis(f.world.clock.now) / 1000);
  const base = { clientId: f.clientId, integrationId: f.integration.id, incarnation: incarnationOf(f.world), issuedAt };
  const { token, claims } = await ctx.services.tokens.issue({ ...base, audience: api, expiresAt: issuedAt + lifetime });
  const refresh =
    api === 'v1' && settings.v1RefreshTokens
      ? (await ctx.services.tokens.issue({ ...base, audience: 'v1-refresh', expiresAt: null })).token
      : undefined;
  ctx.caller = { clientId: f.clientId, integrationId: f.integration.id, tokenId: claims.tokenId, api };
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: { access_token: token, token_type: 'bearer', expires_in: lifetime, ...(refresh ? { refresh_token: refresh } : {}) },
  };
}

/** grant_type=refresh_token (v1): the refresh token works once, for its own integration on the same client. */
async function refreshGrant(ctx: RequestContext, request: SandboxRequest, refreshToken: string | undefined): Promise<SandboxResponse> {
  if (!refreshToken)
    return oauthError('invalid_request', 'grant_type=refresh_token needs refresh_token (the one the last token answer carried)');
  const invalid = (why: string) =>
    oauthError('invalid_grant', `the refresh token ${why}; request a new token with grant_type=client_credentials`);
  const checked = await ctx.services.tokens.inspect(refreshToken);
  if (checked.status === 'invalid' || checked.claims.audience !== 'v1-refresh') return invalid('is not one this sandbox issued');
  const { claims } = checked;
  if (checked.status === 'revoked') return invalid('was revoked');
  // Client authentication is optional (the token names its integration), but when sent it must be that integration.
  const authorization = request.headers.authorization;
  const keyOf = basicCredentials(authorization)?.clientKey;
  const named = keyOf !== undefined ? await credentialOf(ctx, keyOf) : undefined;
  if (authorization !== undefined && named && named.clientId !== claims.clientId) {
    // Keys of another client: answered from that client's world, the one this request holds (the token's is not read).
    const caller = await integrationOf(ctx, authorization);
    if (!caller) return oauthError('invalid_client', INVALID_CLIENT);
    return invalid('was issued to another integration');
  }
  const world = await readWorld(ctx, claims.clientId, (w) => w).catch(noneIfNotFound);
  if (!world || incarnationOf(world) !== claims.incarnation) return invalid('belongs to a client that no longer exists');
  const integration = world.integrations.find((i) => i.id === claims.integrationId);
  if (!integration) return invalid('belongs to an integration that no longer exists');
  if (!world.settings.v1RefreshTokens) return invalid('cannot be used: refresh tokens are off for this client (setting v1RefreshTokens)');
  if (authorization !== undefined) {
    const caller = await integrationOf(ctx, authorization);
    if (!caller) return oauthError('invalid_client', INVALID_CLIENT);
    if (caller.clientId !== claims.clientId || caller.integration.id !== integration.id)
      return invalid('was issued to another integration');
  }
  if (!ctx.services.tokens.spend(claims.tokenId)) return invalid('was used already (each works once)');
  return grant(ctx, 'v1', { clientId: claims.clientId, world, integration });
}

export const tokenOperation: Operation = operation({
  operationId: 'requestToken',
  face: 'auth',
  method: 'POST',
  path: '/OAuth/Token',
  summary: 'Access token for an integration on a client (client credentials)',
  description:
    'One per host: v1 at /api.poweroffice.net/OAuth/Token (no subscription key; 600 s; answers a refresh_token, and ' +
    'grant_type=refresh_token works), v2 at /goapi.poweroffice.net/OAuth/Token (header Ocp-Apim-Subscription-Key required; 1200 s; no ' +
    'refresh token). Authorization: Basic base64(applicationKey:clientKey); form body grant_type=client_credentials. At the ' +
    'unprefixed /OAuth/Token the token is for v2 iff a subscription key is sent.',
  tags: ['Auth'],
  auth: 'token',
  body: TokenRequest,
  bodyType: 'form',
  responses: {
    200: { description: 'the token', schema: TokenResponse },
    400: { description: 'unknown keys or wrong grant', schema: TokenError },
    401: { description: 'invalid subscription key (API Management)', schema: ApimFailure },
  },
  async handle({ body, request }, ctx) {
    const api = tokenApiOf(request);
    const subscriptionKey = subscriptionKeyOf(request);
    // API Management checks the key before anything reaches the token service.
    if (api === 'v2' && !subscriptionKey) return apim(APIM_NO_KEY);
    if (body.grant_type === 'refresh_token') {
      if (api === 'v2')
        return oauthError(
          'unsupported_grant_type',
          `v2 issues no refresh tokens: request a new token with grant_type=client_credentials (v1 refreshes at ` +
            `${tokenUrlFor(request, 'v1')})`,
        );
      return refreshGrant(ctx, request, typeof body.refresh_token === 'string' ? body.refresh_token : undefined);
    }
    if (body.grant_type !== 'client_credentials')
      return oauthError(
        'unsupported_grant_type',
        `grant_type must be client_credentials${api === 'v1' ? ' or refresh_token' : ''}, not '${body.grant_type}'`,
      );
    if (!basicCredentials(request.headers.authorization))
      return oauthError('invalid_client', 'send Authorization: Basic base64(applicationKey:clientKey)');
    const found = await integrationOf(ctx, request.headers.authorization);
    if (!found) return oauthError('invalid_client', INVALID_CLIENT);
    if (api === 'v2' && !sameSecret(subscriptionKey, found.integration.subscriptionKey)) return apim(APIM_BAD_KEY);
    return grant(ctx, api, found);
  },
});
