/**
 * The engine: every client world, loaded lazily from a store, changed one request at a time per client.
 * `write` runs a domain command, then every rule that has fallen due, then persists; a rejected command
 * changes nothing. Only the credential index (client key -> client) spans clients.
 */
import type { Actor, DomainEvent, World } from './domain/model.js';
import { contextFor, ACTORS, type CommandContext } from './domain/context.js';
import { createWorld } from './domain/world.js';
import { reject, isRejection } from './domain/errors.js';
import { invariantBreaches } from './domain/invariants.js';
import { addIntegration, integrationFrom, type IntegrationKeys } from './domain/commands/integrations.js';
import { updateSettings, type SettingsChange } from './domain/commands/settings.js';
import { runDueRules, advanceClock, type AdvanceResult } from './clock/advance.js';
import { advanceTarget, parseMoment, DAY_START_HOUR, type AdvanceRequest } from './clock/targets.js';
import { fromMillis, localDate, localTimeToMs, toMillis } from './domain/time.js';
import { KeyedMutex } from './storage/lock.js';
import { isSafeName, summaryOf, type ClientSummary, type SnapshotInfo } from './storage/world-store.js';
import {
  StoreConflict,
  StoreDamaged,
  StoreMissing,
  type CommandRecord,
  type DamagedClient,
  type WorldStore,
  type WriteTx,
} from './storage/store.js';
import { applyChange, isEmptyChange, trackChanges, type WorldChange } from './storage/change.js';
import { dueQueue } from './clock/due-queue.js';
import { worldProblem } from './storage/world-validation.js';
import { DEFAULT_TIME_ZONE, upgradeWorld } from './domain/world.js';
import type { Integration } from './domain/model.js';

export interface EngineOptions {
  store: WorldStore;
  /** After every write: check the ledger invariants, and that a rejected command changed nothing. For tests. */
  strict?: boolean;
  /** Real time: only for defaults (a new client's start date) and wall-clock stamps, never for rules. */
  wallClock?: () => number;
  /** A checkpoint is written once this many records follow the last one (bounds the replay at start). */
  checkpointRecords?: number;
  /** ... or once the records since it take this many bytes. */
  checkpointBytes?: number;
  /** A client idle this long with records since its checkpoint gets one in the background (0: never). */
  checkpointIdleMs?: number;
  /** Where warnings go (a failed background checkpoint); default the console. Tests pass a quiet one. */
  logger?: Logger;
  /** Told of every access to a client's world (instrumentation: tests count them per request). */
  onAccess?: AccessObserver;
}

