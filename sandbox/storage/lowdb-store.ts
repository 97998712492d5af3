/**
 * The default store: worlds as lowdb JSON files (checkpoints) plus an append-only, fsynced log per client.
 *   <dir>/index.json                     clients (name, credentials) and their snapshots' summaries
 *   <dir>/clients/<id>.json              the checkpoint: {"checkpoint":1,"seq":N,"world":{...}} (or a bare world, seq 0),
 *                                        or after a restore {"checkpoint":2,"seq":N,"base":"restored-<N>.json","snapshot":name}
 *   <dir>/logs/<id>/<first seq>.log      records after the checkpoint, one JSON line each with its CRC-32
 *   <dir>/logs/<id>/restored-<N>.json    a restored snapshot: a hard link to the snapshot file as it was restored
 *   <dir>/snapshots/<id>/<name>.json
 * A write appends one line and fdatasyncs it before it is acknowledged: O(change), not O(world). Checkpoints are
 * written to a temp file, fsynced and renamed; then the segments they cover are deleted (compaction). A SIGKILL
 * mid-append leaves a torn last line: it was never acknowledged, so load drops it and cuts the file back.
 * A restore does not write the world again: the snapshot file is already durable and never changed in place (a
 * save writes a new file and renames it over), so it is hard-linked beside the log and a small checkpoint names it;
 * a later checkpoint with the whole world replaces it and the link goes. (Where links fail, the world is written.)
 * A world file is written before the index names it, and the index forgets a client before its files go;
 * on open the two are reconciled, so a crash between them loses nothing.
 * On open every client is read once: one that cannot be (a truncated or edited file) is set aside and named in
 * list().damaged, never deleted; a damaged index is moved aside and rebuilt from the client and snapshot files.
 */
