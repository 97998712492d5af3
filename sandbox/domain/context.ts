/** What a command or rule runs with: the world, who acts, and the events it emits. */
import type { Actor, DomainEvent, World } from './model.js';
import { localDate, type Instant, type LocalDate } from './time.js';

export interface CommandContext {
  world: World;
  actor: Actor;
  /** Events emitted by this command, in order (also appended to the world's journal). */
  emitted: DomainEvent[];
}

export const ACTORS = {
  clock: { kind: 'clock' } as Actor,
  erpUser: { kind: 'erpUser' } as Actor,
  sandbox: { kind: 'sandbox' } as Actor,
  agency: (integrationId: string): Actor => ({ kind: 'agency', integrationId }),
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
  const event: DomainEvent = { seq: world.counters.event, at: world.clock.now, type, actor, cause, refs, data };
  world.events.push(event);
  ctx.emitted.push(event);
  return event;
}