/** Where the sandbox reports what an operator should see and no caller is told (default: the console). */
export interface Logger {
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** A logger that says nothing (tests). */
export const QUIET_LOGGER: Logger = { warn: () => undefined, error: () => undefined };

/** One entry into a client's world: `read` and `write` alone, or one `access` holding the client's lock throughout. */
export type AccessObserver = (kind: 'read' | 'write' | 'access', clientId: string) => void;

/**
 * One request's hold on one client's world (Engine.access): the client's lock is held from the first read to the
 * last, so every read sees the same world and no other request's write lands between them; a write commits inside
 * the same hold and what is read after it is the world it left.
 */
export interface ClientAccess {
  readonly clientId: string;
  /** Run a query against the world as it stands in this hold. The function must not change it. */
  read<T>(query: (world: World) => T): Promise<T>;
  /** Engine.write, inside this hold. */
  write<T>(actor: Actor, command: (ctx: CommandContext) => T): Promise<WriteResult<T>>;
}

/** A cached world and where it stands in its client's history. */
interface Loaded {
  world: World;
  seq: number;
  checkpointSeq: number;
  /** JSON of the client's summary (name, credentials): a record that changes it carries the new one. */
  summary: string;
  lastWrite: number;
}

export const CHECKPOINT_RECORDS = 1000;
export const CHECKPOINT_BYTES = 4 * 1024 * 1024;

export interface NewIntegrationRequest {
  name: string;
  kind?: Integration['kind'];
  canCreateNewCases?: boolean;
  rights?: Integration['rights'];
  applicationKey?: string;
  clientKey?: string;
  subscriptionKey?: string;
}

export interface NewClient {
  id?: string;
  name?: string;
  /** A date (08:00 local that day) or a date-time; default today. */
  startDate?: string;
  timeZone?: string;
  settings?: SettingsChange;
  /** Default: one debt-collection integration that may create new cases. */
  integrations?: NewIntegrationRequest[];
  /** More set-up inside the same creation (settings that name integrations, a scenario's world). */
  setup?: (ctx: CommandContext) => void;
}

export interface WriteResult<T> {
  result: T;
  events: DomainEvent[];
}

export interface WorldExport {
  format: 'inkasso-sandbox.world';
  formatVersion: 1;
  exportedAt: string;
  /** SHA-256 of JSON.stringify(world): an edited or truncated export is refused. */
  checksum: string;
  world: World;
}

export interface CredentialRef {
  clientId: string;
  integrationId: string;
}

function randomHex(bytes: number): string {
  const a = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(a);
  return [...a].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function newKeys(): IntegrationKeys {
  return { applicationKey: globalThis.crypto.randomUUID(), clientKey: globalThis.crypto.randomUUID(), subscriptionKey: randomHex(16) };
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'client'
  );
}

async function sha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A client id or snapshot name becomes a file name: refuse one outside the safe alphabet (SAFE_NAME). */
function assertSafeName(field: string, name: string): void {
  if (!isSafeName(name)) throw reject.invalid(field, 'may hold letters, digits, ".", "_" and "-" (1-64, starting with a letter or digit)');
}

export class Engine {
  readonly store: WorldStore;
  readonly strict: boolean;
  private readonly wallClock: () => number;
  private readonly logger: Logger;
  /** Instrumentation: told of every read, write and access (see EngineOptions.onAccess). */
  onAccess: AccessObserver | undefined;
  private readonly cache = new Map<string, Loaded>();
  private readonly locks = new KeyedMutex();
  private readonly credentials = new Map<string, CredentialRef>();
  private readonly revisions = new Map<string, number>();
  /** On a shared store: a revision never seen before for every read (see revision()). */
  private sharedTick = 0;
  private readonly checkpointRecords: number;
  private readonly checkpointBytes: number;
  private readonly checkpoints = new Set<Promise<void>>();
  private idleTimer: ReturnType<typeof setInterval> | undefined;
  /** Clients the store could not read at start (set aside, never deleted). */
  damaged: DamagedClient[] = [];
  /** Replay at load (records applied after the checkpoint is read): totals and the slowest one, for the benchmark. */
  readonly replayStats = { loads: 0, records: 0, ms: 0, maxRecords: 0, maxMs: 0 };

  private constructor(options: EngineOptions) {
    this.store = options.store;
    this.strict = options.strict ?? false;
    this.wallClock = options.wallClock ?? Date.now;
    this.logger = options.logger ?? console;
    this.onAccess = options.onAccess;
    this.checkpointRecords = options.checkpointRecords ?? CHECKPOINT_RECORDS;
    this.checkpointBytes = options.checkpointBytes ?? CHECKPOINT_BYTES;
    const idle = options.checkpointIdleMs ?? (options.store.kind === 'memory' ? 0 : 5000);
    if (idle > 0) {
      this.idleTimer = setInterval(() => this.checkpointIdle(idle), Math.max(250, Math.floor(idle / 2)));
      this.idleTimer.unref();
    }
  }

  static async create(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    const listing = await engine.store.list();
    engine.damaged = listing.damaged;
    for (const summary of listing.clients) engine.indexCredentials(summary);
    return engine;
  }

  private indexCredentials(summary: ClientSummary): void {
    for (const [key, ref] of this.credentials) if (ref.clientId === summary.id) this.credentials.delete(key);
    for (const c of summary.credentials) this.credentials.set(c.clientKey, { clientId: summary.id, integrationId: c.integrationId });
  }

  wallNow(): string {
    return fromMillis(this.wallClock());
  }

  // ---- clients -------------------------------------------------------------------------------------------

