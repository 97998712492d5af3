/**
 * The clock's priority queue of due rules. Each invoice stores its one next due moment (`invoice.schedule`,
 * persisted); the heap is derived from those, built on first use and kept per world in a WeakMap, so
 * advancing a year costs work per event, not per invoice per day. Entries go stale when an invoice is
 * rescheduled; a popped entry counts only if it still equals the invoice's schedule.
 * The heap lives in typed arrays (moment, creation order, slot): popping 100k+ entries stays cache-friendly.
 */
import type { Invoice, World } from '../domain/model.js';
import { toMillis } from '../domain/time.js';
import { watchSchedules } from '../domain/schedule.js';

export interface DueEntry {
  at: number;
  ordinal: number;
  invoiceId: string;
}

export class DueQueue {
  private at = new Float64Array(1024);
  private ordinal = new Float64Array(1024);
  private slot = new Int32Array(1024);
  private readonly ids: string[] = [];
  private readonly freeSlots: number[] = [];
  private length = 0;

  get size(): number {
    return this.length;
  }

  private before(i: number, j: number): boolean {
    const a = this.at[i]!;
    const b = this.at[j]!;
    return a < b || (a === b && this.ordinal[i]! < this.ordinal[j]!);
  }

  private swap(i: number, j: number): void {
    const { at, ordinal, slot } = this;
    const a = at[i]!;
    at[i] = at[j]!;
    at[j] = a;
    const o = ordinal[i]!;
    ordinal[i] = ordinal[j]!;
    ordinal[j] = o;
    const s = slot[i]!;
    slot[i] = slot[j]!;
    slot[j] = s;
  }

  private grow(): void {
    const grow = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.at = grow(this.at);
    this.ordinal = grow(this.ordinal);
    this.slot = grow(this.slot);
  }

  push(entry: DueEntry): void {
    if (this.length === this.at.length) this.grow();
    const s = this.freeSlots.pop() ?? this.ids.length;
    this.ids[s] = entry.invoiceId;
    let i = this.length++;
    this.at[i] = entry.at;
    this.ordinal[i] = entry.ordinal;
    this.slot[i] = s;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peek(): DueEntry | undefined {
    return this.length ? { at: this.at[0]!, ordinal: this.ordinal[0]!, invoiceId: this.ids[this.slot[0]!]! } : undefined;
  }

  /** The earliest moment in the queue, without building an entry. */
  peekAt(): number {
    return this.length ? this.at[0]! : Infinity;
  }

  pop(): DueEntry | undefined {
    if (!this.length) return undefined;
    const top = this.peek()!;
    this.freeSlots.push(this.slot[0]!);
    const last = --this.length;
    if (last > 0) {
      this.at[0] = this.at[last]!;
      this.ordinal[0] = this.ordinal[last]!;
      this.slot[0] = this.slot[last]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < last && this.before(l, m)) m = l;
        if (r < last && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
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
    // From now on every new due moment of this world joins its queue.
    const queue = q;
    watchSchedules(world, (invoice) => queue.push(entryFor(invoice)));
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
