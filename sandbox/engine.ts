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
import { addIntegration, type IntegrationKeys } from './domain/commands/integrations.js';
import { updateSettings, type SettingsChange } from './domain/commands/settings.js';
import { runDueRules, advanceClock, type AdvanceResult } from './clock/advance.js';
import { advanceTarget, parseMoment, DAY_START_HOUR, type AdvanceRequest } from './clock/targets.js';
import { fromMillis, localDate, localTimeToMs, toMillis } from './domain/time.js';
import { KeyedMutex } from './storage/lock.js';
import { isSafeName, summaryOf, type SnapshotInfo, type WorldStore } from './storage/world-store.js';
import { worldProblem } from './storage/world-validation.js';
import { DEFAULT_TIME_ZONE, upgradeWorld } from './domain/world.js';
import type { Integration } from './domain/model.js';

export interface EngineOptions {
  store: WorldStore;
  /** After every write: check the ledger invariants, and that a rejected command changed nothing. For tests. */
  strict?: boolean;
  /** Real time: only for defaults (a new client's start date) and wall-clock stamps, never for rules. */
  wallClock?: () => number;
}

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
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'client';
}

async function sha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class Engine {
  readonly store: WorldStore;
  readonly strict: boolean;
  private readonly wallClock: () => number;
  private readonly cache = new Map<string, World>();
  private readonly locks = new KeyedMutex();
  private readonly credentials = new Map<string, CredentialRef>();
  private readonly revisions = new Map<string, number>();

  private constructor(options: EngineOptions) {
    this.store = options.store;
    this.strict = options.strict ?? false;
    this.wallClock = options.wallClock ?? Date.now;
  }

  static async create(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    for (const summary of await engine.store.list())
      for (const c of summary.credentials) engine.credentials.set(c.clientKey, { clientId: summary.id, integrationId: c.integrationId });
    return engine;
  }

  wallNow(): string {
    return fromMillis(this.wallClock());
  }

  // ---- clients -------------------------------------------------------------------------------------------

  async createClient(input: NewClient): Promise<World> {
    const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
    const id = input.id ?? `${slug(input.name ?? 'client')}-${randomHex(3)}`;
    if (!isSafeName(id)) throw reject.invalid('id', 'may hold letters, digits, ".", "_" and "-" (1-64, starting with a letter or digit)');
    return this.locks.run(id, async () => {
      if (this.cache.has(id) || (await this.store.load(id))) throw reject.conflict(`client ${id} already exists`, { field: 'id' });
      const now = input.startDate
        ? parseMoment(input.startDate, timeZone, 'startDate')
        : fromMillis(localTimeToMs(localDate(fromMillis(this.wallClock()), timeZone), DAY_START_HOUR, 0, timeZone));
      const world = createWorld({ id, name: input.name ?? id, now, timeZone, incarnation: randomHex(12) });
      const ctx = contextFor(world, ACTORS.sandbox);
      const integrations = input.integrations ?? [{ name: 'Demo inkassobyrå', kind: 'debtCollection' as const, canCreateNewCases: true }];
      for (const [i, spec] of integrations.entries()) {
        const keys = this.keysFor(spec, `integrations[${i}]`);
        addIntegration(ctx, { name: spec.name, kind: spec.kind ?? 'debtCollection', keys, ...(spec.canCreateNewCases !== undefined ? { canCreateNewCases: spec.canCreateNewCases } : {}), ...(spec.rights ? { rights: spec.rights } : {}) });
      }
      if (input.settings) updateSettings(ctx, input.settings);
      input.setup?.(ctx);
      runDueRules(ctx, toMillis(world.clock.now));
      if (this.strict) {
        const breaches = invariantBreaches(world);
        if (breaches.length) throw new Error(`internal: ledger invariants broken: ${breaches.join('; ')}`);
      }
      await this.commit(world);
      return world;
    });
  }

  /** Keys for a new integration: those asked for (an agency reusing its real keys) or fresh ones. */
  keysFor(spec: Partial<IntegrationKeys>, field: string): IntegrationKeys {
    const keys = { ...newKeys(), ...Object.fromEntries(Object.entries(spec).filter(([k, v]) => ['applicationKey', 'clientKey', 'subscriptionKey'].includes(k) && v)) } as IntegrationKeys;
    if (this.credentials.has(keys.clientKey)) throw reject.conflict(`client key ${keys.clientKey} is already in use`, { field: `${field}.clientKey` });
    return keys;
  }

  async listClients() {
    return this.store.list();
  }

  async deleteClient(id: string): Promise<void> {
    await this.locks.run(id, async () => {
      if (!(await this.store.delete(id))) throw reject.notFound('client', id, 'clientId');
      this.cache.delete(id);
      this.bump(id);
      for (const [key, ref] of this.credentials) if (ref.clientId === id) this.credentials.delete(key);
    });
  }

  /**
   * A number that changes whenever a client's world may have changed (bumped before any write touches it):
   * a view computed after reading revision r is never newer-keyed than its data, so views can be cached by it.
   */
  revision(clientId: string): number {
    return this.revisions.get(clientId) ?? 0;
  }

  private bump(clientId: string): void {
    this.revisions.set(clientId, this.revision(clientId) + 1);
  }

  findCredential(clientKey: string): CredentialRef | undefined {
    return this.credentials.get(clientKey);
  }

  private async world(id: string): Promise<World> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const loaded = await this.store.load(id);
    if (!loaded) throw reject.notFound('client', id, 'clientId');
    this.cache.set(id, loaded);
    return loaded;
  }

  private async commit(world: World): Promise<void> {
    this.bump(world.id);
    await this.store.save(world);
    this.cache.set(world.id, world);
    this.bump(world.id);
    for (const [key, ref] of this.credentials) if (ref.clientId === world.id) this.credentials.delete(key);
    for (const c of summaryOf(world).credentials) this.credentials.set(c.clientKey, { clientId: world.id, integrationId: c.integrationId });
  }

  // ---- reading and writing a world -----------------------------------------------------------------------

  /** Run a query against a client's world. The function must not change it. */
  async read<T>(clientId: string, query: (world: World) => T): Promise<T> {
    return query(await this.world(clientId));
  }

  /** Run a command against a client's world, then every rule due by its clock, then persist. */
  async write<T>(clientId: string, actor: Actor, command: (ctx: CommandContext) => T): Promise<WriteResult<T>> {
    return this.locks.run(clientId, async () => {
      const world = await this.world(clientId);
      this.bump(clientId);
      const before = this.strict ? JSON.stringify(world) : undefined;
      const ctx = contextFor(world, actor);
      let result: T;
      try {
        result = command(ctx);
        runDueRules(ctx, toMillis(world.clock.now));
      } catch (e) {
        const changed = before !== undefined && JSON.stringify(world) !== before;
        if (!isRejection(e) || changed) {
          // The command broke half-way: forget the changed world; the store still has the last good one.
          this.cache.delete(clientId);
          this.bump(clientId);
          if (before !== undefined) await this.store.save(JSON.parse(before) as World);
        }
        if (isRejection(e) && changed) throw new Error(`internal: a rejected command changed the world (${e.message})`);
        throw e;
      }
      if (this.strict) {
        const breaches = invariantBreaches(world);
        if (breaches.length) {
          this.cache.delete(clientId);
          this.bump(clientId);
          await this.store.save(JSON.parse(before!) as World);
          throw new Error(`internal: ledger invariants broken: ${breaches.join('; ')}`);
        }
      }
      await this.commit(world);
      return { result, events: ctx.emitted };
    });
  }

  async advance(clientId: string, actor: Actor, request: AdvanceRequest): Promise<AdvanceResult> {
    const { result } = await this.write(clientId, actor, (ctx) => advanceClock(ctx, advanceTarget(ctx.world.clock.now, ctx.world.timeZone, request), request.to !== undefined ? 'to' : 'days'));
    return result;
  }

  // ---- snapshots, export, import -------------------------------------------------------------------------

  async saveSnapshot(clientId: string, name: string): Promise<SnapshotInfo> {
    if (!isSafeName(name)) throw reject.invalid('name', 'may hold letters, digits, ".", "_" and "-" (1-64, starting with a letter or digit)');
    return this.locks.run(clientId, async () => this.store.saveSnapshot(await this.world(clientId), name, this.wallNow()));
  }

  /** Rewind (or jump) a whole world to a snapshot: the only way time goes back. */
  async restoreSnapshot(clientId: string, name: string): Promise<World> {
    return this.locks.run(clientId, async () => {
      await this.world(clientId);
      const snapshot = await this.store.loadSnapshot(clientId, name);
      if (!snapshot) throw reject.notFound('snapshot', name, 'name');
      await this.commit(snapshot);
      return snapshot;
    });
  }

  async listSnapshots(clientId: string): Promise<SnapshotInfo[]> {
    await this.world(clientId);
    return this.store.listSnapshots(clientId);
  }

  async deleteSnapshot(clientId: string, name: string): Promise<void> {
    await this.world(clientId);
    if (!(await this.locks.run(clientId, () => this.store.deleteSnapshot(clientId, name)))) throw reject.notFound('snapshot', name, 'name');
  }

  async exportWorld(clientId: string): Promise<WorldExport> {
    return this.locks.run(clientId, async () => {
      const world = await this.world(clientId);
      const text = JSON.stringify(world);
      return { format: 'inkasso-sandbox.world', formatVersion: 1, exportedAt: this.wallNow(), checksum: await sha256(text), world: JSON.parse(text) as World };
    });
  }

  /** Import an exported world as a new client; integrations get fresh keys. A bad file leaves nothing behind. */
  async importWorld(file: unknown, options: { id?: string; name?: string } = {}): Promise<World> {
    const f = file as Partial<WorldExport> | null;
    if (!f || typeof f !== 'object' || f.format !== 'inkasso-sandbox.world') throw reject.invalid('format', "must be 'inkasso-sandbox.world' (a file from GET …/export)");
    if (f.formatVersion !== 1) throw reject.invalid('formatVersion', `${String(f.formatVersion)} is not supported (expected 1)`);
    if (typeof f.checksum !== 'string') throw reject.invalid('checksum', 'is missing');
    // Checked as upgraded (settings added since the export get defaults); the checksum covers the file as sent.
    const problem = worldProblem(upgradeWorld(structuredClone(f.world)));
    if (problem) throw reject.invalid(`world${problem.startsWith('/') ? problem.split(' ')[0]!.replaceAll('/', '.') : ''}`, `is not a valid world: ${problem}`);
    if ((await sha256(JSON.stringify(f.world))) !== f.checksum) throw reject.invalid('checksum', 'does not match the world: the export was edited or damaged');
    const breaches = invariantBreaches(f.world!);
    if (breaches.length) throw reject.invalid('world', `breaks the ledger invariants: ${breaches.slice(0, 3).join('; ')}`);
    const world = upgradeWorld(JSON.parse(JSON.stringify(f.world)) as World);
    world.incarnation = randomHex(12);
    const id = options.id ?? `${slug(options.name ?? world.name)}-${randomHex(3)}`;
    if (!isSafeName(id)) throw reject.invalid('id', 'may hold letters, digits, ".", "_" and "-" (1-64, starting with a letter or digit)');
    return this.locks.run(id, async () => {
      if (this.cache.has(id) || (await this.store.load(id))) throw reject.conflict(`client ${id} already exists`, { field: 'id' });
      world.id = id;
      if (options.name) world.name = options.name;
      for (const integration of world.integrations) Object.assign(integration, newKeys());
      await this.commit(world);
      return world;
    });
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