  async createClient(input: NewClient): Promise<World> {
    const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
    const id = input.id ?? `${slug(input.name ?? 'client')}-${randomHex(3)}`;
    assertSafeName('id', id);
    return this.locks.run(id, async () => {
      if (this.cache.has(id) || (await this.store.head(id).catch(damagedConflict)) !== undefined)
        throw reject.conflict(`client ${id} already exists`, { field: 'id' });
      const now = input.startDate
        ? parseMoment(input.startDate, timeZone, 'startDate')
        : fromMillis(localTimeToMs(localDate(fromMillis(this.wallClock()), timeZone), DAY_START_HOUR, 0, timeZone));
      const world = createWorld({ id, name: input.name ?? id, now, timeZone, incarnation: randomHex(12) });
      const ctx = contextFor(world, ACTORS.sandbox);
      const integrations = input.integrations ?? [{ name: 'Demo inkassobyrå', kind: 'debtCollection' as const, canCreateNewCases: true }];
      for (const [i, spec] of integrations.entries()) {
        const keys = this.keysFor(spec, `integrations[${i}]`);
        addIntegration(ctx, integrationFrom(spec, keys));
      }
      if (input.settings) updateSettings(ctx, input.settings);
      input.setup?.(ctx);
      runDueRules(ctx, toMillis(world.clock.now));
      if (this.strict) {
        const breaches = invariantBreaches(world);
        if (breaches.length) throw new Error(`internal: ledger invariants broken: ${breaches.join('; ')}`);
      }
      await this.createStored(world);
      return world;
    });
  }

  private async createStored(world: World): Promise<void> {
    try {
      await this.store.create(world);
    } catch (e) {
      if (e instanceof StoreConflict) throw reject.conflict(`client ${world.id} already exists`, { field: 'id' });
      damagedConflict(e);
    }
    this.remember(world, 0, 0);
  }

  private remember(world: World, seq: number, checkpointSeq: number): Loaded {
    const summary = summaryOf(world);
    const loaded: Loaded = { world, seq, checkpointSeq, summary: JSON.stringify(summary), lastWrite: 0 };
    this.cache.set(world.id, loaded);
    this.bump(world.id);
    this.indexCredentials(summary);
    return loaded;
  }

  /** Keys for a new integration: those asked for (an agency reusing its real keys) or fresh ones. */
  keysFor(spec: Partial<IntegrationKeys>, field: string): IntegrationKeys {
    const keys = {
      ...newKeys(),
      ...Object.fromEntries(Object.entries(spec).filter(([k, v]) => ['applicationKey', 'clientKey', 'subscriptionKey'].includes(k) && v)),
    } as IntegrationKeys;
    if (this.credentials.has(keys.clientKey))
      throw reject.conflict(`client key ${keys.clientKey} is already in use`, { field: `${field}.clientKey` });
    return keys;
  }

  async listClients(): Promise<ClientSummary[]> {
    const listing = await this.store.list();
    this.damaged = listing.damaged;
    return listing.clients;
  }

  async deleteClient(id: string): Promise<void> {
    await this.locks.run(id, async () => {
      const gone = await this.store.delete(id);
      this.forget(id);
      if (!gone) throw reject.notFound('client', id, 'clientId');
    });
  }

  /**
   * A number that changes whenever a client's world may have changed (bumped before any write touches it):
   * a view computed after reading revision r is never newer-keyed than its data, so views can be cached by it.
   * On a shared store another process may have written without this one knowing until it asks the database,
   * so every call answers a new number: cached views are never reused there.
   */
  revision(clientId: string): number {
    if (this.store.shared) return -++this.sharedTick;
    return this.revisions.get(clientId) ?? 0;
  }

  private bump(clientId: string): void {
    this.revisions.set(clientId, (this.revisions.get(clientId) ?? 0) + 1);
  }

  /** The client a key belongs to, as this process last saw it (a shared store may know newer ones: lookupCredential). */
  findCredential(clientKey: string): CredentialRef | undefined {
    return this.credentials.get(clientKey);
  }

  /** findCredential, asking the store when this process has not seen the key (a client made by another process). */
  async lookupCredential(clientKey: string): Promise<CredentialRef | undefined> {
    const known = this.credentials.get(clientKey);
    if (known && !this.store.shared) return known;
    const found = await this.store.findCredential(clientKey);
    if (found) this.credentials.set(clientKey, found);
    else this.credentials.delete(clientKey);
    return found;
  }

