/**
 * The clock's event order, tested directly: the due queue must pop exactly what a sorted reference list would
 * (earliest moment first, ties by invoice creation order), under any mix of pushes and pops.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DueQueue, dueQueue, isCurrent, noteScheduled, type DueEntry } from '../../sandbox/clock/due-queue.js';

const byOrder = (a: DueEntry, b: DueEntry) => a.at - b.at || a.ordinal - b.ordinal;

describe('due queue', () => {
  it('pops in (moment, creation order) under random pushes and pops, like a sorted list', () => {
    const op = fc.oneof(
      // Few distinct moments so ties are common (moments before 1970 among them: any number is a moment);
      // ordinals unique per push.
      fc.record({ kind: fc.constant('push' as const), at: fc.integer({ min: -3, max: 3 }) }),
      fc.record({ kind: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const q = new DueQueue();
        const reference: DueEntry[] = [];
        let ordinal = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            // Creation order is not push order: the clock re-pushes old invoices after new ones.
            const entry = { at: o.at, ordinal: (ordinal++ * 7919) % 1009, invoiceId: `inv-${ordinal}` };
            q.push(entry);
            reference.push(entry);
            reference.sort(byOrder);
          } else {
            expect(q.pop()).toEqual(reference.shift());
          }
          expect(q.size).toBe(reference.length);
          expect(q.peekAt()).toBe(reference[0]?.at ?? Infinity);
          expect(q.peek()).toEqual(reference[0]);
        }
        while (reference.length) expect(q.pop()).toEqual(reference.shift());
        expect(q.pop()).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('grows past its first allocation and keeps every entry', () => {
    const q = new DueQueue();
    const n = 5000;
    const pushed: DueEntry[] = [];
    for (let i = n - 1; i >= 0; i--) pushed.push({ at: i % 17, ordinal: i, invoiceId: `i${i}` });
    for (const e of pushed) q.push(e);
    expect(q.size).toBe(n);
    const out: DueEntry[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e);
    // Every entry back exactly as pushed (moment and ordinal too, not only the id), in order. The first difference
    // is compared alone: a diff of 5000 entries takes longer to print than the test takes to run.
    const expected = [...pushed].sort(byOrder);
    expect(out).toHaveLength(n);
    const k = out.findIndex(
      (e, k) => e.at !== expected[k]!.at || e.ordinal !== expected[k]!.ordinal || e.invoiceId !== expected[k]!.invoiceId,
    );
    expect({ position: k, entry: out[k] }).toEqual({ position: -1, entry: undefined });
    expect(new Set(out.map((e) => e.invoiceId)).size).toBe(n);
  });

  it('ties on the same moment come out in creation order, whatever the push order', () => {
    const q = new DueQueue();
    for (const ordinal of [5, 1, 4, 2, 3]) q.push({ at: 100, ordinal, invoiceId: `o${ordinal}` });
    q.push({ at: 50, ordinal: 9, invoiceId: 'early' });
    expect([q.pop(), q.pop(), q.pop(), q.pop(), q.pop(), q.pop()].map((e) => e!.invoiceId)).toEqual(['early', 'o1', 'o2', 'o3', 'o4', 'o5']);
  });
});

describe('stale entries', () => {
  it('an entry counts only while it still equals the invoice schedule', () => {
    const invoice = { id: 'i1', ordinal: 1, schedule: { at: '2026-01-19T00:00:00.000+01:00', rule: 'draft' } } as never;
    const at = Date.parse('2026-01-18T23:00:00.000Z');
    expect(isCurrent({ at, ordinal: 1, invoiceId: 'i1' }, invoice)).toBe(true);
    expect(isCurrent({ at: at - 1, ordinal: 1, invoiceId: 'i1' }, invoice)).toBe(false);
    expect(isCurrent({ at, ordinal: 1, invoiceId: 'i1' }, { id: 'i1', ordinal: 1, schedule: null } as never)).toBe(false);
    expect(isCurrent({ at, ordinal: 1, invoiceId: 'i1' }, undefined)).toBe(false);
  });
});

describe("the world's queue", () => {
  const midnight = (day: number) => `2026-01-${day}T00:00:00.000+01:00`;
  const invoice = (id: string, ordinal: number, day: number | null) => ({
    id,
    ordinal,
    schedule: day === null ? null : { at: midnight(day), rule: 'draft' },
  });
  const entry = (id: string, ordinal: number, day: number) => ({ at: Date.parse(midnight(day)), ordinal, invoiceId: id });

  it('is built once from the scheduled invoices; what is popped stays popped, and noted schedules join it', () => {
    const invoices = { a: invoice('a', 2, 19), b: invoice('b', 4, null), c: invoice('c', 3, 18), d: invoice('d', 1, 19) };
    const world = { invoices } as never;
    const q = dueQueue(world);
    expect(q.size).toBe(3);
    expect(q.pop()).toEqual(entry('c', 3, 18));
    // The next advance gets the same queue, without the entry the last one used up.
    expect(dueQueue(world)).toBe(q);
    expect(q.size).toBe(2);
    expect(q.peek()).toEqual(entry('d', 1, 19));
    // A schedule noted on the world reaches its queue; an invoice without one adds nothing.
    invoices.b.schedule = { at: midnight(10), rule: 'draft' };
    noteScheduled(world, invoices.b as never);
    noteScheduled(world, invoices.c as never);
    invoices.c.schedule = null;
    noteScheduled(world, invoices.c as never);
    expect([q.pop(), q.pop(), q.pop(), q.pop(), q.pop()]).toEqual([
      entry('b', 4, 10),
      entry('c', 3, 18),
      entry('d', 1, 19),
      entry('a', 2, 19),
      undefined,
    ]);
    // Another world has its own queue.
    const other = dueQueue({ invoices: { e: invoice('e', 1, 20) } } as never);
    expect(other).not.toBe(q);
    expect(other.peek()).toEqual(entry('e', 1, 20));
  });

  it('a schedule noted before the queue is built is read when it is built', () => {
    const invoices = { a: invoice('a', 1, null) };
    const world = { invoices } as never;
    invoices.a.schedule = { at: midnight(15), rule: 'draft' };
    noteScheduled(world, invoices.a as never);
    const q = dueQueue(world);
    expect(q.size).toBe(1);
    expect(q.pop()).toEqual(entry('a', 1, 15));
  });
});
