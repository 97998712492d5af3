/**
 * POST /OAuth/Token: client-credentials grant with Basic base64(applicationKey:clientKey). The subscription key is
 * checked when sent (v2 clients send it; v1 clients never had one). The lifetime runs on the client's clock.
 */
import { operation, type Operation } from '../core/types.js';
import { oauthError } from '../core/errors.js';
import { TokenError, TokenRequest, TokenResponse, ApimFailure } from '../../../contracts/schemas/common.js';
import { toMillis } from '../../domain/time.js';
import { APIM_BAD_KEY, subscriptionKeyOf } from './agency-auth.js';

export const INVALID_CLIENT = 'Client integration not found. Please ensure the provided keys are matching the desired environment.';

/** The client a token request is for (before it is checked), for faults and rate limits. */
export function tokenRequestClient(engine: { findCredential(clientKey: string): { clientId: string; integrationId: string } | undefined }, req: { headers: Record<string, string | undefined> }) {
  const creds = basicCredentials(req.headers.authorization);
  return creds ? engine.findCredential(creds.clientKey) : undefined;
}

function basicCredentials(header: string | undefined): { applicationKey: string; clientKey: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec((header ?? '').trim());
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { applicationKey: decoded.slice(0, colon), clientKey: decoded.slice(colon + 1) };
}

export const tokenOperation: Operation = operation({
  operationId: 'requestToken',
  face: 'auth',
  method: 'POST',
  path: '/OAuth/Token',
  summary: 'Access token for an integration on a client (client credentials)',
  description: 'Authorization: Basic base64(applicationKey:clientKey); form body grant_type=client_credentials; header Ocp-Apim-Subscription-Key.',
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
    if (body.grant_type !== 'client_credentials') return oauthError('unsupported_grant_type', `grant_type must be client_credentials, not '${body.grant_type}'`);
    const creds = basicCredentials(request.headers.authorization);
    if (!creds) return oauthError('invalid_client', 'send Authorization: Basic base64(applicationKey:clientKey)');
    const ref = await ctx.engine.lookupCredential(creds.clientKey);
    if (!ref) return oauthError('invalid_client', INVALID_CLIENT);
    const found = await ctx.engine.read(ref.clientId, (world) => ({ world, integration: world.integrations.find((i) => i.id === ref.integrationId) })).catch(() => undefined);
    const integration = found?.integration;
    if (!found || !integration || integration.applicationKey !== creds.applicationKey) return oauthError('invalid_client', INVALID_CLIENT);
    const subscriptionKey = subscriptionKeyOf(request);
    if (subscriptionKey !== undefined && subscriptionKey !== integration.subscriptionKey)
      return { status: 401, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { statusCode: 401, message: APIM_BAD_KEY } };
    const lifetime = found.world.settings.tokenLifetimeSeconds;
    const issuedAt = toMillis(found.world.clock.now);
    const { token, claims } = ctx.services.tokens.issue({ clientId: ref.clientId, integrationId: integration.id, issuedAt, expiresAt: issuedAt + lifetime * 1000 });
    ctx.caller = { clientId: ref.clientId, integrationId: integration.id, tokenId: claims.tokenId };
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: { access_token: token, token_type: 'bearer', expires_in: lifetime },
    };
  },
});