  /** Load a client: its checkpoint, then every record after it (timed: the replay at start is bounded by the checkpoint policy). */
  private async loadWorld(id: string): Promise<Loaded | undefined> {
    const stored = await this.store.load(id);
    if (!stored) return undefined;
    const { world, records } = stored;
    const started = performance.now();
    for (const r of records) replayRecord(world, r);
    const ms = performance.now() - started;
    const stats = this.replayStats;
    stats.loads++;
    stats.records += records.length;
    stats.ms += ms;
    stats.maxRecords = Math.max(stats.maxRecords, records.length);
    stats.maxMs = Math.max(stats.maxMs, ms);
    return this.remember(world, stored.seq + records.length, stored.seq);
  }

  /** The cached world, loaded if needed; on a shared store brought up to the store's head first. Call holding the client's lock. */
  private async current(id: string, tx?: WriteTx): Promise<Loaded> {
    const head = tx?.head;
    let loaded = this.cache.get(id);
    if (loaded && this.store.shared) {
      const now = head ?? (await this.store.head(id));
      if (now === undefined) {
        this.forget(id);
        throw reject.notFound('client', id, 'clientId');
      }
      if (now !== loaded.seq) {
        // Inside a write the records come through its own connection (a shared store's pool is not asked for a second one).
        const records = now > loaded.seq ? await (tx ? tx.recordsAfter(loaded.seq) : this.store.recordsAfter(id, loaded.seq)) : undefined;
        let world: World | undefined;
        if (records && records.length === now - loaded.seq && records.every((r, i) => r.seq === loaded!.seq + 1 + i)) {
          // A new world object and voucher list: the due queue and the voucher index are cached per object and would be stale.
          world = { ...loaded.world };
          try {
            for (const r of records) replayRecord(world, r);
            world.vouchers = world.vouchers.slice();
          } catch {
            world = undefined; // half applied: load the client whole instead
          }
        }
        if (world) {
          loaded.world = world;
          loaded.seq = now;
          this.bump(id);
          const summary = summaryOf(loaded.world);
          loaded.summary = JSON.stringify(summary);
          this.indexCredentials(summary);
        } else {
          this.drop(id);
          loaded = undefined;
        }
      }
    }
    if (!loaded) loaded = await this.loadWorld(id);
    if (!loaded) throw reject.notFound('client', id, 'clientId');
    return loaded;
  }

  private async world(id: string): Promise<World> {
    const cached = this.cache.get(id);
    if (cached && !this.store.shared) return cached.world;
    return this.locks.run(id, async () => (await this.current(id)).world);
  }

  /** Forget a cached world that may be ahead of the store (it is loaded again on next use). */
  private drop(id: string): void {
    this.cache.delete(id);
    this.bump(id);
  }

  private forget(id: string): void {
    this.cache.delete(id);
    this.bump(id);
    for (const [key, ref] of this.credentials) if (ref.clientId === id) this.credentials.delete(key);
  }

  /**
   * Append what a command changed; the answer waits for this. A failed append forgets the cached world (the store
   * has the last good one).
   */
  private async append(tx: WriteTx, loaded: Loaded, actor: Actor, change: WorldChange): Promise<void> {
    const record: CommandRecord = { seq: loaded.seq + 1, command: '$change', input: change, actor, at: this.wallNow() };
    const summary = summaryOf(loaded.world);
    const summaryJson = JSON.stringify(summary);
    try {
      await tx.append(record, summaryJson !== loaded.summary ? summary : undefined, loaded.world);
    } catch (e) {
      this.drop(loaded.world.id);
      throw e;
    }
    loaded.seq = record.seq;
    loaded.lastWrite = this.wallClock();
    if (summaryJson !== loaded.summary) {
      loaded.summary = summaryJson;
      this.indexCredentials(summary);
    }
    if (loaded.seq - loaded.checkpointSeq >= this.checkpointRecords || (tx.logBytes ?? 0) >= this.checkpointBytes)
      this.startCheckpoint(loaded);
  }

