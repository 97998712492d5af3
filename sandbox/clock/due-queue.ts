/**
 * The clock's priority queue of due rules. Each invoice stores its one next due moment (`invoice.schedule`,
 * persisted); the heap is derived from those, built on first use and kept per world in a WeakMap, so
 * advancing a year costs work per event, not per invoice per day. Entries go stale when an invoice is
 * rescheduled; a popped entry counts only if it still equals the invoice's schedule.
 */
import type { Invoice, World } from '../domain/model.js';
import { toMillis } from '../domain/time.js';

export interface DueEntry {
  at: number;
  ordinal: number;
  invoiceId: string;
}

function before(a: DueEntry, b: DueEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.ordinal < b.ordinal);
}

export class DueQueue {
  private readonly heap: DueEntry[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(entry: DueEntry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  peek(): DueEntry | undefined {
    return this.heap[0];
  }

  pop(): DueEntry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

const queues = new WeakMap<World, DueQueue>();

export function dueQueue(world: World): DueQueue {
  let q = queues.get(world);
  if (!q) {
    q = new DueQueue();
    for (const invoice of Object.values(world.invoices)) if (invoice.schedule) q.push(entryFor(invoice));
    queues.set(world, q);
  }
  return q;
}

export function entryFor(invoice: Invoice): DueEntry {
  return { at: toMillis(invoice.schedule!.at), ordinal: invoice.ordinal, invoiceId: invoice.id };
}

/** Does this popped entry still describe the invoice's schedule? */
export function isCurrent(entry: DueEntry, invoice: Invoice | undefined): invoice is Invoice {
  return Boolean(invoice?.schedule && toMillis(invoice.schedule.at) === entry.at);
}

/** Tell the queue an invoice's schedule changed (only the world's own queue, if built, needs it). */
export function noteScheduled(world: World, invoice: Invoice): void {
  const q = queues.get(world);
  if (q && invoice.schedule) q.push(entryFor(invoice));
}
