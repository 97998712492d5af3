/**
 * Worlds in memory: for tests, msw mode and `--memory`. Keeps the same contract as the durable stores (a
 * checkpoint copy plus records as JSON), so an engine that drops a cached world gets the last good one back.
 * Snapshots are copies that share the frozen journal and vouchers, and the entries copy-on-write (world-copy.ts).
 */
import { randomBytes } from 'node:crypto';
import type { World } from '../domain/model.js';
import { copyWorld, privateWorldCopy, SHARED_COLLECTIONS } from './world-copy.js';
import type { WorldChange } from './change.js';
import { KeyedMutex } from './lock.js';
import { StoreConflict, StoreMissing } from './store.js';
import type { ClientListing, CommandRecord, StoredWorld, WorldStore, WriteTx } from './store.js';
import { assertSafeName, isSafeName, snapshotInfo, summaryOf, type ClientSummary, type SnapshotInfo } from './world-store.js';

interface Entry {
  checkpoint: World;
  checkpointSeq: number;
  records: CommandRecord[];
  head: number;
  summary: ClientSummary;
  /** A rough size of the records (entries and appended items count 100 each): copies are cheap, so checkpoints come seldom. */
  weight: number;
}

function weightOf(r: CommandRecord): number {
  const c = r.input as WorldChange;
  let n = 1;
  for (const v of Object.values(c.entries ?? {})) n += Object.keys(v!).length;
  for (const a of Object.values(c.appended ?? {})) n += a!.items.length;
  return n * 100;
}

/**
 * Records are kept as copies: what the engine appended must not change with the live world. Entries are copied
 * by shape (world-copy), appended journal entries and vouchers are frozen and shared; a JSON round trip of a
 * year's advance in a large world would cost seconds. (Sharing them copy-on-write only moved the copy into the
 * next write that changes each entry: a year's advance after a large set-up copied every invoice on first touch.)
 */
function copyRecord(r: CommandRecord): CommandRecord {
  if (r.command !== '$change') return structuredClone(r);
  const c = r.input as WorldChange;
  const entries: WorldChange['entries'] = {};
  for (const [f, values] of Object.entries(c.entries ?? {})) {
    const out: Record<string, unknown> = {};
    const copier = (SHARED_COLLECTIONS as Record<string, (v: object) => object>)[f];
    for (const [id, v] of Object.entries(values!)) out[id] = v === null ? null : copier ? copier(v as object) : structuredClone(v);
    entries[f as keyof typeof entries] = out;
  }
  const input: WorldChange = {
    ...(c.set ? { set: structuredClone(c.set) } : {}),
    ...(c.unset ? { unset: [...c.unset] } : {}),
    ...(c.entries ? { entries } : {}),
    ...(c.appended
      ? { appended: Object.fromEntries(Object.entries(c.appended).map(([f, a]) => [f, { from: a!.from, items: a!.items.slice() }])) }
      : {}),
  };
  return { ...r, input, actor: { ...r.actor } };
}

const copyRecords = (records: CommandRecord[]) => records.map(copyRecord);

/** Does a record change at least half of the world's entries (and enough of them to matter)? */
function touchesMostOf(r: CommandRecord, world: World): boolean {
  if (r.command !== '$change') return false;
  let changed = 0;
  for (const v of Object.values((r.input as WorldChange).entries ?? {})) for (const _ in v) changed++;
  if (changed < 1000) return false;
  let entries = 0;
  for (const part of [world.invoices, world.customers, world.cases]) for (const _ in part) if (++entries > 2 * changed) return false;
  return true;
}

/** Worlds loadSnapshot handed out -> the stored snapshot they copy (see replace). */
const handedOut = new WeakMap<World, World>();

export class MemoryStore implements WorldStore {
  readonly kind = 'memory';
  readonly location = 'memory';
  readonly shared = false;
  private readonly clients = new Map<string, Entry>();
  private readonly snapshots = new Map<string, Map<string, { info: SnapshotInfo; world: World }>>();
  private readonly locks = new KeyedMutex();
  private readonly tokenSecret = randomBytes(32).toString('hex');

  async list(): Promise<ClientListing> {
    return { clients: [...this.clients.values()].map((e) => e.summary), damaged: [] };
  }

  async load(id: string): Promise<StoredWorld | undefined> {
    const e = this.clients.get(id);
    return e && { world: copyWorld(e.checkpoint), seq: e.checkpointSeq, records: copyRecords(e.records) };
  }