  /** Write a checkpoint in the background (the store serialises the world before it returns). Call holding the client's lock. */
  private startCheckpoint(loaded: Loaded): void {
    if (loaded.seq <= loaded.checkpointSeq) return;
    const seq = loaded.seq;
    const done = this.store.checkpoint(loaded.world.id, loaded.world, seq).then(
      () => {
        if (seq > loaded.checkpointSeq) loaded.checkpointSeq = seq;
      },
      (e: unknown) => {
        this.logger.warn(
          `[inkasso-sandbox] checkpoint of ${loaded.world.id} at ${seq} failed (the next start replays more): ${(e as Error).message}`,
        );
      },
    );
    this.checkpoints.add(done);
    void done.finally(() => this.checkpoints.delete(done));
  }

  private checkpointIdle(idleMs: number): void {
    const now = this.wallClock();
    for (const [id, loaded] of this.cache) {
      if (loaded.seq > loaded.checkpointSeq && now - loaded.lastWrite >= idleMs)
        void this.locks.run(id, () => {
          if (this.cache.get(id) === loaded) this.startCheckpoint(loaded);
        });
    }
  }

  // ---- reading and writing a world -----------------------------------------------------------------------

  /** Run a query against a client's world. The function must not change it. */
  async read<T>(clientId: string, query: (world: World) => T): Promise<T> {
    this.onAccess?.('read', clientId);
    return query(await this.world(clientId));
  }

  /**
   * Everything one request does with a client, in one hold of the client's lock: the world is loaded (on a shared
   * store brought up to the store's head) once, `work` reads it and writes through the access it is given, and no
   * other request's write lands in between. A client that does not exist rejects (notFound) before `work` runs.
   * `work` must not call the engine's own read or write for this client (the lock is held: it would wait forever).
   */
  async access<T>(clientId: string, work: (access: ClientAccess) => Promise<T>): Promise<T> {
    this.onAccess?.('access', clientId);
    return this.locks.run(clientId, async () => {
      if (this.store.shared || !this.cache.has(clientId)) await this.current(clientId);
      const access: ClientAccess = {
        clientId,
        // The cached world (brought up to the store's head as the hold began); after a failed write forgot it, loaded again.
        read: (query) => {
          const loaded = this.cache.get(clientId);
          if (!loaded) return this.current(clientId).then((l) => query(l.world));
          try {
            return Promise.resolve(query(loaded.world));
          } catch (e) {
            return Promise.reject(e as Error); // a refusal from the query rejects, as an async read would
          }
        },
        write: (actor, command) => this.commitLocked(clientId, actor, command, () => undefined),
      };
      return work(access);
    });
  }

  /**
   * `access`, or `ifGone` when the client does not exist as the hold begins. A notFound refusal from inside `work`
   * stays a refusal: only the client's own absence is answered by `ifGone`.
   */
  async accessOr<T>(clientId: string, work: (access: ClientAccess) => Promise<T>, ifGone: () => Promise<T>): Promise<T> {
    let entered = false;
    try {
      return await this.access(clientId, (access) => {
        entered = true;
        return work(access);
      });
    } catch (e) {
      if (!entered && isRejection(e) && e.kind === 'notFound') return ifGone();
      throw e;
    }
  }

  /**
   * Run a command against a client's world, then every rule due by its clock, then append what changed to the
   * client's log; the answer waits until that record is durable.
   */
  async write<T>(clientId: string, actor: Actor, command: (ctx: CommandContext) => T): Promise<WriteResult<T>> {
    return this.commit(clientId, actor, command, () => undefined);
  }

  /**
   * A write answered from the world it leaves (after the due rules and the append), under the same lock: no other
   * request slips in between the change and the answer.
   */
  async writeAndView<T, V>(
    clientId: string,
    actor: Actor,
    command: (ctx: CommandContext) => T,
    view: (world: World, result: T) => V,
  ): Promise<V> {
    return (await this.commit(clientId, actor, command, view)).view;
  }

