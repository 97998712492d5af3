/**
 * Who is calling an agency endpoint. v1 takes a bearer token; v2 also needs the integration's subscription key
 * (Azure API Management checks it first). A token is for one API (a v1 token is refused on v2 and the reverse),
 * expires on the client's sandbox clock, reaches only its own client (and only the incarnation it was issued for),
 * and carries the integration's privileges.
 */
import type { ClientAccess, Engine } from '../../engine.js';
import type { Integration, World } from '../../domain/model.js';
import type { Face, AgencyCaller, SandboxRequest, SandboxResponse } from '../core/types.js';
import type { TokenClaims, TokenService } from '../core/services.js';
import { toMillis, fromMillis } from '../../domain/time.js';
import { incarnationOf } from '../../domain/world.js';
import { urlOnHost } from '../core/hosts.js';
import { sameSecret } from './same-secret.js';

/** A ready answer that ends the request (a 401 in the face's own body). */
export class HttpFailure extends Error {
  constructor(
    readonly response: SandboxResponse,
    /** The client the refused request was meant for, when the token names it (so the journal shows it). */
    readonly clientId?: string,
  ) {
    super(`HTTP ${response.status}`);
  }
}

export const V1_DENIED = 'Authorization has been denied for this request.';
export const APIM_NO_KEY =
  'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.';
export const APIM_BAD_KEY = 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.';
export const APIM_BAD_TOKEN = 'Unauthorized. Access token is missing or invalid.';

function unauthorized(face: Face, reason: string, message = V1_DENIED, clientId?: string): HttpFailure {
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'www-authenticate': `Bearer error="invalid_token", error_description="${reason.replace(/"/g, "'")}"`,
  };
  const body = face === 'v2' ? { statusCode: 401, message } : { Message: message };
  return new HttpFailure({ status: 401, headers, body }, clientId);
}

export function subscriptionKeyOf(req: SandboxRequest): string | undefined {
  return req.headers['ocp-apim-subscription-key'] ?? req.query.get('subscription-key') ?? undefined;
}

/** Where each API's token comes from, in the form the caller addressed the sandbox (for refusals that say so). */
export function tokenUrlFor(req: SandboxRequest, api: 'v1' | 'v2'): string {
  const host = req.host ?? { name: null, api: null, demo: false, via: 'none' as const, routePath: req.path };
  return host.via === 'none'
    ? `${api === 'v1' ? '/api.poweroffice.net' : '/goapi.poweroffice.net'}/OAuth/Token`
    : urlOnHost(req, host, api, '/OAuth/Token');
}

/** What a token check needs from the client's world: its clock, incarnation and the token's integration. */
export interface CallerFacts {
  now: string;
  incarnation: string;
  integration: Integration | undefined;
}

export function callerFacts(world: World, integrationId: string): CallerFacts {
  return { now: world.clock.now, incarnation: incarnationOf(world), integration: world.integrations.find((i) => i.id === integrationId) };
}

/** The checks that need no world: the subscription key is sent (v2), a bearer token this sandbox issued, not revoked. */
export async function agencyClaims(tokens: TokenService, face: Face, req: SandboxRequest): Promise<TokenClaims> {
  const api = face === 'v2' ? 'v2' : 'v1';
  const subscriptionKey = subscriptionKeyOf(req);
  if (api === 'v2' && !subscriptionKey) throw unauthorized(face, 'missing subscription key', APIM_NO_KEY);
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const badToken = badTokenMessage(face);
  if (!match) throw unauthorized(face, 'no bearer token in the Authorization header', badToken);
  const checked = await tokens.inspect(match[1]!);
  if (checked.status === 'invalid') throw unauthorized(face, 'the token is not one this sandbox issued', badToken);
  const { claims } = checked;
  if (checked.status === 'revoked')
    throw unauthorized(face, 'the token was revoked (POST /_sandbox/clients/{id}/tokens/revoke)', badToken, claims.clientId);
  return claims;
}

const badTokenMessage = (face: Face) => (face === 'v2' ? APIM_BAD_TOKEN : V1_DENIED);

/** The refusal for a token whose client is gone (its world could not be found). */
export function clientGone(face: Face): HttpFailure {
  return unauthorized(face, 'the client of this token no longer exists', badTokenMessage(face));
}

/** The checks against the client's world (found: undefined when the client is gone), in the order the vendor makes them. */
export function callerIn(face: Face, req: SandboxRequest, claims: TokenClaims, found: CallerFacts | undefined): AgencyCaller {
  const api = face === 'v2' ? 'v2' : 'v1';
  const badToken = badTokenMessage(face);
  if (!found) throw clientGone(face);
  if (found.incarnation !== claims.incarnation)
    throw unauthorized(
      face,
      `the token belongs to an earlier client ${claims.clientId} that was deleted; this one was created since: request a new token`,
      badToken,
      claims.clientId,
    );
  if (!found.integration) throw unauthorized(face, 'the integration of this token no longer exists', badToken, claims.clientId);
  if (claims.audience !== api) {
    const from = claims.audience === 'v1-refresh' ? 'a v1 refresh token, not an access token' : `a ${claims.audience} token`;
    throw unauthorized(
      face,
      `this is ${from}; ${api} takes a ${api} access token from ${tokenUrlFor(req, api)}`,
      badToken,
      claims.clientId,
    );
  }
  if (claims.expiresAt !== null && toMillis(found.now) >= claims.expiresAt * 1000)
    throw unauthorized(
      face,
      `the token expired at ${fromMillis(claims.expiresAt * 1000)} on the client's sandbox clock (now ${found.now}); request a new one`,
      badToken,
      claims.clientId,
    );
  if (api === 'v2' && !sameSecret(subscriptionKeyOf(req), found.integration.subscriptionKey))
    throw unauthorized(face, 'invalid subscription key', APIM_BAD_KEY, claims.clientId);
  return { clientId: claims.clientId, integrationId: claims.integrationId, tokenId: claims.tokenId, api };
}

/**
 * A caller's request inside one hold of its client's world (Engine.access): `inside` gets the hold and `check`, the
 * token's checks against that world (it throws the 401). A client that is gone is a 401 before `inside` runs; a store
 * failure (unavailable, damaged) goes on as itself, never as a 401.
 */
export async function withAgencyCaller<T>(
  engine: Engine,
  tokens: TokenService,
  face: Face,
  req: SandboxRequest,
  inside: (access: ClientAccess, check: () => Promise<AgencyCaller>) => Promise<T>,
): Promise<T> {
  const claims = await agencyClaims(tokens, face, req);
  return engine.accessOr(
    claims.clientId,
    (access) => inside(access, async () => callerIn(face, req, claims, await access.read((w) => callerFacts(w, claims.integrationId)))),
    () => Promise.reject(clientGone(face)),
  );
}
