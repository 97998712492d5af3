/**
 * Worlds in PostgreSQL, shared by several sandbox processes: a client is a row (its checkpoint as JSON text, or the
 * name of the snapshot row it was restored from; its head seq, its summary) plus its records after the checkpoint;
 * credentials, snapshots and the token secret are tables too, so every process serves every client. A write takes
 * the client's row lock (SELECT ... FOR UPDATE), so writes to one client are serialised across processes; it
 * commits before it is acknowledged. Each process checks a cached world against the row's head before it answers
 * (the engine does), so another process's write is seen at once. Migrations are numbered and run at start under an
 * advisory lock. A lost connection surfaces as StoreUnavailable (503 with Retry-After); the pool reconnects when the server is back.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { World } from '../domain/model.js';
import { assertWorld } from './world-validation.js';
import { copyWorld, privateWorldCopy } from './world-copy.js';
import { StoreConflict, StoreMissing, StoreUnavailable } from './store.js';
import type { ClientListing, CommandRecord, StoredWorld, WorldStore, WriteTx } from './store.js';
import { assertSafeName, isSafeName, snapshotInfo, summaryOf, type ClientSummary, type SnapshotInfo } from './world-store.js';

/** Numbered migrations; a database newer than this list is refused at start. */
export const MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'clients, records, credentials, snapshots, settings',
    sql: `
      CREATE TABLE sandbox_clients (
        id text PRIMARY KEY,
        summary jsonb NOT NULL,
        head bigint NOT NULL,
        checkpoint_seq bigint NOT NULL,
        checkpoint text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE sandbox_records (
        client_id text NOT NULL REFERENCES sandbox_clients(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        record text NOT NULL,
        PRIMARY KEY (client_id, seq)
      );
      CREATE TABLE sandbox_credentials (
        client_key text PRIMARY KEY,
        client_id text NOT NULL REFERENCES sandbox_clients(id) ON DELETE CASCADE,
        integration_id text NOT NULL
      );
      CREATE INDEX sandbox_credentials_client ON sandbox_credentials (client_id);
      CREATE TABLE sandbox_snapshots (
        client_id text NOT NULL REFERENCES sandbox_clients(id) ON DELETE CASCADE,
        name text NOT NULL,
        info jsonb NOT NULL,
        world text NOT NULL,
        PRIMARY KEY (client_id, name)
      );
      CREATE TABLE sandbox_settings (key text PRIMARY KEY, value text NOT NULL);`,
  },
  {
    version: 2,
    name: 'a checkpoint may name the snapshot it was restored from',
    // The row's checkpoint text is then empty and the snapshot row's world is the checkpoint (see replace).
    sql: `ALTER TABLE sandbox_clients ADD COLUMN checkpoint_snapshot text;`,
  },
];

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

function isConnectionError(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return Boolean(
    (err.code && CONNECTION_CODES.has(err.code)) ||
    /Connection terminated|connection timeout|Connection ended|not queryable|Client has encountered a connection error/i.test(
      err.message ?? '',
    ),
  );
}

/** The URL without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an unparseable URL';
  }
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return url;
  }
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new Error(`schema name ${JSON.stringify(name)} must be lower-case letters, digits and _`);
  return `"${name}"`;
}

export interface PgStoreOptions {
  /** Keep the tables in this schema (created if missing); default the connection's search_path (public). */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

export class PgStore implements WorldStore {
  readonly kind = 'postgres';
  readonly shared = true;
  readonly location: string;
  private readonly host: string;
  private tokenSecret: string | undefined;
  /**
   * Snapshots this process saved or loaded, with the row version they were read at (the row's xmin, which every
   * update of it changes, in any process): a restore of an unchanged row neither fetches nor parses the world, and
   * the checkpoint then names that row (see replace).
   */
  private readonly snapshotCache = new Map<string, { version: string; world: World }>();

  private constructor(
    private readonly pool: pg.Pool,
    url: string,
  ) {
    this.location = describeUrl(url);
    this.host = hostOf(url);
  }