  private async commit<T, V>(
    clientId: string,
    actor: Actor,
    command: (ctx: CommandContext) => T,
    view: (world: World, result: T) => V,
  ): Promise<WriteResult<T> & { view: V }> {
    this.onAccess?.('write', clientId);
    return this.locks.run(clientId, () => this.commitLocked(clientId, actor, command, view));
  }

  /** commit, holding the client's lock already. */
  private commitLocked<T, V>(
    clientId: string,
    actor: Actor,
    command: (ctx: CommandContext) => T,
    view: (world: World, result: T) => V,
  ): Promise<WriteResult<T> & { view: V }> {
    return this.storeWrite(clientId, async (tx) => {
      const loaded = await this.current(clientId, tx);
      const world = loaded.world;
      this.bump(clientId);
      const before = this.strict ? JSON.stringify(world) : undefined;
      dueQueue(world); // built before tracking: building it reads every invoice
      const tracking = trackChanges(world);
      const ctx = contextFor(world, actor);
      let result: T;
      let change: WorldChange;
      try {
        result = command(ctx);
        runDueRules(ctx, toMillis(world.clock.now));
      } catch (e) {
        tracking.finish();
        // Entries only looked up by key (a duplicate check) do not make a rejection a change; strict mode compares the JSON.
        const changed = tracking.wrote() || (before !== undefined && JSON.stringify(world) !== before);
        // A command that broke half-way (or a rejection that changed something): forget the changed world; the
        // store has the last good one.
        if (!isRejection(e) || changed) this.drop(clientId);
        if (isRejection(e) && changed && this.strict) throw new Error(`internal: a rejected command changed the world (${e.message})`);
        throw e;
      }
      change = tracking.finish();
      if (this.strict) {
        const breaches = invariantBreaches(world);
        if (breaches.length) {
          this.drop(clientId);
          throw new Error(`internal: ledger invariants broken: ${breaches.join('; ')}`);
        }
      }
      if (!isEmptyChange(change)) await this.append(tx, loaded, actor, change);
      return { result, events: ctx.emitted, view: view(world, result) };
    });
  }

  /** store.write, with a client the store does not know answered as not found. */
  private async storeWrite<T>(clientId: string, work: (tx: WriteTx) => Promise<T>): Promise<T> {
    try {
      return await this.store.write(clientId, work);
    } catch (e) {
      if (e instanceof StoreMissing) {
        this.forget(clientId);
        throw reject.notFound('client', clientId, 'clientId');
      }
      // Not committed (a lost database, a failed append): the cached world may be ahead of the store; load it again.
      if (!isRejection(e)) this.drop(clientId);
      throw e;
    }
  }

  async advance(clientId: string, actor: Actor, request: AdvanceRequest): Promise<AdvanceResult> {
    return this.advanceAndView(clientId, actor, request, (_world, result) => result);
  }

  /** Advance, answered from the world the advance leaves (under the same lock). */
  advanceAndView<V>(
    clientId: string,
    actor: Actor,
    request: AdvanceRequest,
    view: (world: World, result: AdvanceResult) => V,
  ): Promise<V> {
    const to = request.to !== undefined ? 'to' : 'days';
    return this.writeAndView(
      clientId,
      actor,
      (ctx) => advanceClock(ctx, advanceTarget(ctx.world.clock.now, ctx.world.timeZone, request), to),
      view,
    );
  }

  // ---- snapshots, export, import -------------------------------------------------------------------------

  async saveSnapshot(clientId: string, name: string): Promise<SnapshotInfo> {
    assertSafeName('name', name);
    return this.locks.run(clientId, async () => this.store.saveSnapshot((await this.current(clientId)).world, name, this.wallNow()));
  }

  /** Rewind (or jump) a whole world to a snapshot: the only way time goes back. */
  async restoreSnapshot(clientId: string, name: string): Promise<World> {
    return this.locks.run(clientId, () =>
      this.storeWrite(clientId, async (tx) => {
        const loaded = await this.current(clientId, tx);
        const snapshot = await this.store.loadSnapshot(clientId, name);
        if (!snapshot) throw reject.notFound('snapshot', name, 'name');
        // A new seq past the head: other processes see the head move and load the restored world.
        const seq = Math.max(tx.head, loaded.seq) + 1;
        await tx.replace(snapshot, seq, { snapshot: name });
        this.remember(snapshot, seq, seq);
        return snapshot;
      }),
    );
  }

