/**
 * Worlds in memory: for tests, msw mode and `--memory`. Keeps the same contract as the durable stores (a
 * checkpoint copy plus records as JSON), so an engine that drops a cached world gets the last good one back.
 * Snapshots are copies that share the frozen journal and vouchers.
 */
import { randomBytes } from 'node:crypto';
import type { World } from '../domain/model.js';
import { copyWorld } from './world-copy.js';
import { KeyedMutex } from './lock.js';
import { StoreConflict, StoreMissing, type ClientListing, type CommandRecord, type StoredWorld, type WorldStore, type WriteTx } from './store.js';
import { assertSafeName, isSafeName, snapshotInfo, summaryOf, type ClientSummary, type SnapshotInfo } from './world-store.js';

interface Entry {
  checkpoint: World;
  checkpointSeq: number;
  records: CommandRecord[];
  head: number;
  summary: ClientSummary;
}

/** Records are kept as JSON text: what the engine appended must not change with the live world. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

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
    return e && { world: copyWorld(e.checkpoint), seq: e.checkpointSeq, records: plain(e.records) };
  }

  async head(id: string): Promise<number | undefined> {
    return this.clients.get(id)?.head;
  }

  async recordsAfter(id: string, seq: number): Promise<CommandRecord[] | undefined> {
    const e = this.clients.get(id);
    if (!e || seq < e.checkpointSeq) return undefined;
    return plain(e.records.filter((r) => r.seq > seq));
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
    this.clients.set(world.id, { checkpoint: copyWorld(world), checkpointSeq: 0, records: [], head: 0, summary: summaryOf(world) });
  }

  write<T>(id: string, work: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.locks.run(id, async () => {
      const e = this.clients.get(id);
      if (!e) throw new StoreMissing(id);
      const tx: WriteTx = {
        get head() {
          return e.head;
        },
        recordsAfter: async (seq) => plain(e.records.filter((r) => r.seq > seq)),
        append: async (record, summary) => {
          if (record.seq !== e.head + 1) throw new Error(`internal: record ${record.seq} does not follow ${e.head}`);
          e.records.push(plain(record));
          e.head = record.seq;
          if (summary) e.summary = summary;
        },
        replace: async (world, seq) => {
          e.checkpoint = copyWorld(world);
          e.checkpointSeq = seq;
          e.records = [];
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
    e.checkpoint = copyWorld(world);
    e.checkpointSeq = seq;
    e.records = e.records.filter((r) => r.seq > seq);
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
    forClient.set(name, { info, world: copyWorld(world) });
    return info;
  }

  async loadSnapshot(clientId: string, name: string): Promise<World | undefined> {
    if (!isSafeName(clientId) || !isSafeName(name)) return undefined;
    const found = this.snapshots.get(clientId)?.get(name);
    return found ? copyWorld(found.world) : undefined;
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
