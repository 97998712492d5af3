/**
 * The storage contract every adapter (memory, file, PostgreSQL) keeps. A client's world is a checkpoint plus the
 * commands written since it: the engine is deterministic, so replaying a command record on the checkpoint gives
 * exactly the world that answered. A write costs one appended record (O(change)), not a rewrite of the world.
 *
 * The store never runs commands: it keeps checkpoints and records, serialises writers, and makes appends durable.
 * The engine (sandbox/engine.ts) loads, replays, runs commands inside `write`, and asks for checkpoints.
 */
import type { Actor, World } from '../domain/model.js';
import type { ClientSummary, SnapshotInfo } from './world-store.js';

export type { ClientSummary, SnapshotInfo };

/** One write, as the engine ran it. */
export interface CommandRecord {
  /** 1-based position in the client's history; a checkpoint at seq N has records 1..N applied. */
  seq: number;
  /**
   * What the record holds. '$change': `input` is a WorldChange (storage/change.ts), what the write changed, found
   * while the command ran, so call sites keep their closures and a replay never re-runs domain code.
   */
  command: string;
  /** Plain JSON: exactly what the command was given. */
  input: unknown;
  actor: Actor;
  /** Wall-clock time the record was written (for people reading the log; replay never uses it). */
  at: string;
}

/** What a client is on disk: its newest checkpoint and the records after it, in seq order. */
export interface StoredWorld {
  world: World;
  /** The seq the checkpoint is at (0 for a world never written since creation). */
  seq: number;
  records: CommandRecord[];
}

/** A client the store cannot read: named with its file (or row) and why; it is set aside, never deleted. */
export interface DamagedClient {
  id: string;
  /** File path or table/row the damage is in. */
  source: string;
  reason: string;
}

export interface ClientListing {
  /** Clients that serve; a damaged one is not among them. */
  clients: ClientSummary[];
  damaged: DamagedClient[];
}

/** A write in progress on one client, with its lock held (across processes for a shared store). */
export interface WriteTx {
  /** The newest seq the store holds for the client (on a shared store another process may have moved it). */
  readonly head: number;
  /** Records after `seq`, to bring a cached world up to `head` before the command runs. */
  recordsAfter(seq: number): Promise<CommandRecord[]>;
  /**
   * Append one record (its seq is head + 1). Resolves once it is durable: a kill after this loses nothing.
   * `summary` is given when the client's name or credentials changed with this record. `after` is the world as it
   * stands after the record (the live object: copy, never keep); a store may keep a copy of it as its checkpoint
   * instead of the record when that costs no more (memory).
   */
  append(record: CommandRecord, summary?: ClientSummary, after?: World): Promise<void>;
  /** Bytes of records since the last checkpoint, when the store knows them (a bound on replay work). */
  readonly logBytes?: number;
  /**
   * Replace the whole world at `seq` (restore, import): written as a checkpoint, durable on resolve. `from.snapshot`
   * says `world` is exactly that saved snapshot of this client, as loadSnapshot gave it: a store may then record
   * the checkpoint as a reference to the snapshot it already holds durably instead of writing the world again.
   * A store in the same process (memory, the file store's snapshot cache) may hand out worlds whose invoices,
   * customers and cases it shares copy-on-write (world-copy.ts): the engine changes them only inside a tracked
   * command (storage/change.ts), which puts a private copy of a shared entry in place before changing it.
   */
  replace(world: World, seq: number, from?: { snapshot: string }): Promise<void>;
}

export interface WorldStore {
  readonly kind: 'memory' | 'file' | 'postgres';
  /** Where the data lives, for messages ("memory", a folder, or a database URL without its password). */
  readonly location: string;
  /** Several processes share it: cached worlds must be checked against `head` before they answer. */
  readonly shared: boolean;

  list(): Promise<ClientListing>;
  load(id: string): Promise<StoredWorld | undefined>;
  /** The newest seq for a client (cheap; undefined when it does not exist). */
  head(id: string): Promise<number | undefined>;
  /**
   * Records after `seq`, to bring a cached world up to date outside a write (shared stores). Undefined when they
   * are no longer all kept (a checkpoint or a restore passed `seq`): load the client again.
   */
  recordsAfter(id: string, seq: number): Promise<CommandRecord[] | undefined>;
  /** The client and integration a client key belongs to (shared stores look it up; others may answer from list()). */
  findCredential(clientKey: string): Promise<{ clientId: string; integrationId: string } | undefined>;

  /** A new client at seq 0; refuses (rejects with StoreConflict) when the id exists. */
  create(world: World): Promise<void>;
  /** Run `work` holding the client's write lock; rejects with StoreMissing when the client does not exist. */
  write<T>(id: string, work: (tx: WriteTx) => Promise<T>): Promise<T>;
  /**
   * A new checkpoint at `seq` (the world as it stood after record `seq`); records up to it may then be dropped.
   * The store serialises `world` before its first await, so the engine may go on changing it. Runs in the
   * background; failure only means the next start replays more.
   */
  checkpoint(id: string, world: World, seq: number): Promise<void>;
  delete(id: string): Promise<boolean>;

  saveSnapshot(world: World, name: string, savedAt: string): Promise<SnapshotInfo>;
  loadSnapshot(clientId: string, name: string): Promise<World | undefined>;
  listSnapshots(clientId: string): Promise<SnapshotInfo[]>;
  deleteSnapshot(clientId: string, name: string): Promise<boolean>;

  /** The token-signing secret, made once and shared by every process on this store. */
  secret(): Promise<string>;
  /** What opening the store found broken and repaired (a damaged index rebuilt), one line each, for the start-up output. */
  readonly repairs?: readonly string[];
  /** Told when another process wrote a client (shared stores), so a cached world can be dropped early. */
  watch?(listener: (clientId: string, head: number) => void): void;
  close(): Promise<void>;
}

/** A client id that already exists (create). */
export class StoreConflict extends Error {
  constructor(readonly clientId: string) {
    super(`client ${clientId} already exists`);
  }
}

/** A client id that does not exist (write). */
export class StoreMissing extends Error {
  constructor(readonly clientId: string) {
    super(`client ${clientId} does not exist`);
  }
}

/** A client whose data cannot be read: it is set aside (never deleted) and every request to it names the file. */
export class StoreDamaged extends Error {
  constructor(
    readonly clientId: string,
    readonly source: string,
    readonly reason: string,
  ) {
    super(
      `client ${clientId} is set aside: ${source} is damaged (${reason}); nothing was deleted: repair or move the file away, then restart`,
    );
  }

  get damaged(): DamagedClient {
    return { id: this.clientId, source: this.source, reason: this.reason };
  }
}

/** The store cannot be reached now (a lost database connection): answered 503 with Retry-After. */
export class StoreUnavailable extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}