  /** Connect, migrate, and answer; an unreachable or wrong database fails here with one line naming the host. */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    if (!/^postgres(ql)?:\/\//.test(url))
      throw new Error(
        `--database-url must be a postgres:// URL, not ` +
          JSON.stringify(describeUrl(url) === 'an unparseable URL' ? url.replace(/:[^:@/]*@/, ':***@') : describeUrl(url)),
      );
    const schema = options.schema ? quoteIdent(options.schema) : undefined;
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 10_000,
    });
    // An idle connection dropped by the server must not crash the process; the next query gets a new one.
    pool.on('error', () => undefined);
    if (schema) pool.on('connect', (client) => void client.query(`SET search_path TO ${schema}`).catch(() => undefined));
    const store = new PgStore(pool, url);
    try {
      const client = await pool.connect();
      try {
        if (schema) {
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
          await client.query(`SET search_path TO ${schema}`);
        }
        await store.migrate(client);
      } finally {
        client.release();
      }
    } catch (e) {
      await pool.end().catch(() => undefined);
      const err = e as { code?: string; message?: string };
      const why = (err.message || err.code || String(e)).split('\n')[0] ?? '';
      throw new Error(`cannot use PostgreSQL at ${store.host}: ${why}${err.code && !why.includes(err.code) ? ` (${err.code})` : ''}`);
    }
    return store;
  }

  private async migrate(client: pg.PoolClient): Promise<void> {
    await client.query('BEGIN');
    try {
      // One process migrates at a time; the others wait here and then find nothing left to do.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('inkasso-sandbox:migrations'))`);
      await client.query(
        'CREATE TABLE IF NOT EXISTS sandbox_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL ' +
          'DEFAULT now())',
      );
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM sandbox_migrations');
      const current = rows[0]?.v ?? 0;
      const newest = MIGRATIONS.at(-1)!.version;
      if (current > newest)
        throw new Error(`the database schema is at version ${current}, newer than this sandbox knows (${newest}): upgrade the sandbox`);
      for (const m of MIGRATIONS.filter((x) => x.version > current)) {
        await client.query(m.sql);
        await client.query('INSERT INTO sandbox_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /** Run a query; a lost connection becomes StoreUnavailable. */
  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isConnectionError(e)) throw new StoreUnavailable(`PostgreSQL at ${this.host} is unreachable (${(e as Error).message})`, 1);
      throw e;
    }
  }

  private q<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], on: Queryable = this.pool): Promise<pg.QueryResult<R>> {
    return this.run(() => on.query<R>(sql, params));
  }

  async list(): Promise<ClientListing> {
    const { rows } = await this.q<{ summary: ClientSummary }>('SELECT summary FROM sandbox_clients ORDER BY id');
    return { clients: rows.map((r) => r.summary), damaged: [] };
  }

  async load(id: string): Promise<StoredWorld | undefined> {
    if (!isSafeName(id)) return undefined;
    // One statement, one snapshot: a checkpoint landing meanwhile cannot leave a gap between checkpoint and records.
    const { rows } = await this.q<{ checkpoint: string; checkpoint_seq: string; records: string[] | null }>(
      `SELECT CASE WHEN c.checkpoint_snapshot IS NULL THEN c.checkpoint
                   ELSE (SELECT s.world FROM sandbox_snapshots s WHERE s.client_id = c.id AND s.name = c.checkpoint_snapshot)
              END AS checkpoint, c.checkpoint_seq,
              (SELECT array_agg(r.record ORDER BY r.seq) FROM sandbox_records r
                WHERE r.client_id = c.id AND r.seq > c.checkpoint_seq) AS records
         FROM sandbox_clients c WHERE c.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    const world = assertWorld(JSON.parse(row.checkpoint), `sandbox_clients row ${id}`);
    return { world, seq: Number(row.checkpoint_seq), records: (row.records ?? []).map((r) => JSON.parse(r) as CommandRecord) };
  }

  async head(id: string): Promise<number | undefined> {
    if (!isSafeName(id)) return undefined;
    const { rows } = await this.q<{ head: string }>('SELECT head FROM sandbox_clients WHERE id = $1', [id]);
    return rows[0] ? Number(rows[0].head) : undefined;
  }

  async recordsAfter(id: string, seq: number): Promise<CommandRecord[] | undefined> {
    return this.recordsAfterOn(this.pool, id, seq);
  }

  private async recordsAfterOn(on: Queryable, id: string, seq: number): Promise<CommandRecord[] | undefined> {
    const { rows } = await this.q<{ checkpoint_seq: string; records: string[] | null }>(
      `SELECT c.checkpoint_seq,
              (SELECT array_agg(r.record ORDER BY r.seq) FROM sandbox_records r WHERE r.client_id = c.id AND r.seq > $2) AS records
         FROM sandbox_clients c WHERE c.id = $1`,
      [id, seq],
      on,
    );
    const row = rows[0];
    if (!row || seq < Number(row.checkpoint_seq)) return undefined;
    return (row.records ?? []).map((r) => JSON.parse(r) as CommandRecord);
  }

  async findCredential(clientKey: string) {
    const { rows } = await this.q<{ client_id: string; integration_id: string }>(
      'SELECT client_id, integration_id FROM sandbox_credentials WHERE client_key = $1',
      [clientKey],
    );
    return rows[0] ? { clientId: rows[0].client_id, integrationId: rows[0].integration_id } : undefined;
  }

  private async setCredentials(on: Queryable, summary: ClientSummary): Promise<void> {
    await this.q('DELETE FROM sandbox_credentials WHERE client_id = $1', [summary.id], on);
    for (const c of summary.credentials)
      await this.q(
        'INSERT INTO sandbox_credentials (client_key, client_id, integration_id) VALUES ($1, $2, $3)',
        [c.clientKey, summary.id, c.integrationId],
        on,
      );
  }

  /** A transaction on one pooled connection. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.run(() => this.pool.connect());
    let broken = false;
    // A connection that dies while checked out emits 'error' on the client: without a listener that would end the process.
    const lost = () => (broken = true);
    client.on('error', lost);
    try {
      await this.q('BEGIN', [], client);
      const result = await work(client);
      await this.q('COMMIT', [], client);
      return result;
    } catch (e) {
      broken = e instanceof StoreUnavailable;
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw e;
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  async create(world: World): Promise<void> {
    assertSafeName(world.id, 'client');
    const summary = summaryOf(world);
    await this.transaction(async (client) => {
      const res = await this.q(
        'INSERT INTO sandbox_clients (id, summary, head, checkpoint_seq, checkpoint) VALUES ($1, $2, 0, 0, $3) ON CONFLICT (id) DO ' +
          'NOTHING',
        [world.id, JSON.stringify(summary), JSON.stringify(world)],
        client,
      );
      if (res.rowCount === 0) throw new StoreConflict(world.id);
      await this.setCredentials(client, summary);
    });
  }

  write<T>(id: string, work: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.transaction(async (client) => {
      // The row lock serialises writers to this client across every process on the database.
      const { rows } = await this.q<{ head: string }>('SELECT head FROM sandbox_clients WHERE id = $1 FOR UPDATE', [id], client);
      if (!rows[0]) throw new StoreMissing(id);
      let head = Number(rows[0].head);
      const tx: WriteTx = {
        get head() {
          return head;
        },
        recordsAfter: async (seq) => (await this.recordsAfterOn(client, id, seq)) ?? [],
        append: async (record, summary) => {
          if (record.seq !== head + 1) throw new Error(`internal: record ${record.seq} does not follow ${head}`);
          await this.q(
            'INSERT INTO sandbox_records (client_id, seq, record) VALUES ($1, $2, $3)',
            [id, record.seq, JSON.stringify(record)],
            client,
          );
          if (summary) {
            await this.q(
              'UPDATE sandbox_clients SET head = $2, summary = $3, updated_at = now() WHERE id = $1',
              [id, record.seq, JSON.stringify(summary)],
              client,
            );
            await this.setCredentials(client, summary);
          } else await this.q('UPDATE sandbox_clients SET head = $2, updated_at = now() WHERE id = $1', [id, record.seq], client);
          head = record.seq;
        },
        replace: async (world, seq, from) => {
          const summary = summaryOf(world);
          const summaryText = JSON.stringify(summary);
          await this.q('DELETE FROM sandbox_records WHERE client_id = $1', [id], client);
          const cached = from && this.snapshotCache.get(`${id}/${from.snapshot}`);
          const named = cached !== undefined && (await this.nameSnapshotRow(client, id, seq, summaryText, from!.snapshot, cached.version));
          if (!named)
            await this.q(
              `UPDATE sandbox_clients SET head = $2, checkpoint_seq = $2, checkpoint = $3, checkpoint_snapshot = NULL, summary = $4,
                      updated_at = now() WHERE id = $1`,
              [id, seq, JSON.stringify(world), summaryText],
              client,
            );
          await this.setCredentials(client, summary);
          head = seq;
        },
      };
      return work(tx);
    });
  }

  /**
   * A restore of a snapshot unchanged since this process read it (its row still at `version`): the checkpoint names
   * the snapshot's row instead of holding a copy, as the file store hard-links the snapshot's file. Saving over or
   * deleting that snapshot first copies it into the checkpoint (releaseSnapshot). False when the row has changed.
   */
  private async nameSnapshotRow(
    client: pg.PoolClient,
    id: string,
    seq: number,
    summaryText: string,
    snapshot: string,
    version: string,
  ): Promise<boolean> {
    const res = await this.q(
      `UPDATE sandbox_clients c SET head = $2, checkpoint_seq = $2, checkpoint = '', checkpoint_snapshot = $4, summary = $3,
              updated_at = now()
        WHERE c.id = $1 AND EXISTS (SELECT 1 FROM sandbox_snapshots s WHERE s.client_id = $1 AND s.name = $4 AND s.xmin::text = $5)`,
      [id, seq, summaryText, snapshot, version],
      client,
    );
    return res.rowCount === 1;
  }

  async checkpoint(id: string, world: World, seq: number): Promise<void> {
    const text = JSON.stringify(world);
    await this.transaction(async (client) => {
      const res = await this.q(
        'UPDATE sandbox_clients SET checkpoint = $3, checkpoint_seq = $2, checkpoint_snapshot = NULL ' +
          'WHERE id = $1 AND checkpoint_seq < $2 AND head >= $2',
        [id, seq, text],
        client,
      );
      if (res.rowCount) await this.q('DELETE FROM sandbox_records WHERE client_id = $1 AND seq <= $2', [id, seq], client);
    });
  }

  async delete(id: string): Promise<boolean> {
    if (!isSafeName(id)) return false;
    for (const key of this.snapshotCache.keys()) if (key.startsWith(`${id}/`)) this.snapshotCache.delete(key);
    const res = await this.q('DELETE FROM sandbox_clients WHERE id = $1', [id]);
    return (res.rowCount ?? 0) > 0;
  }

  async saveSnapshot(world: World, name: string, savedAt: string): Promise<SnapshotInfo> {
    assertSafeName(world.id, 'client');
    const info = snapshotInfo(world, assertSafeName(name, 'snapshot'), savedAt);
    const key = `${world.id}/${name}`;
    this.snapshotCache.delete(key);
    const rows = await this.transaction(async (client) => {
      if (!(await this.releaseSnapshot(client, world.id, name))) return [];
      const saved = await this.q<{ version: string }>(
        `INSERT INTO sandbox_snapshots (client_id, name, info, world) VALUES ($1, $2, $3, $4)
           ON CONFLICT (client_id, name) DO UPDATE SET info = EXCLUDED.info, world = EXCLUDED.world
         RETURNING xmin::text AS version`,
        [world.id, name, JSON.stringify(info), JSON.stringify(world)],
        client,
      );
      return saved.rows;
    });
    // Kept only once the row holds it; a copy, since whoever holds `world` goes on changing it.
    if (rows[0]) this.snapshotCache.set(key, { version: rows[0].version, world: privateWorldCopy(world) });
    return info;
  }

  async loadSnapshot(clientId: string, name: string): Promise<World | undefined> {
    if (!isSafeName(clientId) || !isSafeName(name)) return undefined;
    const key = `${clientId}/${name}`;
    const cached = this.snapshotCache.get(key);
    if (cached) {
      const { rows } = await this.q<{ version: string }>(
        'SELECT xmin::text AS version FROM sandbox_snapshots WHERE client_id = $1 AND name = $2',
        [clientId, name],
      );
      if (rows[0]?.version === cached.version) return copyWorld(cached.world);
      this.snapshotCache.delete(key);
      if (!rows[0]) return undefined;
    }
    const { rows } = await this.q<{ world: string; version: string }>(
      'SELECT world, xmin::text AS version FROM sandbox_snapshots WHERE client_id = $1 AND name = $2',
      [clientId, name],
    );
    if (!rows[0]) return undefined;
    const world = assertWorld(JSON.parse(rows[0].world), `sandbox_snapshots ${clientId}/${name}`);
    this.snapshotCache.set(key, { version: rows[0].version, world });
    return copyWorld(world);
  }

  async listSnapshots(clientId: string): Promise<SnapshotInfo[]> {
    const { rows } = await this.q<{ info: SnapshotInfo }>('SELECT info FROM sandbox_snapshots WHERE client_id = $1 ORDER BY name', [
      clientId,
    ]);
    return rows.map((r) => r.info);
  }

  async deleteSnapshot(clientId: string, name: string): Promise<boolean> {
    this.snapshotCache.delete(`${clientId}/${name}`);
    return this.transaction(async (client) => {
      if (!(await this.releaseSnapshot(client, clientId, name))) return false;
      const res = await this.q('DELETE FROM sandbox_snapshots WHERE client_id = $1 AND name = $2', [clientId, name], client);
      return (res.rowCount ?? 0) > 0;
    });
  }

  /**
   * Before a snapshot is saved over or deleted: take the client's row lock (a restore naming it waits, or has
   * committed), and if the client's checkpoint is that snapshot's row, copy the row's world into the checkpoint.
   * False when the client does not exist.
   */
  private async releaseSnapshot(client: pg.PoolClient, clientId: string, name: string): Promise<boolean> {
    const { rows } = await this.q<{ checkpoint_snapshot: string | null }>(
      'SELECT checkpoint_snapshot FROM sandbox_clients WHERE id = $1 FOR UPDATE',
      [clientId],
      client,
    );
    if (!rows[0]) return false;
    if (rows[0].checkpoint_snapshot === name)
      await this.q(
        `UPDATE sandbox_clients c SET checkpoint = s.world, checkpoint_snapshot = NULL
           FROM sandbox_snapshots s WHERE c.id = $1 AND s.client_id = $1 AND s.name = $2`,
        [clientId, name],
        client,
      );
    return true;
  }

  /** Made by whichever process asks first; every other process reads the same one. */
  async secret(): Promise<string> {
    if (this.tokenSecret) return this.tokenSecret;
    await this.q("INSERT INTO sandbox_settings (key, value) VALUES ('token-secret', $1) ON CONFLICT (key) DO NOTHING", [
      randomBytes(32).toString('hex'),
    ]);
    const { rows } = await this.q<{ value: string }>("SELECT value FROM sandbox_settings WHERE key = 'token-secret'");
    this.tokenSecret = rows[0]!.value;
    return this.tokenSecret;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
