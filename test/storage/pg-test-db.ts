/**
 * A PostgreSQL database of its own for a test file: created on first use, dropped (WITH FORCE) at the end.
 * The server is the project's (127.0.0.1:5432, user postgres, trust) or SANDBOX_TEST_PG_URL. Where none answers,
 * the PostgreSQL tests are skipped with one line saying so.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export const PG_ADMIN_URL = process.env.SANDBOX_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function answers(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (e) {
    return (e as Error).message || (e as { code?: string }).code || String(e);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await answers();
/** True when a PostgreSQL server answers; the PostgreSQL tests run only then. */
export const PG_AVAILABLE = problem === undefined;
if (!PG_AVAILABLE)
  console.log(`PostgreSQL tests skipped: no server answers at ${new URL(PG_ADMIN_URL).host} (${problem}); start one (README, "Shared team sandbox") or set SANDBOX_TEST_PG_URL`);

/** The URL of `db` on the admin URL's server. */
function urlFor(db: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database named for this run (inkasso_test_<pid>_<random>). */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `inkasso_test_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: urlFor(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
