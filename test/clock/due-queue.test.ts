/**
 * The clock's event order, tested directly: the due queue must pop exactly what a sorted reference list would
 * (earliest moment first, ties by invoice creation order), under any mix of pushes and pops.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DueQueue, isCurrent, type DueEntry } from '../../sandbox/clock/due-queue.js';

const byOrder = (a: DueEntry, b: DueEntry) => a.at - b.at || a.ordinal - b.ordinal;

describe('due queue', () => {
  it('pops in (moment, creation order) under random pushes and pops, like a sorted list', () => {
    const op = fc.oneof(
      // Few distinct moments so ties are common; ordinals unique per push.
      fc.record({ kind: fc.constant('push' as const), at: fc.integer({ min: 0, max: 6 }) }),
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
    for (let i = n - 1; i >= 0; i--) q.push({ at: i % 17, ordinal: i, invoiceId: `i${i}` });
    const out: DueEntry[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e);
    expect(out).toHaveLength(n);
    expect(out).toEqual([...out].sort(byOrder));
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
