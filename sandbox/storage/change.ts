/**
 * What one write changed in a world, found while the command runs, so the log record is O(change) and the
 * call sites keep their closures. The entity maps (invoices, customers, ...) are swapped for proxies during the
 * command: an entry looked up by key is marked as changed; an entry reached by enumerating comes back as a proxy
 * that marks it only when anything inside it is set or deleted. The journal and the vouchers only grow, so their
 * new tail is the change; the small parts (clock,
 * settings, counters, integrations, ...) are compared as JSON. Replaying the change on the world as it stood
 * before gives exactly the world after.
 */
import type { World } from '../domain/model.js';
import { privateCopy, writable } from './world-copy.js';

/** The keyed collections of a world: changes are recorded per entry. */
const MAPS = ['customers', 'invoices', 'reversals', 'cases', 'voucherReception', 'importReferences'] as const;
/** Append-only (entries frozen): the change is the new tail. */
const LOGS = ['vouchers', 'events'] as const;
type MapField = (typeof MAPS)[number];
type LogField = (typeof LOGS)[number];

export interface WorldChange {
  /** Top-level fields replaced whole (small parts, or a collection the command replaced). */
  set?: Record<string, unknown>;
  /** Top-level fields the command removed. */
  unset?: string[];
  /** Per collection: entry id -> its new value, or null when deleted. */
  entries?: Partial<Record<MapField, Record<string, unknown>>>;
  /** Per append-only list: the length it had before, and what was appended. */
  appended?: Partial<Record<LogField, { from: number; items: unknown[] }>>;
}

const RAW = Symbol('raw');

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function unwrap<T>(v: T): T {
  return ((isObject(v) && (v as Record<symbol, unknown>)[RAW]) as T) || v;
}

/**
 * A value about to be stored in the world, with every proxy inside it replaced by its object (a spread of an
 * entry copies proxies of its parts); a proxy left in the world would break structuredClone later.
 */
function deepUnwrap<T>(value: T, seen = new Set<object>()): T {
  const v = unwrap(value);
  if (!isObject(v) || Object.isFrozen(v) || seen.has(v)) return v;
  seen.add(v);
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const inner = o[key];
    if (isObject(inner)) {
      const plain = deepUnwrap(inner, seen);
      if (plain !== inner) o[key] = plain;
    }
  }
  return v;
}

/** Proxies for one command: every object reached from an entry marks that entry when written to. */
class EntryTracker {
  readonly dirty = new Set<string>();
  /** Entries certainly written (a set or delete seen), as opposed to looked up by key and so only maybe changed. */
  written = false;
  private readonly proxies = new WeakMap<object, object>();
  private readonly handlers = new Map<string, ProxyHandler<object>>();
  active = true;

  constructor(readonly raw: Record<string, unknown>) {}

  private handlerFor(id: string): ProxyHandler<object> {
    let h = this.handlers.get(id);
    if (h) return h;
    const mark = () => {
      if (this.active) {
        this.dirty.add(id);
        this.written = true;
      }
    };
    h = {
      get: (target, key, receiver) => {
        if (key === RAW) return target;
        const v = Reflect.get(target, key, receiver);
        return this.active && isObject(v) && !Object.isFrozen(v) ? this.wrap(id, v) : v;
      },
      set: (target, key, value) => {
        mark();
        return Reflect.set(target, key, deepUnwrap(value));
      },
      deleteProperty: (target, key) => {
        mark();
        return Reflect.deleteProperty(target, key);
      },
      defineProperty: (target, key, desc) => {
        mark();
        return Reflect.defineProperty(target, key, 'value' in desc ? { ...desc, value: deepUnwrap(desc.value) } : desc);
      },
    };
    this.handlers.set(id, h);
    return h;
  }

  private wrap(id: string, v: object): object {
    let p = this.proxies.get(v);
    if (!p) {
      p = new Proxy(v, this.handlerFor(id));
      this.proxies.set(v, p);
    }
    return p;
  }

