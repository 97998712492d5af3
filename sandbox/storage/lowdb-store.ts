/**
 * Worlds as lowdb JSON files under a data folder:
 *   <dir>/index.json               clients (name, credentials) and their snapshots' summaries
 *   <dir>/clients/<id>.json        one world per client
 *   <dir>/snapshots/<id>/<name>.json
 * lowdb writes through steno: to a temp file, then rename, so a kill mid-write leaves the old file whole.
 * A world file is written before the index names it, and the index forgets a client before its file goes;
 * on open the two are reconciled, so a crash between them loses nothing.
 */
import { chmod, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { World } from '../domain/model.js';
import { assertWorld } from './world-validation.js';
import { copyWorld } from './world-copy.js';
import { assertSafeName, isSafeName, snapshotInfo, summaryOf, type ClientSummary, type SnapshotInfo, type WorldStore } from './world-store.js';

interface IndexEntry {
  summary: ClientSummary;
  snapshots: Record<string, SnapshotInfo>;
}

interface IndexFile {
  formatVersion: 1;
  clients: Record<string, IndexEntry>;
}

// Compact JSON: a large world pretty-printed is twice the bytes and time.
const json = { parse: JSON.parse, stringify: (v: unknown) => JSON.stringify(v) };

/** Files hold integration keys: owner-only (600). The temp file lives in a 700 folder, so no window leaks. */
class PrivateDataFile<T> extends DataFile<T> {
  constructor(private readonly path: string) {
    super(path, json);
  }
  override async write(data: T): Promise<void> {
    await super.write(data);
    await chmod(this.path, 0o600);
  }
}

/** A folder only the owner may enter (700), also when it was made before with wider rights. */
export async function privateFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}


export class LowdbStore implements WorldStore {
  readonly kind = 'lowdb';
  private readonly clients = new Map<string, Low<World | null>>();
  /** Snapshots taken in this process, kept as copies: a restore need not read and parse the file. */
  private readonly snapshotCache = new Map<string, World>();
  private index!: Low<IndexFile>;

  private constructor(readonly location: string) {}

  /** Open (and repair, after a crash) the data folder. */
  static async open(dir: string): Promise<LowdbStore> {
    const store = new LowdbStore(dir);
    for (const d of [dir, join(dir, 'clients'), join(dir, 'snapshots')]) await privateFolder(d);
    store.index = new Low<IndexFile>(new PrivateDataFile<IndexFile>(join(dir, 'index.json')), { formatVersion: 1, clients: {} });
    await store.index.read();
    await chmod(join(dir, 'index.json'), 0o600).catch(() => undefined); // an index written before files were private
    await store.reconcile();
    return store;
  }

  private clientFile(id: string): string {
    return join(this.location, 'clients', `${assertSafeName(id, 'client')}.json`);
  }

  private snapshotFile(id: string, name: string): string {
    return join(this.location, 'snapshots', assertSafeName(id, 'client'), `${assertSafeName(name, 'snapshot')}.json`);
  }

  private db(id: string): Low<World | null> {
    let db = this.clients.get(id);
    if (!db) {
      db = new Low<World | null>(new PrivateDataFile<World | null>(this.clientFile(id)), null);
      this.clients.set(id, db);
    }
    return db;
  }

  private async reconcile(): Promise<void> {
    const dir = join(this.location, 'clients');
    const files = await readdir(dir);
    let changed = false;
    for (const f of files) if (f.startsWith('.') && f.endsWith('.tmp')) await rm(join(dir, f), { force: true }); // an interrupted write
    const onDisk = new Set(files.filter((f) => f.endsWith('.json') && !f.startsWith('.')).map((f) => f.slice(0, -5)));
    const entries = this.index.data.clients;
    for (const id of Object.keys(entries)) {
      if (!onDisk.has(id)) {
        delete entries[id];
        changed = true;
      }
    }
    for (const id of onDisk) {
      if (entries[id] || !isSafeName(id)) continue;
      const world = await this.load(id);
      if (world) {
        entries[id] = { summary: summaryOf(world), snapshots: {} };
        changed = true;
      }
    }
    if (changed) await this.index.write();
  }

  async list(): Promise<ClientSummary[]> {
    return Object.values(this.index.data.clients).map((e) => e.summary);
  }

  async load(id: string): Promise<World | undefined> {
    if (!isSafeName(id)) return undefined;
    try {
      await stat(this.clientFile(id));
    } catch {
      return undefined;
    }
    const db = this.db(id);
    await db.read();
    return db.data ? assertWorld(db.data, this.clientFile(id)) : undefined;
  }

  async save(world: World): Promise<void> {
    const db = this.db(world.id);
    db.data = world;
    await db.write();
    const entry = this.index.data.clients[world.id];
    const summary = summaryOf(world);
    if (!entry || JSON.stringify(entry.summary) !== JSON.stringify(summary)) {
      this.index.data.clients[world.id] = { summary, snapshots: entry?.snapshots ?? {} };
      await this.index.write();
    }
  }

  async delete(id: string): Promise<boolean> {
    if (!isSafeName(id) || !this.index.data.clients[id]) return false;
    delete this.index.data.clients[id];
    await this.index.write();
    this.clients.delete(id);
    for (const key of this.snapshotCache.keys()) if (key.startsWith(`${id}/`)) this.snapshotCache.delete(key);
    await rm(this.clientFile(id), { force: true });
    await rm(join(this.location, 'snapshots', id), { recursive: true, force: true });
    return true;
  }

  async saveSnapshot(world: World, name: string, savedAt: string): Promise<SnapshotInfo> {
    await privateFolder(join(this.location, 'snapshots', assertSafeName(world.id, 'client')));
    const file = new PrivateDataFile<World>(this.snapshotFile(world.id, name));
    await file.write(world);
    const info = snapshotInfo(world, name, savedAt);
    this.snapshotCache.set(`${world.id}/${name}`, copyWorld(world));
    const entry = this.index.data.clients[world.id];
    if (entry) {
      entry.snapshots[name] = info;
      await this.index.write();
    }
    return info;
  }

  async loadSnapshot(clientId: string, name: string): Promise<World | undefined> {
    if (!isSafeName(clientId) || !isSafeName(name) || !this.index.data.clients[clientId]?.snapshots[name]) return undefined;
    const cached = this.snapshotCache.get(`${clientId}/${name}`);
    if (cached) return copyWorld(cached);
    const data = await new DataFile<World>(this.snapshotFile(clientId, name), json).read();
    return data ? assertWorld(data, this.snapshotFile(clientId, name)) : undefined;
  }

  async listSnapshots(clientId: string): Promise<SnapshotInfo[]> {
    return Object.values(this.index.data.clients[clientId]?.snapshots ?? {});
  }

  async deleteSnapshot(clientId: string, name: string): Promise<boolean> {
    const entry = this.index.data.clients[clientId];
    if (!entry?.snapshots[name]) return false;
    delete entry.snapshots[name];
    this.snapshotCache.delete(`${clientId}/${name}`);
    await this.index.write();
    await rm(this.snapshotFile(clientId, name), { force: true });
    return true;
  }

  async close(): Promise<void> {
    this.clients.clear();
    this.snapshotCache.clear();
  }
}