  async head(id: string): Promise<number | undefined> {
    return this.clients.get(id)?.head;
  }

  async recordsAfter(id: string, seq: number): Promise<CommandRecord[] | undefined> {
    const e = this.clients.get(id);
    if (!e || seq < e.checkpointSeq) return undefined;
    return copyRecords(e.records.filter((r) => r.seq > seq));
  }

  async findCredential(clientKey: string) {
    for (const e of this.clients.values()) {
      const c = e.summary.credentials.find((x) => x.clientKey === clientKey);
      if (c) return { clientId: e.summary.id, integrationId: c.integrationId };
    }
    return undefined;
  }

  async create(world: World): Promise<void> {
    assertSafeName(world.id, 'client');
    if (this.clients.has(world.id)) throw new StoreConflict(world.id);
    this.clients.set(world.id, {
      checkpoint: privateWorldCopy(world),
      checkpointSeq: 0,
      records: [],
      head: 0,
      summary: summaryOf(world),
      weight: 0,
    });
  }

  write<T>(id: string, work: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.locks.run(id, async () => {
      const e = this.clients.get(id);
      if (!e) throw new StoreMissing(id);
      const tx: WriteTx = {
        get head() {
          return e.head;
        },
        get logBytes() {
          return e.weight;
        },
        recordsAfter: async (seq) => copyRecords(e.records.filter((r) => r.seq > seq)),
        append: async (record, summary, after) => {
          if (record.seq !== e.head + 1) throw new Error(`internal: record ${record.seq} does not follow ${e.head}`);
          if (after && touchesMostOf(record, after)) {
            // Copying the world costs about what copying this record would, and the checkpoint the engine asks
            // for next (it finds this one in place) would copy the world again: a year's advance copied twice.
            // A private copy, not one shared copy-on-write: marking every entry shared costs about as much as
            // copying it, and the next large write (a year's advance after the set-up) would copy each entry again.
            e.checkpoint = privateWorldCopy(after);
            e.checkpointSeq = record.seq;
            e.records = [];
            e.weight = 0;
          } else {
            e.records.push(copyRecord(record));
            e.weight += weightOf(record);
          }
          e.head = record.seq;
          if (summary) e.summary = summary;
        },
        replace: async (world, seq) => {
          // A restore hands back the copy loadSnapshot just made, unchanged: the snapshot's own stored copy (never
          // changed either) serves as the checkpoint, so a restore copies the world once, not twice.
          const stored = handedOut.get(world);
          e.checkpoint = stored && stored.id === id ? stored : copyWorld(world);
          e.checkpointSeq = seq;
          e.records = [];
          e.weight = 0;
          e.head = seq;
          e.summary = summaryOf(world);
        },
      };
      return work(tx);
    });
  }

  async checkpoint(id: string, world: World, seq: number): Promise<void> {
    const e = this.clients.get(id);
    if (!e || seq <= e.checkpointSeq || seq > e.head) return;
    e.checkpoint = privateWorldCopy(world);
    e.checkpointSeq = seq;
    e.records = e.records.filter((r) => r.seq > seq);
    e.weight = e.records.reduce((n, r) => n + weightOf(r), 0);
  }

  async delete(id: string): Promise<boolean> {
    this.snapshots.delete(id);
    return this.clients.delete(id);
  }

  async saveSnapshot(world: World, name: string, savedAt: string): Promise<SnapshotInfo> {
    assertSafeName(world.id, 'client');
    const info = snapshotInfo(world, assertSafeName(name, 'snapshot'), savedAt);
    let forClient = this.snapshots.get(world.id);
    if (!forClient) this.snapshots.set(world.id, (forClient = new Map()));
    forClient.set(name, { info, world: privateWorldCopy(world) });
    return info;
  }

  async loadSnapshot(clientId: string, name: string): Promise<World | undefined> {
    if (!isSafeName(clientId) || !isSafeName(name)) return undefined;
    const found = this.snapshots.get(clientId)?.get(name);
    if (!found) return undefined;
    const copy = copyWorld(found.world);
    handedOut.set(copy, found.world);
    return copy;
  }

  async listSnapshots(clientId: string): Promise<SnapshotInfo[]> {
    return [...(this.snapshots.get(clientId)?.values() ?? [])].map((s) => s.info);
  }

  async deleteSnapshot(clientId: string, name: string): Promise<boolean> {
    return this.snapshots.get(clientId)?.delete(name) ?? false;
  }

  async secret(): Promise<string> {
    return this.tokenSecret;
  }

  async close(): Promise<void> {}
}
