/** Control API: fault injection and token revocation, for testing an integration's error handling. */
import { operation, type Operation } from '../core/types.js';
import * as S from '../../../contracts/schemas/control.js';
import { addFault, clearFaults, describe, removeFault } from '../../domain/commands/faults.js';
import { emit, now } from '../../domain/context.js';
import type { Fault, World } from '../../domain/model.js';
import { formatLocalInstant } from '../../domain/time.js';
import { TAGS, problems, ok, read, userWrite } from './common.js';

function faultView(world: World, f: Fault) {
  return { id: f.id, match: { ...f.match }, effect: { ...f.effect }, remaining: f.remaining, fraction: f.fraction, seen: f.seen, fired: f.fired, description: describe(f), createdAt: formatLocalInstant(f.createdAt, world.timeZone) };
}

export const faultOperations: Operation[] = [
  operation({
    operationId: 'addFault',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/faults',
    summary: "Inject a fault into this client's agency API: a status (429/500/502/503), latency or a dropped connection, for the next N calls or a share of calls",
    description: 'Every firing is in the event journal as fault.injected.',
    tags: TAGS.journal,
    auth: 'control',
    params: S.ClientParams,
    body: S.FaultInput,
    responses: { 201: { description: 'the fault', schema: S.FaultView }, ...problems },
    handle: async ({ params, body }, ctx) =>
      ok(
        S.FaultView,
        await userWrite(ctx, params.clientId, (c) =>
          faultView(c.world, addFault(c, { match: body.match ?? {}, effect: body.effect, ...(body.count !== undefined ? { count: body.count } : {}), ...(body.fraction !== undefined ? { fraction: body.fraction } : {}) })),
        ),
        201,
      ),
  }),
  operation({
    operationId: 'listFaults',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}/faults',
    summary: 'Injected faults with how often each matched and fired',
    tags: TAGS.journal,
    auth: 'control',
    params: S.ClientParams,
    responses: { 200: { description: 'faults', schema: S.FaultListView }, ...problems },
    handle: async ({ params }, ctx) => ok(S.FaultListView, await read(ctx, params.clientId, (w) => ({ faults: (w.faults ?? []).map((f) => faultView(w, f)) }))),
  }),
  operation({
    operationId: 'removeFault',
    face: 'control',
    method: 'DELETE',
    path: '/_sandbox/clients/{clientId}/faults/{faultId}',
    summary: 'Remove a fault',
    tags: TAGS.journal,
    auth: 'control',
    params: S.FaultParams,
    responses: { 204: { description: 'removed' }, ...problems },
    handle: async ({ params }, ctx) => (await userWrite(ctx, params.clientId, (c) => removeFault(c, params.faultId)), { status: 204 }),
  }),
  operation({
    operationId: 'clearFaults',
    face: 'control',
    method: 'DELETE',
    path: '/_sandbox/clients/{clientId}/faults',
    summary: 'Remove every fault',
    tags: TAGS.journal,
    auth: 'control',
    params: S.ClientParams,
    responses: { 204: { description: 'removed' }, ...problems },
    handle: async ({ params }, ctx) => (await userWrite(ctx, params.clientId, (c) => clearFaults(c)), { status: 204 }),
  }),
  operation({
    operationId: 'revokeTokens',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/tokens/revoke',
    summary: "Revoke every access token issued for this client so far: the next agency call gets 401 and must fetch a new one",
    tags: TAGS.journal,
    auth: 'control',
    params: S.ClientParams,
    responses: { 200: { description: 'revoked', schema: S.RevokeView }, ...problems },
    async handle({ params }, ctx) {
      const at = await userWrite(ctx, params.clientId, (c) => {
        emit(c, 'tokens.revoked', 'every access token issued so far was revoked', {});
        return now(c.world);
      });
      ctx.services.tokens.revokeAll(params.clientId);
      return ok(S.RevokeView, await read(ctx, params.clientId, (w) => ({ revoked: true, at: formatLocalInstant(at, w.timeZone) })));
    },
  }),
];