  async listSnapshots(clientId: string): Promise<SnapshotInfo[]> {
    await this.world(clientId);
    return this.store.listSnapshots(clientId);
  }

  async deleteSnapshot(clientId: string, name: string): Promise<void> {
    await this.world(clientId);
    if (!(await this.locks.run(clientId, () => this.store.deleteSnapshot(clientId, name))))
      throw reject.notFound('snapshot', name, 'name');
  }

  async exportWorld(clientId: string): Promise<WorldExport> {
    return this.locks.run(clientId, async () => {
      const world = (await this.current(clientId)).world;
      const text = JSON.stringify(world);
      return {
        format: 'inkasso-sandbox.world',
        formatVersion: 1,
        exportedAt: this.wallNow(),
        checksum: await sha256(text),
        world: JSON.parse(text) as World,
      };
    });
  }

  /** Import an exported world as a new client; integrations get fresh keys. A bad file leaves nothing behind. */
  async importWorld(file: unknown, options: { id?: string; name?: string } = {}): Promise<World> {
    const f = file as Partial<WorldExport> | null;
    if (!f || typeof f !== 'object' || f.format !== 'inkasso-sandbox.world')
      throw reject.invalid('format', "must be 'inkasso-sandbox.world' (a file from GET …/export)");
    if (f.formatVersion !== 1) throw reject.invalid('formatVersion', `${String(f.formatVersion)} is not supported (expected 1)`);
    if (typeof f.checksum !== 'string') throw reject.invalid('checksum', 'is missing');
    // Checked as upgraded (settings added since the export get defaults); the checksum covers the file as sent.
    const problem = worldProblem(upgradeWorld(structuredClone(f.world)));
    if (problem)
      throw reject.invalid(
        `world${problem.startsWith('/') ? problem.split(' ')[0]!.replaceAll('/', '.') : ''}`,
        `is not a valid world: ${problem}`,
      );
    if ((await sha256(JSON.stringify(f.world))) !== f.checksum)
      throw reject.invalid('checksum', 'does not match the world: the export was edited or damaged');
    const breaches = invariantBreaches(f.world!);
    if (breaches.length) throw reject.invalid('world', `breaks the ledger invariants: ${breaches.slice(0, 3).join('; ')}`);
    const world = upgradeWorld(JSON.parse(JSON.stringify(f.world)) as World);
    world.incarnation = randomHex(12);
    const id = options.id ?? `${slug(options.name ?? world.name)}-${randomHex(3)}`;
    assertSafeName('id', id);
    return this.locks.run(id, async () => {
      if (this.cache.has(id) || (await this.store.head(id).catch(damagedConflict)) !== undefined)
        throw reject.conflict(`client ${id} already exists`, { field: 'id' });
      world.id = id;
      if (options.name) world.name = options.name;
      for (const integration of world.integrations) Object.assign(integration, newKeys());
      await this.createStored(world);
      return world;
    });
  }

  /** Clean shutdown: a checkpoint for every client with records since its last one, so the next start replays nothing. */
  async close(): Promise<void> {
    if (this.idleTimer) clearInterval(this.idleTimer);
    for (const [id, loaded] of this.cache) await this.locks.run(id, () => this.startCheckpoint(loaded));
    await Promise.all([...this.checkpoints]);
    await this.store.close();
  }
}

/** A new client on the id of a damaged one would overwrite its files: refuse as a conflict, naming them. */
function damagedConflict(e: unknown): never {
  if (e instanceof StoreDamaged)
    throw reject.conflict(`client ${e.clientId} already exists, set aside as damaged: ${e.source} (${e.reason}); nothing was deleted`, {
      field: 'id',
    });
  throw e;
}

/** Apply one log record to a world (load and catch-up). */
export function replayRecord(world: World, record: CommandRecord): void {
  if (record.command !== '$change') throw new Error(`log record ${record.seq} has an unknown command '${record.command}'`);
  applyChange(world, record.input as WorldChange);
}
