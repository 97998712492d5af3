/**
 * Fast copies of a world for snapshots, restores and the memory store's checkpoints. The journal and the vouchers
 * are append-only and frozen, so a copy shares their objects (a new array of the same references). The entries
 * that change (invoices, customers, cases) are shared too, copy-on-write: a copy of the world gets new maps that
 * hold the same entry objects, and every such entry is marked shared. A shared entry is never changed in place:
 * a write that reaches it (storage/change.ts hands out entries during a command; `writable` for other callers)
 * first puts a private copy of it in the map. So a copy costs O(entries) references, not O(objects), and a restore
 * copies only what is written afterwards. The small parts (clock, settings, counters, ...) are copied whole.
 */
import type { Case, Customer, Invoice, World } from '../domain/model.js';

export function copyInvoice(i: Invoice): Invoice {
  const c = i.collection;
  return {
    ...i,
    matches: i.matches.map((m) => ({ ...m })),
    reminders: i.reminders.map((r) => ({ ...r })),
    collection: { ...c, obstacle: c.obstacle && { ...c.obstacle }, leftFlow: c.leftFlow && { ...c.leftFlow } },
    schedule: i.schedule && { ...i.schedule },
  };
}

export function copyCustomer(c: Customer): Customer {
  return { ...c, mailAddress: { ...c.mailAddress } };
}

export function copyCase(k: Case): Case {
  return { ...k, invoiceIds: [...k.invoiceIds], history: k.history.map((h) => ({ ...h })) };
}

/** Shared entries -> how to make a private copy of one. */
const shared = new WeakMap<object, (v: never) => unknown>();

/** The collections whose entries are shared between copies, and how an entry of each is copied. */
export const SHARED_COLLECTIONS = { invoices: copyInvoice, customers: copyCustomer, cases: copyCase } as const;

/** Is this entry shared with another copy of the world (so it must not be changed in place)? */
export function isShared(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && shared.has(entry);
}

/** The entry itself when it is private to its map, else a private copy (made once; not marked shared). */
export function privateCopy<T>(entry: T): T {
  const copy = typeof entry === 'object' && entry !== null ? shared.get(entry) : undefined;
  return copy ? (copy as (v: T) => T)(entry) : entry;
}

/**
 * The entry `id` of `collection`, ready to be changed in place: a shared one is first replaced by a private copy.
 * For code that changes entries outside a tracked command (a tracked command gets writable entries from its proxies).
 */
export function writable<T>(collection: Record<string, T>, id: string): T {
  const v = collection[id]!;
  const own = privateCopy(v);
  if (own !== v) collection[id] = own;
  return own;
}

/** A new map holding the same entries, each marked shared. */
export function shareEntries<T extends object>(record: Record<string, T>, copy: (v: T) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key in record) {
    const v = record[key]!;
    shared.set(v, copy as (v: never) => unknown);
    out[key] = v;
  }
  return out;
}

/** Mark one entry shared (a store keeps it in a record or a checkpoint). */
export function markShared<T extends object>(entry: T, copy: (v: T) => T): T {
  shared.set(entry, copy as (v: never) => unknown);
  return entry;
}

function copyEntries<T extends object>(record: Record<string, T>, copy: (v: T) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key in record) out[key] = copy(record[key]!);
  return out;
}

/** A copy of the world that shares its entries copy-on-write with `w` (which then must not change them in place either). */
export function copyWorld(w: World): World {
  return copyWith(w, shareEntries);
}

/**
 * A copy that shares no changing object with `w` (a snapshot as it is saved: whoever holds `w` may go on changing
 * it in place). Copies made from it with copyWorld share its entries (and mark them shared then).
 */
export function privateWorldCopy(w: World): World {
  return copyWith(w, copyEntries);
}

function copyWith(w: World, entries: <T extends object>(record: Record<string, T>, copy: (v: T) => T) => Record<string, T>): World {
  return {
    ...w,
    clock: { ...w.clock },
    settings: structuredClone(w.settings),
    counters: { ...w.counters },
    integrations: w.integrations.map((i) => ({ ...i, rights: { ...i.rights }, autoApprove: { ...i.autoApprove } })),
    customers: entries(w.customers, copyCustomer),
    invoices: entries(w.invoices, copyInvoice),
    vouchers: w.vouchers.slice(),
    reversals: { ...w.reversals },
    cases: entries(w.cases, copyCase),
    voucherReception: structuredClone(w.voucherReception),
    importReferences: { ...w.importReferences },
    events: w.events.slice(),
    ...(w.scenario !== undefined ? { scenario: w.scenario && structuredClone(w.scenario) } : {}),
  };
}
