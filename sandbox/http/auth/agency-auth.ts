/**
 * Who is calling an agency endpoint. v1 takes a bearer token; v2 also needs the integration's subscription key
 * (Azure API Management checks it first). A token is for one API (a v1 token is refused on v2 and the reverse),
 * expires on the client's sandbox clock, reaches only its own client (and only the incarnation it was issued for),
 * and carries the integration's privileges.
 */
import type { Engine } from '../../engine.js';
import type { Face, AgencyCaller, SandboxRequest, SandboxResponse } from '../core/types.js';
import type { TokenService } from '../core/services.js';
import { toMillis, fromMillis } from '../../domain/time.js';
import { incarnationOf } from '../../domain/world.js';
import { StoreDamaged, StoreUnavailable } from '../../storage/store.js';
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

export async function authenticateAgency(engine: Engine, tokens: TokenService, face: Face, req: SandboxRequest): Promise<AgencyCaller> {
  const api = face === 'v2' ? 'v2' : 'v1';
  const subscriptionKey = subscriptionKeyOf(req);
  if (api === 'v2' && !subscriptionKey) throw unauthorized(face, 'missing subscription key', APIM_NO_KEY);
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const badToken = api === 'v2' ? APIM_BAD_TOKEN : V1_DENIED;
  if (!match) throw unauthorized(face, 'no bearer token in the Authorization header', badToken);
  const checked = await tokens.inspect(match[1]!);
  if (checked.status === 'invalid') throw unauthorized(face, 'the token is not one this sandbox issued', badToken);
  const { claims } = checked;
  if (checked.status === 'revoked')
    throw unauthorized(face, 'the token was revoked (POST /_sandbox/clients/{id}/tokens/revoke)', badToken, claims.clientId);
  const found = await engine
    .read(claims.clientId, (world) => ({
      now: world.clock.now,
      incarnation: incarnationOf(world),
      integration: world.integrations.find((i) => i.id === claims.integrationId),
    }))
    .catch((e: unknown) => {
      if (e instanceof StoreUnavailable || e instanceof StoreDamaged) throw e; // the database is away (503), the file damaged (named): not "no such client"
      return undefined;
    });
  if (!found) throw unauthorized(face, 'the client of this token no longer exists', badToken);
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
  if (api === 'v2' && !sameSecret(subscriptionKey, found.integration.subscriptionKey))
    throw unauthorized(face, 'invalid subscription key', APIM_BAD_KEY, claims.clientId);
  return { clientId: claims.clientId, integrationId: claims.integrationId, tokenId: claims.tokenId, api };
}
