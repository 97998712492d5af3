/**
 * Moving a client's clock. Time only goes forward; every rule due on the way runs at its own moment, in time
 * order (ties by invoice creation order), so the journal reads as if the days had passed one by one.
 */
import type { CommandContext } from '../domain/context.js';
import { emit, ACTORS } from '../domain/context.js';
import type { DomainEvent } from '../domain/model.js';
import { RULES } from '../domain/rules/index.js';
import { reschedule } from '../domain/schedule.js';
import { formatLocalInstant, fromMillis, toMillis, type Instant } from '../domain/time.js';
import { reject } from '../domain/errors.js';
import { dueQueue, isCurrent } from './due-queue.js';
import { entriesForWrite } from '../storage/change.js';

/** The longest single advance: ten years, a guard against typos like {"days": 36500}. */
export const MAX_ADVANCE_MS = 3660 * 86_400_000;

/** Run every rule due at or before `untilMs`, moving the clock to each rule's moment as it fires. */
export function runDueRules(ctx: CommandContext, untilMs: number): void {
  const world = ctx.world;
  const queue = dueQueue(world);
  const clockCtx: CommandContext = { world, actor: ACTORS.clock, emitted: ctx.emitted };
  const invoices = entriesForWrite(world.invoices);
  while (queue.peekAt() <= untilMs) {
    const top = queue.pop()!;
    if (!isCurrent(top, invoices.entries[top.invoiceId])) continue;
    const invoice = invoices.changing(top.invoiceId);
    const rule = RULES[invoice.schedule!.rule];
    if (top.at > toMillis(world.clock.now)) world.clock.now = fromMillis(top.at);
    invoice.schedule = null;
    rule.apply(clockCtx, invoice);
    reschedule(world, invoice);
    const next = invoice.schedule as { at: string; rule: string } | null;
    if (next && toMillis(next.at) <= top.at && next.rule === rule.id)
      throw new Error(`internal: rule ${rule.id} did not move invoice ${invoice.invoiceNo} forward`);
  }
}

export interface AdvanceResult {
  from: Instant;
  to: Instant;
  events: DomainEvent[];
}

/** Advance the clock to `target`, forward only. */
export function advanceClock(ctx: CommandContext, target: Instant, field = 'to'): AdvanceResult {
  const world = ctx.world;
  const from = world.clock.now;
  const fromMs = toMillis(from);
  const targetMs = toMillis(target);
  if (targetMs < fromMs)
    throw reject.conflict(
      `the clock only moves forward: ${formatLocalInstant(target, world.timeZone)} is before now ` +
        `(${formatLocalInstant(from, world.timeZone)}); restore a snapshot to go back`,
      { field, current: formatLocalInstant(from, world.timeZone), allowed: [`${formatLocalInstant(from, world.timeZone)} or later`] },
    );
  if (targetMs - fromMs > MAX_ADVANCE_MS)
    throw reject.invalid(field, `moves the clock more than ${MAX_ADVANCE_MS / 86_400_000} days in one call`);
  const firstEvent = ctx.emitted.length;
  runDueRules(ctx, targetMs);
  world.clock.now = fromMillis(targetMs);
  emit(
    ctx,
    'clock.advanced',
    `clock advanced from ${formatLocalInstant(from, world.timeZone)} to ${formatLocalInstant(world.clock.now, world.timeZone)}`,
    {},
    { from, to: world.clock.now, eventsCaused: ctx.emitted.length - firstEvent },
  );
  return { from, to: world.clock.now, events: ctx.emitted.slice(firstEvent) };
}
