/** What a command or rule runs with: the world, who acts, and the events it emits. */
import type { Actor, DomainEvent, World } from './model.js';
import { localDate, type Instant, type LocalDate } from './time.js';
import { flat } from './flat.js';

export interface CommandContext {
  world: World;
  actor: Actor;
  /** Events emitted by this command, in order (also appended to the world's journal). */
  emitted: DomainEvent[];
}

export const ACTORS = {
  clock: Object.freeze({ kind: 'clock' }) as Actor,
  erpUser: Object.freeze({ kind: 'erpUser' }) as Actor,
  sandbox: Object.freeze({ kind: 'sandbox' }) as Actor,
  agency: (integrationId: string): Actor => Object.freeze({ kind: 'agency', integrationId }) as Actor,
};

export function contextFor(world: World, actor: Actor): CommandContext {
  return { world, actor, emitted: [] };
}

export function now(world: World): Instant {
  return world.clock.now;
}

export function today(world: World): LocalDate {
  return localDate(world.clock.now, world.timeZone);
}

export type EventRefs = DomainEvent['refs'];

/**
 * The causes the clock's rules wrote, by text. They are built from dates and steps, so a year's reminders and drafts
 * repeat each text for every invoice that fell due on the same day: the journal keeps one copy of each, not one per
 * event (a reminder-heavy year over 50k invoices wrote 150k causes, about a thousand of them different).
 */
const clockCauses = new Map<string, string>();

function clockCause(cause: string): string {
  let text = clockCauses.get(cause);
  if (text === undefined) {
    if (clockCauses.size >= 10_000) clockCauses.clear();
    clockCauses.set(cause, (text = flat(cause)));
  }
  return text;
}

export function emit(
  ctx: CommandContext,
  type: string,
  cause: string,
  refs: EventRefs = {},
  data: Record<string, unknown> = {},
  actor: Actor = ctx.actor,
): DomainEvent {
  const world = ctx.world;
  world.counters.event += 1;
  // Frozen: the journal is shared between a world and its snapshots, so an event never changes once written.
  const event: DomainEvent = Object.freeze({
    seq: world.counters.event,
    at: world.clock.now,
    type,
    actor: Object.isFrozen(actor) ? actor : Object.freeze({ ...actor }),
    cause: actor === ACTORS.clock ? clockCause(cause) : flat(cause),
    refs: Object.freeze(refs),
    data: Object.freeze(data),
  });
  world.events.push(event);
  ctx.emitted.push(event);
  return event;
}
