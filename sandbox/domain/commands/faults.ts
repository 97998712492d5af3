/**
 * Fault injection for a client's agency API: the next N calls, or a share of calls, to a chosen endpoint get an
 * error status, extra latency or a dropped connection. Faults live in the world (snapshots keep them) and every
 * firing is a journal event, so a test can see exactly what its integration was served.
 */
import type { CommandContext } from '../context.js';
import { emit, now } from '../context.js';
import type { Fault } from '../model.js';
import { reject } from '../errors.js';
import { nextUuid, uuidFrom } from '../ids.js';

export interface NewFault {
  match: Fault['match'];
  effect: Fault['effect'];
  /** Hit the next `count` matching calls. */
  count?: number;
  /** Or hit this share of matching calls. */
  fraction?: number;
}

/** An agency call as the serving face describes it to the fault matcher. */
export interface CallInfo {
  operationId: string;
  /** The call in the journal's words ('GET /v2/Customers'). */
  label: string;
  /** The face's reading of the rest of a fault's match (API, method, path prefix): wire matters the domain keeps but does not read. */
  wireMatches(match: Fault['match']): boolean;
}

function faults(ctx: CommandContext): Fault[] {
  return (ctx.world.faults ??= []);
}

export function addFault(ctx: CommandContext, input: NewFault): Fault {
  const e = input.effect;
  if (e.status === undefined && e.latencyMs === undefined && !e.drop && !e.dropAfterWrite && !e.businessFailure)
    throw reject.invalid('effect', 'needs status, latencyMs, drop, dropAfterWrite or businessFailure');
  if ([e.status !== undefined, e.drop, e.dropAfterWrite, e.businessFailure].filter(Boolean).length > 1)
    throw reject.invalid('effect', 'takes one of status, drop, dropAfterWrite and businessFailure (latencyMs goes with any)');
  if (input.count !== undefined && input.fraction !== undefined) throw reject.invalid('fraction', 'cannot be combined with count');
  const fault: Fault = {
    id: nextUuid(ctx.world),
    match: input.match,
    effect: input.effect,
    remaining: input.fraction !== undefined ? null : (input.count ?? 1),
    fraction: input.fraction ?? null,
    seen: 0,
    fired: 0,
    createdAt: now(ctx.world),
  };
  faults(ctx).push(fault);
  emit(ctx, 'fault.added', `fault added: ${describe(fault)}`, {}, { faultId: fault.id });
  return fault;
}

export function removeFault(ctx: CommandContext, id: string): void {
  const list = faults(ctx);
  const i = list.findIndex((f) => f.id === id);
  if (i < 0) throw reject.notFound('fault', id, 'faultId');
  list.splice(i, 1);
  emit(ctx, 'fault.removed', `fault ${id} removed`, {}, { faultId: id });
}

export function clearFaults(ctx: CommandContext): number {
  const n = faults(ctx).length;
  ctx.world.faults = [];
  if (n) emit(ctx, 'fault.removed', `all ${n} fault(s) removed`, {}, { count: n });
  return n;
}

function matches(f: Fault, call: CallInfo): boolean {
  return (!f.match.operationId || f.match.operationId === call.operationId) && call.wireMatches(f.match);
}

/** A stable coin for the n-th matching call of a fault: a share of calls, the same calls on every run. */
function coin(f: Fault): number {
  return parseInt(uuidFrom(`${f.id}:${f.seen}`).slice(0, 8), 16) / 0x1_0000_0000;
}

export function describe(f: Fault): string {
  const what = [
    f.effect.status && `status ${f.effect.status}`,
    f.effect.latencyMs && `${f.effect.latencyMs} ms latency`,
    f.effect.drop && 'dropped connection',
    f.effect.dropAfterWrite && 'answer lost after the write',
    f.effect.businessFailure && 'business failure (v1: 200 with success:false)',
  ]
    .filter(Boolean)
    .join(' + ');
  const where =
    Object.entries(f.match)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'every agency call';
  const how = f.fraction !== null ? `${Math.round(f.fraction * 100)} % of calls` : `the next ${f.remaining} call(s)`;
  return `${what} on ${where}, ${how}`;
}

/** Does a fault fire for this call? Counts it, and journals a firing. */
export function fireFault(ctx: CommandContext, call: CallInfo): Fault | undefined {
  for (const f of faults(ctx)) {
    if (!matches(f, call) || f.remaining === 0) continue;
    const hit = f.fraction === null || coin(f) < f.fraction;
    f.seen += 1;
    if (!hit) continue;
    f.fired += 1;
    if (f.remaining !== null) f.remaining -= 1;
    emit(
      ctx,
      'fault.injected',
      `injected into ${call.label}: ${describe(f)}`,
      {},
      { faultId: f.id, operationId: call.operationId, ...f.effect },
    );
    return f;
  }
  return undefined;
}

/** Is any fault armed (so a request need not take the client's lock to look)? */
export function hasArmedFaults(faultsOfWorld: Fault[] | undefined): boolean {
  return Boolean(faultsOfWorld?.some((f) => f.remaining !== 0));
}