import { chmod, link, mkdir, open, readdir, readFile, rename, rm, stat, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { World } from '../domain/model.js';
import { assertWorld } from './world-validation.js';
import { copyWorld, privateWorldCopy } from './world-copy.js';
import { KeyedMutex } from './lock.js';
import { applyChange, type WorldChange } from './change.js';
import {
  StoreConflict,
  StoreDamaged,
  StoreMissing,
  type ClientListing,
  type CommandRecord,
  type DamagedClient,
  type StoredWorld,
  type WorldStore,
  type WriteTx,
} from './store.js';
import { assertSafeName, isSafeName, snapshotInfo, summaryOf, type ClientSummary, type SnapshotInfo } from './world-store.js';

interface IndexEntry {
  summary: ClientSummary;
  snapshots: Record<string, SnapshotInfo>;
}

interface IndexFile {
  formatVersion: 1;
  clients: Record<string, IndexEntry>;
}

interface CheckpointFile {
  checkpoint: 1;
  seq: number;
  world: World;
}

/** A checkpoint that is a restored snapshot: the world is in logs/<id>/<base>, a hard link to the snapshot's file. */
interface LinkedCheckpointFile {
  checkpoint: 2;
  seq: number;
  base: string;
  /** The snapshot it was restored from (for people reading the folder; the link keeps the world if it is saved over or deleted). */
  snapshot: string;
}

const BASE = /^restored-\d{12}\.json$/;
const baseName = (seq: number) => `restored-${String(seq).padStart(12, '0')}.json`;

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

const SEGMENT = /^(\d{12})\.log$/;
const segmentName = (firstSeq: number) => `${String(firstSeq).padStart(12, '0')}.log`;

/** One log line: the record's JSON, a tab, its CRC-32 in hex. A line without its newline or with a wrong CRC is torn. */
export function logLine(record: CommandRecord): string {
  const text = JSON.stringify(record);
  return `${text}\t${crc32(text).toString(16)}\n`;
}

function parseLine(line: string): CommandRecord | undefined {
  const tab = line.lastIndexOf('\t');
  if (tab < 0) return undefined;
  const text = line.slice(0, tab);
  if (crc32(text).toString(16) !== line.slice(tab + 1)) return undefined;
  try {
    return JSON.parse(text) as CommandRecord;
  } catch {
    return undefined;
  }
}

/**
 * Write a file so that a crash leaves the old one or the new one whole, and a power cut keeps it: temp, fsync,
 * rename, fsync the folder.
 */
async function writeDurably(path: string, text: string): Promise<void> {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash);
  const tmp = join(dir, `.${path.slice(slash + 1)}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // some file systems refuse fsync on a folder; the rename is still atomic
  } finally {
    await fh.close();
  }
}

interface Segment {
  fh: FileHandle;
  firstSeq: number;
}

interface ClientState {
  head: number;
  checkpointSeq: number;
  /** Bytes appended since the last checkpoint (this process). */
  logBytes: number;
  /** The segment appends go to; closed when a checkpoint starts, so the segments before it can go. */
  segment?: Segment;
  /** The checkpoint being written, so two never race on one file. */
  checkpointing: Promise<void>;
  /** The restored snapshot (logs/<id>/<base>) the checkpoint names, if it is a linked one. */
  base?: string | undefined;
}

export class LowdbStore implements WorldStore {
  readonly kind = 'file';
  readonly shared = false;
  private readonly states = new Map<string, ClientState>();
  /** Snapshots taken in this process, kept as copies: a restore need not read and parse the file. */
  private readonly snapshotCache = new Map<string, World>();
  private readonly locks = new KeyedMutex();
  private readonly damaged = new Map<string, DamagedClient>();
  private index!: Low<IndexFile>;
  readonly repairs: string[] = [];

  private constructor(readonly location: string) {}

  /** Open (and repair, after a crash) the data folder. */
  static async open(dir: string): Promise<LowdbStore> {
    const store = new LowdbStore(dir);
    for (const d of [dir, join(dir, 'clients'), join(dir, 'snapshots'), join(dir, 'logs')]) await privateFolder(d);
    const indexFile = join(dir, 'index.json');
    store.index = new Low<IndexFile>(new PrivateDataFile<IndexFile>(indexFile), { formatVersion: 1, clients: {} });
    let indexDamage: string | undefined;
    try {
      await store.index.read();
      const data = store.index.data as Partial<IndexFile> | null;
      if (!data || typeof data !== 'object' || !data.clients || typeof data.clients !== 'object' || Array.isArray(data.clients))
        indexDamage = 'not an index (no "clients" object)';
    } catch (e) {
      indexDamage = (e as Error).message;
    }
    if (indexDamage !== undefined) {
      // Kept for whoever wants to look; everything it held is in the client and snapshot files.
      const aside = `${indexFile}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(indexFile, aside);
      store.index.data = { formatVersion: 1, clients: {} };
      await store.reconcile(true);
      const n = Object.keys(store.index.data.clients).length;
      store.repairs.push(
        `${indexFile} was damaged (${indexDamage}): kept as ${aside}, rebuilt from ${n} client file${n === 1 ? '' : 's'}`,
      );
      return store;
    }
    await chmod(indexFile, 0o600).catch(() => undefined); // an index written before files were private
    await store.reconcile(false);
    return store;
  }

  private clientFile(id: string): string {
    return join(this.location, 'clients', `${assertSafeName(id, 'client')}.json`);
  }

  private logDir(id: string): string {
    return join(this.location, 'logs', assertSafeName(id, 'client'));
  }

  private snapshotFile(id: string, name: string): string {
    return join(this.location, 'snapshots', assertSafeName(id, 'client'), `${assertSafeName(name, 'snapshot')}.json`);
  }

  /**
   * Match the index to the client files and read every client once (a damaged one is set aside); `rebuild`: also
   * list the snapshot files.
   */
  private async reconcile(rebuild: boolean): Promise<void> {
    const dir = join(this.location, 'clients');
    const files = await readdir(dir);
    let changed = rebuild;
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
      if (!isSafeName(id)) continue;
      let stored: StoredWorld | undefined;
      try {
        stored = await this.loadUnlocked(id);
      } catch {
        continue; // named in list().damaged by load; its index entry (if any) stays, so its keys still lead to the error
      }
      if (!stored || entries[id]) continue;
      // The summary as of the newest record: a rename or a new integration may be in the log, not the checkpoint.
      for (const r of stored.records) if (r.command === '$change') applyChange(stored.world, r.input as WorldChange);
      entries[id] = { summary: summaryOf(stored.world), snapshots: rebuild ? await this.snapshotsOnDisk(id) : {} };
      changed = true;
    }
    // Logs of a client that is gone (deleted, or a create that never finished).
    for (const id of await readdir(join(this.location, 'logs')))
      if (!onDisk.has(id)) await rm(join(this.location, 'logs', id), { recursive: true, force: true });
    if (changed) await this.index.write();
  }

  /** A client's snapshot files, for an index being rebuilt (one that cannot be read stays on disk, unlisted). */
  private async snapshotsOnDisk(id: string): Promise<Record<string, SnapshotInfo>> {
    const dir = join(this.location, 'snapshots', id);
    const found: Record<string, SnapshotInfo> = {};
    for (const f of await readdir(dir).catch(() => [] as string[])) {
      const name = f.slice(0, -5);
      if (!f.endsWith('.json') || !isSafeName(name)) continue;
      try {
        const path = join(dir, f);
        const world = assertWorld(JSON.parse(await readFile(path, 'utf8')), path);
        found[name] = snapshotInfo(world, name, (await stat(path)).mtime.toISOString());
      } catch {
        // left where it is
      }
    }
    return found;
  }

  async list(): Promise<ClientListing> {
    const clients = Object.values(this.index.data.clients).map((e) => e.summary);
    return { clients: clients.filter((c) => !this.damaged.has(c.id)), damaged: [...this.damaged.values()] };
  }

  private async readCheckpoint(id: string): Promise<{ world: World; seq: number; base?: string } | undefined> {
    const file = this.clientFile(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreDamaged(id, file, `cannot be read: ${(e as Error).message}`);
    }
    let data: CheckpointFile | LinkedCheckpointFile | World;
    try {
      data = JSON.parse(text) as CheckpointFile | LinkedCheckpointFile | World;
    } catch (e) {
      throw new StoreDamaged(id, file, `not valid JSON (${text.length ? 'cut short or edited' : 'empty'}): ${(e as Error).message}`);
    }
    try {
      const format = data && typeof data === 'object' && 'checkpoint' in data ? data.checkpoint : undefined;
      if (format !== undefined && format !== 1 && format !== 2)
        throw new Error(
          `${file} is a checkpoint of format ${JSON.stringify(format)}, which this version of inkasso-sandbox does not read (it reads ` +
            `1 and 2): written by a newer version?`,
        );
      if (format === 1 || format === 2) {
        const c = data as CheckpointFile | LinkedCheckpointFile;
        if (!Number.isSafeInteger(c.seq) || c.seq < 0) throw new Error(`${file} is not a valid checkpoint: seq ${JSON.stringify(c.seq)}`);
        if (c.checkpoint === 1) return { world: assertWorld(c.world, file), seq: c.seq };
        if (typeof c.base !== 'string' || !BASE.test(c.base))
          throw new Error(`${file} is not a valid checkpoint: base ${JSON.stringify(c.base)} is not a restored snapshot's file name`);
        const basePath = join(this.logDir(id), c.base);
        let baseText: string;
        try {
          baseText = await readFile(basePath, 'utf8');
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          // Missing: a checkpoint written meanwhile may have taken it (load reads again), else the folder lost it.
          if (err.code === 'ENOENT') err.message = `${file} names ${basePath} (snapshot '${c.snapshot}' as restored), which is missing`;
          throw err;
        }
        let world: unknown;
        try {
          world = JSON.parse(baseText);
        } catch (e) {
          throw new StoreDamaged(
            id,
            basePath,
            `not valid JSON (${baseText.length ? 'cut short or edited' : 'empty'}): ${(e as Error).message}`,
          );
        }
        return { world: assertWorld(world, basePath), seq: c.seq, base: c.base };
      }
      return { world: assertWorld(data, file), seq: 0 };
    } catch (e) {
      if (e instanceof StoreDamaged || (e as NodeJS.ErrnoException).code === 'ENOENT') throw e;
      throw new StoreDamaged(id, file, (e as Error).message.replace(`${file} `, ''));
    }
  }

  /** Every record in the client's log segments, in order; a torn last line is cut off the file. */
  private async readLog(id: string): Promise<CommandRecord[]> {
    const dir = this.logDir(id);
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => SEGMENT.test(n)).sort();
    } catch {
      return [];
    }
    const records: CommandRecord[] = [];
    for (const [i, name] of names.entries()) {
      const path = join(dir, name);
      const text = await readFile(path, 'utf8');
      let offset = 0;
      while (offset < text.length) {
        const nl = text.indexOf('\n', offset);
        const line = nl < 0 ? text.slice(offset) : text.slice(offset, nl);
        const record = nl < 0 ? undefined : parseLine(line);
        if (!record) {
          const last = i === names.length - 1 && (nl < 0 || nl === text.length - 1);
          if (!last) throw new StoreDamaged(id, path, `a damaged record at byte ${offset} (not the last one, so not a torn append)`);
          // A torn append (killed mid-write): never acknowledged. Cut it off so the next append starts clean.
          await truncate(path, Buffer.byteLength(text.slice(0, offset)));
          break;
        }
        records.push(record);
        offset = nl + 1;
      }
    }
    return records;
  }

  async load(id: string): Promise<StoredWorld | undefined> {
    if (!isSafeName(id)) return undefined;
    return this.locks.run(id, () => this.loadUnlocked(id));
  }

  /** load() for a caller that holds the client's lock (no append can be under way). */
  private async loadUnlocked(id: string): Promise<StoredWorld | undefined> {
    // A background checkpoint deletes the segments it covers after writing itself: wait for one under way, and if a
    // segment still vanishes between listing and reading, read again (the newer checkpoint then covers it).
    for (let attempt = 0; ; attempt++) {
      await this.states.get(id)?.checkpointing;
      try {
        return await this.loadOnce(id);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        if (attempt >= 3) {
          const damage = new StoreDamaged(id, this.clientFile(id), (e as Error).message);
          this.damaged.set(id, damage.damaged);
          throw damage;
        }
      }
    }
  }

  private async loadOnce(id: string): Promise<StoredWorld | undefined> {
    try {
      const cp = await this.readCheckpoint(id);
      if (!cp) return undefined;
      const state = this.states.get(id);
      if (state?.segment) {
        // Appends go on from what is on disk; the open segment is closed so a torn tail can be cut.
        await state.segment.fh.close();
        delete state.segment;
      }
      const all = await this.readLog(id);
      const records = all.filter((r) => r.seq > cp.seq);
      let expected = cp.seq + 1;
      for (const r of records) {
        if (r.seq !== expected) throw new StoreDamaged(id, this.logDir(id), `record ${r.seq} where ${expected} was expected`);
        expected++;
      }
      const head = cp.seq + records.length;
      if (state) {
        state.head = head;
        state.checkpointSeq = cp.seq;
        state.base = cp.base;
      } else this.states.set(id, { head, checkpointSeq: cp.seq, logBytes: 0, checkpointing: Promise.resolve(), base: cp.base });
      this.damaged.delete(id);
      return { world: cp.world, seq: cp.seq, records };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw e; // a segment compacted away meanwhile: read again
      const damage = e instanceof StoreDamaged ? e : new StoreDamaged(id, this.clientFile(id), (e as Error).message);
      this.damaged.set(id, damage.damaged);
      throw damage;
    }
  }

  private async state(id: string): Promise<ClientState | undefined> {
    if (!this.states.has(id) && this.index.data.clients[id]) await this.loadUnlocked(id);
    return this.states.get(id);
  }

  async head(id: string): Promise<number | undefined> {
    if (!isSafeName(id) || !this.index.data.clients[id]) return undefined;
    return this.states.get(id)?.head ?? this.locks.run(id, async () => (await this.state(id))?.head);
  }

  async recordsAfter(id: string, seq: number): Promise<CommandRecord[] | undefined> {
    const stored = await this.load(id);
    if (!stored || seq < stored.seq) return undefined;
    return stored.records.filter((r) => r.seq > seq);
  }

  async findCredential(clientKey: string) {
    for (const e of Object.values(this.index.data.clients)) {
      const c = e.summary.credentials.find((x) => x.clientKey === clientKey);
      if (c) return { clientId: e.summary.id, integrationId: c.integrationId };
    }
    return undefined;
  }

  async create(world: World): Promise<void> {
    assertSafeName(world.id, 'client');
    await this.locks.run(world.id, async () => {
      if (this.index.data.clients[world.id]) throw new StoreConflict(world.id);
      // Its files are there, only unreadable: a new client would overwrite them.
      const damaged = this.damaged.get(world.id);
      if (damaged) throw new StoreDamaged(damaged.id, damaged.source, damaged.reason);
      await rm(this.logDir(world.id), { recursive: true, force: true });
      await writeDurably(this.clientFile(world.id), JSON.stringify({ checkpoint: 1, seq: 0, world } satisfies CheckpointFile));
      this.states.set(world.id, { head: 0, checkpointSeq: 0, logBytes: 0, checkpointing: Promise.resolve() });
      this.index.data.clients[world.id] = { summary: summaryOf(world), snapshots: {} };
      await this.index.write();
    });
  }

  write<T>(id: string, work: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.locks.run(id, async () => {
      const state = this.index.data.clients[id] ? await this.state(id) : undefined;
      if (!state) throw new StoreMissing(id);
      const tx: WriteTx = {
        get head() {
          return state.head;
        },
        get logBytes() {
          return state.logBytes;
        },
        recordsAfter: async (seq) => ((await this.loadUnlocked(id))?.records ?? []).filter((r) => r.seq > seq),
        append: async (record, summary) => {
          if (record.seq !== state.head + 1) throw new Error(`internal: record ${record.seq} does not follow ${state.head}`);
          const line = logLine(record);
          let segment = state.segment;
          if (!segment) {
            await privateFolder(this.logDir(id));
            segment = { fh: await open(join(this.logDir(id), segmentName(record.seq)), 'a', 0o600), firstSeq: record.seq };
            state.segment = segment;
            await syncDir(this.logDir(id));
          }
          await segment.fh.write(line);
          await segment.fh.datasync();
          state.head = record.seq;
          state.logBytes += line.length;
          if (summary) await this.setSummary(id, summary);
        },
        replace: async (world, seq, from) => {
          const file = this.clientFile(id);
          const snapshot = from?.snapshot;
          let write: () => Promise<string | undefined>;
          if (snapshot !== undefined && this.index.data.clients[id]?.snapshots[snapshot]) {
            // The world is that snapshot, whose file is durable: link it and write a small checkpoint that names it.
            write = async () => {
              const base = await this.linkSnapshot(id, snapshot, seq);
              if (base) await writeDurably(file, JSON.stringify({ checkpoint: 2, seq, base, snapshot } satisfies LinkedCheckpointFile));
              else await writeDurably(file, JSON.stringify({ checkpoint: 1, seq, world } satisfies CheckpointFile));
              return base;
            };
          } else {
            const text = JSON.stringify({ checkpoint: 1, seq, world } satisfies CheckpointFile);
            write = async () => {
              await writeDurably(file, text);
              return undefined;
            };
          }
          await this.writeCheckpoint(id, state, write, seq, true);
          state.head = seq;
          const summary = summaryOf(world);
          if (JSON.stringify(summary) !== JSON.stringify(this.index.data.clients[id]?.summary)) await this.setSummary(id, summary);
        },
      };
      return work(tx);
    });
  }

  private async setSummary(id: string, summary: ClientSummary): Promise<void> {
    const entry = this.index.data.clients[id];
    if (!entry) return;
    entry.summary = summary;
    await this.index.write();
  }

  /** A hard link to the snapshot's file beside the client's log, made durable; undefined where links fail (then the world is written). */
  private async linkSnapshot(id: string, name: string, seq: number): Promise<string | undefined> {
    const dir = this.logDir(id);
    await privateFolder(dir);
    const base = baseName(seq);
    const path = join(dir, base);
    await rm(path, { force: true }); // left by a restore that crashed before its checkpoint
    try {
      await link(this.snapshotFile(id, name), path);
    } catch {
      return undefined;
    }
    await syncDir(dir);
    return base;
  }

  /**
   * Close the open segment (appends start a new one), write the checkpoint (`write` answers the restored snapshot it
   * names, if any), delete the segments it covers and restored snapshots no longer named.
   */
  private writeCheckpoint(
    id: string,
    state: ClientState,
    write: () => Promise<string | undefined>,
    seq: number,
    replaceAll = false,
  ): Promise<void> {
    const segment = state.segment;
    delete state.segment;
    const run = async () => {
      await segment?.fh.close();
      if (seq <= state.checkpointSeq && !replaceAll) return;
      state.base = await write();
      state.checkpointSeq = seq;
      // Compaction: a segment goes once every record in it is in the checkpoint (it ends before the next one starts).
      const dir = this.logDir(id);
      const all = await readdir(dir).catch(() => [] as string[]);
      for (const name of all) if (BASE.test(name) && name !== state.base) await rm(join(dir, name), { force: true });
      const names = all.filter((n) => SEGMENT.test(n)).sort();
      const firsts = names.map((n) => Number(SEGMENT.exec(n)![1]));
      for (const [i, name] of names.entries()) {
        const lastSeq = (firsts[i + 1] ?? state.head + 1) - 1;
        if (replaceAll || lastSeq <= seq) {
          if (state.segment && state.segment.firstSeq === firsts[i]) continue;
          await rm(join(dir, name), { force: true });
        }
      }
      state.logBytes = 0;
    };
    const done = state.checkpointing.then(run, run);
    state.checkpointing = done.catch(() => undefined);
    return done;
  }

  checkpoint(id: string, world: World, seq: number): Promise<void> {
    const state = this.states.get(id);
    if (!state || seq <= state.checkpointSeq || seq > state.head) return Promise.resolve();
    const text = JSON.stringify({ checkpoint: 1, seq, world } satisfies CheckpointFile);
    return this.writeCheckpoint(
      id,
      state,
      async () => {
        await writeDurably(this.clientFile(id), text);
        return undefined;
      },
      seq,
    );
  }

  async delete(id: string): Promise<boolean> {
    if (!isSafeName(id) || !this.index.data.clients[id]) return false;
    return this.locks.run(id, async () => {
      delete this.index.data.clients[id];
      await this.index.write();
      const state = this.states.get(id);
      this.states.delete(id);
      if (state) {
        await state.checkpointing;
        await state.segment?.fh.close();
      }
      for (const key of this.snapshotCache.keys()) if (key.startsWith(`${id}/`)) this.snapshotCache.delete(key);
      this.damaged.delete(id);
      await rm(this.clientFile(id), { force: true });
      await rm(this.logDir(id), { recursive: true, force: true });
      await rm(join(this.location, 'snapshots', id), { recursive: true, force: true });
      return true;
    });
  }

  async saveSnapshot(world: World, name: string, savedAt: string): Promise<SnapshotInfo> {
    await privateFolder(join(this.location, 'snapshots', assertSafeName(world.id, 'client')));
    const info = snapshotInfo(world, assertSafeName(name, 'snapshot'), savedAt);
    const text = JSON.stringify(world);
    const copy = privateWorldCopy(world);
    const key = `${world.id}/${name}`;
    this.snapshotCache.delete(key);
    await writeDurably(this.snapshotFile(world.id, name), text);
    // Kept only once the file holds it: a restore may point the client at that file (see replace).
    this.snapshotCache.set(key, copy);
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

  /** The token-signing secret lives beside the data, so tokens survive a restart. */
  async secret(): Promise<string> {
    const file = join(this.location, 'token-secret');
    try {
      return (await readFile(file, 'utf8')).trim();
    } catch {
      const secret = randomBytes(32).toString('hex');
      await writeFile(file, secret, { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
      return (await readFile(file, 'utf8')).trim();
    }
  }

  async close(): Promise<void> {
    for (const state of this.states.values()) {
      await state.checkpointing;
      await state.segment?.fh.close();
      delete state.segment;
    }
    this.states.clear();
    this.snapshotCache.clear();
  }
}
