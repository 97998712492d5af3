/** Control API: fault injection and token revocation, for testing an integration's error handling. */
import type { Operation } from '../core/types.js';
import * as S from '../../../contracts/schemas/control.js';
import { addFault, clearFaults, describe, removeFault } from '../../domain/commands/faults.js';
import { emit, now } from '../../domain/context.js';
import type { Fault, World } from '../../domain/model.js';
import { formatLocalInstant } from '../../domain/time.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { controlOp } from './common.js';
import { TAGS, read, userWrite } from './common.js';

function faultView(world: World, f: Fault) {
  return {
    id: f.id,
    match: { ...f.match },
    effect: { ...f.effect },
    remaining: f.remaining,
    fraction: f.fraction,
    seen: f.seen,
    fired: f.fired,
    description: describe(f),
    createdAt: formatLocalInstant(f.createdAt, world.timeZone),
  };
}

export const faultOperations: Operation[] = [
  controlOp(R.addFault, {
    summary:
      "Inject a fault into this client's agency API: a status (429/500/502/503), latency or a dropped connection, for the next N " +
      'calls or a share of calls',
    description: 'Every firing is in the event journal as fault.injected.',
    tags: TAGS.journal,
    answers: 'the fault',
    handle: async ({ params, body }, ctx) =>
      await userWrite(ctx, params.clientId, (c) =>
        faultView(
          c.world,
          addFault(c, {
            match: body.match ?? {},
            effect: body.effect,
            ...(body.count !== undefined ? { count: body.count } : {}),
            ...(body.fraction !== undefined ? { fraction: body.fraction } : {}),
          }),
        ),
      ),
  }),
  controlOp(R.listFaults, {
    summary: 'Injected faults with how often each matched and fired',
    tags: TAGS.journal,
    answers: 'faults',
    handle: async ({ params }, ctx) => read(ctx, params.clientId, (w) => ({ faults: (w.faults ?? []).map((f) => faultView(w, f)) })),
  }),
  controlOp(R.removeFault, {
    summary: 'Remove a fault',
    tags: TAGS.journal,
    answers: 'removed',
    handle: async ({ params }, ctx) => void (await userWrite(ctx, params.clientId, (c) => removeFault(c, params.faultId))),
  }),
  controlOp(R.clearFaults, {
    summary: 'Remove every fault',
    tags: TAGS.journal,
    answers: 'removed',
    handle: async ({ params }, ctx) => void (await userWrite(ctx, params.clientId, (c) => clearFaults(c))),
  }),
  controlOp(R.revokeTokens, {
    summary: 'Revoke every access token issued for this client so far: the next agency call gets 401 and must fetch a new one',
    tags: TAGS.journal,
    answers: 'revoked',
    async handle({ params }, ctx) {
      const at = await userWrite(ctx, params.clientId, (c) => {
        emit(c, 'tokens.revoked', 'every access token issued so far was revoked', {});
        return now(c.world);
      });
      ctx.services.tokens.revokeAll(params.clientId);
      return await read(ctx, params.clientId, (w) => ({ revoked: true, at: formatLocalInstant(at, w.timeZone) }));
    },
  }),
];