  /**
   * The proxy that stands for the collection itself. A keyed read (`invoices[id]`) marks the entry and hands out
   * the plain object: the command most likely changes what it looks up, and the clock's rules run at full speed.
   * A read while enumerating (Object.values, for..in: the engine asks for the key's descriptor first) hands out a
   * write-watching proxy instead, so a scan over 20,000 invoices records only those it changes.
   */
  collection(): Record<string, unknown> {
    let described: string | symbol | undefined;
    const proxy = new Proxy(this.raw, {
      getOwnPropertyDescriptor: (target, key) => {
        described = key;
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      get: (target, key, receiver) => {
        if (key === RAW) return target;
        let v = Reflect.get(target, key, receiver);
        if (!this.active || typeof key !== 'string' || !isObject(v) || Object.isFrozen(v) || !Object.hasOwn(target, key)) return v;
        // An entry shared with a snapshot or a store's copy (world-copy.ts) is never changed in place: the command gets a private copy.
        const own = privateCopy(v);
        if (own !== v) (target as Record<string, unknown>)[key] = v = own;
        if (described === key) {
          described = undefined;
          return this.wrap(key, v);
        }
        this.dirty.add(key);
        return v;
      },
      set: (target, key, value) => {
        if (typeof key === 'string' && this.active) (this.dirty.add(key), (this.written = true));
        return Reflect.set(target, key, deepUnwrap(value));
      },
      deleteProperty: (target, key) => {
        if (typeof key === 'string' && this.active) (this.dirty.add(key), (this.written = true));
        return Reflect.deleteProperty(target, key);
      },
      defineProperty: (target, key, desc) => {
        if (typeof key === 'string' && this.active) (this.dirty.add(key), (this.written = true));
        return Reflect.defineProperty(target, key, 'value' in desc ? { ...desc, value: deepUnwrap(desc.value) } : desc);
      },
    });
    trackerOf.set(proxy, this);
    return proxy;
  }
}

const trackerOf = new WeakMap<object, EntryTracker>();

/**
 * A collection's plain entries (to read) and a way to get the one a loop changes, for hot loops (the clock runs
 * every due rule through here): a keyed read through the watching proxy costs a trap each time. `changing(id)`
 * marks the entry and answers it ready to change in place (a private copy when it was shared: world-copy.ts); an
 * entry read from `entries` must not be changed. Untracked collections come back as they are.
 */
export function entriesForWrite<T>(collection: Record<string, T>): { entries: Record<string, T>; changing(id: string): T } {
  const tracker = trackerOf.get(collection);
  if (!tracker) return { entries: collection, changing: (id) => writable(collection, id) };
  const raw = tracker.raw as Record<string, T>;
  return {
    entries: raw,
    changing: (id) => {
      if (tracker.active) tracker.dirty.add(id);
      return writable(raw, id);
    },
  };
}

/** A collection's plain entries for reading only (nothing marked): checks that never change what they look at. */
export function entriesForRead<T>(collection: Record<string, T>): Record<string, T> {
  const tracker = trackerOf.get(collection);
  return tracker ? (tracker.raw as Record<string, T>) : collection;
}

const SMALL_SKIP = new Set<string>([...MAPS, ...LOGS]);

/** Watch a world through one command. `finish()` puts the plain collections back and tells what changed. */
export function trackChanges(world: World): {
  finish(): WorldChange;
  /**
   * After finish: did the command certainly write (a set or delete through the proxies, a new journal entry or
   * voucher, a changed small part)? Entries it only looked up by key are in the change but do not count here.
   */
  wrote(): boolean;
} {
  let wrote = false;
  const w = world as unknown as Record<string, unknown>;
  const small = new Map<string, string>();
  for (const key of Object.keys(w)) if (!SMALL_SKIP.has(key)) small.set(key, JSON.stringify(w[key]));
  const lengths = new Map<LogField, { list: unknown[]; length: number }>();
  for (const f of LOGS) lengths.set(f, { list: world[f] as unknown[], length: (world[f] as unknown[]).length });
  const trackers = new Map<MapField, { tracker: EntryTracker; proxy: unknown }>();
  for (const f of MAPS) {
    const raw = w[f] as Record<string, unknown> | undefined;
    if (!raw) continue;
    const tracker = new EntryTracker(raw);
    const proxy = tracker.collection();
    trackers.set(f, { tracker, proxy });
    w[f] = proxy;
  }
  return {
    finish(): WorldChange {
      const change: WorldChange = {};
      const set: Record<string, unknown> = {};
      for (const [f, { tracker, proxy }] of trackers) {
        tracker.active = false;
        if (w[f] === proxy) {
          const raw = unwrap(proxy) as Record<string, unknown>;
          w[f] = raw;
          if (tracker.dirty.size) {
            const out: Record<string, unknown> = {};
            for (const id of tracker.dirty) out[id] = Object.hasOwn(raw, id) ? raw[id] : null;
            (change.entries ??= {})[f] = out;
          }
        } else set[f] = unwrap(w[f]); // the command put a new collection in its place
      }
      for (const [f, { list, length }] of lengths) {
        const now = world[f] as unknown[];
        if (now !== list || now.length < length) set[f] = now;
        else if (now.length > length) (change.appended ??= {})[f] = { from: length, items: now.slice(length) };
      }
      for (const key of Object.keys(w)) {
        if (SMALL_SKIP.has(key)) continue;
        const before = small.get(key);
        const json = JSON.stringify(w[key]);
        if (json !== before) set[key] = w[key];
      }
      const unset = [...small.keys()].filter((k) => !Object.hasOwn(w, k));
      if (Object.keys(set).length) change.set = set;
      if (unset.length) change.unset = unset;
      wrote = Boolean(change.set || change.unset || change.appended || [...trackers.values()].some((t) => t.tracker.written));
      return change;
    },
    wrote: () => wrote,
  };
}

export function isEmptyChange(c: WorldChange): boolean {
  return !c.set && !c.unset && !c.entries && !c.appended;
}

/** Apply a change (as read back from the log: plain JSON, owned by the world from now on). */
export function applyChange(world: World, change: WorldChange): void {
  const w = world as unknown as Record<string, unknown>;
  for (const [f, entries] of Object.entries(change.entries ?? {})) {
    const map = (w[f] ??= {}) as Record<string, unknown>;
    for (const [id, value] of Object.entries(entries!)) {
      if (value === null) delete map[id];
      else map[id] = value;
    }
  }
  for (const [f, { from, items }] of Object.entries(change.appended ?? {})) {
    const list = w[f] as unknown[];
    if (list.length !== from)
      throw new Error(`log record does not fit: ${f} has ${list.length} entries, the record continues from ${from}`);
    for (const item of items) list.push(item);
  }
  for (const [key, value] of Object.entries(change.set ?? {})) w[key] = value;
  for (const key of change.unset ?? []) delete w[key];
}
