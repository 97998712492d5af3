/** A throw-away PostgreSQL database for one bench part (created, handed over, dropped with FORCE); skipped without a server. */
import pg from 'pg';

export const PG_URL = process.env.SANDBOX_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    console.log(`postgres: skipped, no server answers at ${new URL(PG_URL).host}`);
    return undefined;
  }
  const name = `inkasso_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    return await work(u.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
