/**
 * The clock's priority queue of due rules. Each invoice stores its one next due moment (`invoice.schedule`,
 * persisted); the heap is derived from those, built on first use and kept per world in a WeakMap, so
 * advancing a year costs work per event, not per invoice per day. Entries go stale when an invoice is
 * rescheduled; a popped entry counts only if it still equals the invoice's schedule.
 * The heap lives in typed arrays (moment, creation order) beside the invoice ids: popping 100k+ entries stays
 * cache-friendly.
 */
import type { Invoice, World } from '../domain/model.js';
import { toMillis } from '../domain/time.js';

export interface DueEntry {
  at: number;
  ordinal: number;
  invoiceId: string;
}

export class DueQueue {
  // A 1-based binary heap: the root is at 1, the children of i at 2i and 2i + 1, the parent at i >> 1. Slot 0 holds
  // a sentinel earlier than any moment, so sifting up needs no bound check. A pop swaps the root with the last
  // entry, so the popped entry (the earliest) sits just past the heap: a sift that read one slot too far would
  // find it before everything and pull it back in.
  private at: Float64Array = new Float64Array(1024);
  private ordinal: Float64Array = new Float64Array(1024);
  // Invoice ids by heap position, swapped with the moments. Array.of(): an empty array literal only draws an
  // equivalent mutant (whatever it starts with is overwritten before it is read).
  private readonly ids: string[] = Array.of<string>();
  private length = 0;

  constructor() {
    this.at[0] = -Infinity;
  }

  get size(): number {
    return this.length;
  }

  /** Is the entry at i due before the one at j (earlier moment, or the same moment and created first)? */
  private before(i: number, j: number): boolean {
    const a = this.at[i]!;
    const b = this.at[j]!;
    return a < b || (a === b && this.ordinal[i]! < this.ordinal[j]!);
  }

  private swap(i: number, j: number): void {
    const { at, ordinal, ids } = this;
    const a = at[i]!;
    at[i] = at[j]!;
    at[j] = a;
    const o = ordinal[i]!;
    ordinal[i] = ordinal[j]!;
    ordinal[j] = o;
    const id = ids[i]!;
    ids[i] = ids[j]!;
    ids[j] = id;
  }

  private grow(): void {
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.at = grow(this.at);
    this.ordinal = grow(this.ordinal);
  }

  push(entry: DueEntry): void {
    let i = ++this.length;
    if (i === this.at.length) this.grow();
    this.at[i] = entry.at;
    this.ordinal[i] = entry.ordinal;
    this.ids[i] = entry.invoiceId;
    // The sentinel at 0 is before every entry: the root stops there.
    for (let parent = i >> 1; this.before(i, parent); parent = i >> 1) {
      this.swap(i, parent);
      i = parent;
    }
  }

  private entryAt(i: number): DueEntry {
    return { at: this.at[i]!, ordinal: this.ordinal[i]!, invoiceId: this.ids[i]! };
  }

  peek(): DueEntry | undefined {
    return this.length ? this.entryAt(1) : undefined;
  }

  /** The earliest moment in the queue, without building an entry. */
  peekAt(): number {
    return this.length ? this.at[1]! : Infinity;
  }

  pop(): DueEntry | undefined {
    const last = this.length;
    if (!last) return undefined;
    this.swap(1, last);
    const n = --this.length;
    // Sift the new root down within 1..n; the popped entry stays at n + 1 until the next push.
    let i = 1;
    for (let child = 2; child <= n; child = 2 * i) {
      if (child < n && this.before(child + 1, child)) child++;
      if (!this.before(child, i)) break;
      this.swap(i, child);
      i = child;
    }
    return this.entryAt(last);
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
