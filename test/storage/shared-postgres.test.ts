/**
 * A shared team sandbox: two real CLI processes on real ports over one PostgreSQL database (created for this run,
 * dropped after). A client made on one is served by the other (its keys open a token there, and a token from one
 * works on the other); 40 concurrent payments on one invoice spread over both all post and leave the open amount
 * exact; a SIGKILL of one process mid-burst loses nothing acknowledged; a database that goes away mid-run
 * (through a TCP proxy the test cuts) answers 503 with Retry-After and recovers when it is back; a bad URL stops
 * start-up with one line naming the host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, basicAuth } from '../robustness/http-client.js';
import { killAllChildren, startChild, ROOT, type ChildServer } from '../robustness/child-server.js';
import { ADDRESS, expectStatus, fetchToken } from '../robustness/fixture.js';
import { PG_ADMIN_URL, PG_AVAILABLE, createTestDatabase, type TestDatabase } from './pg-test-db.js';

let db: TestDatabase | undefined;
let dataDir: string;
const clients: HttpClient[] = [];

function http(server: ChildServer): HttpClient {
  const c = new HttpClient('127.0.0.1', server.port, 48);
  clients.push(c);
  return c;
}

const start = (url = db!.url) => startChild(dataDir, ['--database-url', url], 300_000);

async function newClient(c: HttpClient, name: string) {
  return expectStatus(c.json('POST', '/_sandbox/clients', { name, startDate: '2026-01-05' }), 201, 'createClient');
}

async function newInvoice(c: HttpClient, clientId: string, amount: number) {
  const base = `/_sandbox/clients/${clientId}`;
  const customer = await expectStatus(c.json('POST', `${base}/customers`, { name: `Kunde ${amount}`, mailAddress: ADDRESS }), 201, 'customer');
  return expectStatus(c.json('POST', `${base}/invoices`, { customerId: customer.id, amount, invoiceDate: '2026-01-05', dueDate: '2026-01-19' }), 201, 'invoice');
}

async function invoiceOn(c: HttpClient, clientId: string, invoiceId: string) {
  return expectStatus(c.request({ method: 'GET', path: `/_sandbox/clients/${clientId}/invoices/${invoiceId}` }), 200, 'invoice');
}

async function vouchersOn(c: HttpClient, clientId: string): Promise<any[]> {
  return (await expectStatus(c.request({ method: 'GET', path: `/_sandbox/clients/${clientId}/vouchers` }), 200, 'vouchers')).vouchers;
}

async function ledgerOk(c: HttpClient, clientId: string): Promise<void> {
  const check = await expectStatus(c.request({ method: 'GET', path: `/_sandbox/clients/${clientId}/ledger/check` }), 200, 'ledger check');
  expect(check, JSON.stringify(check)).toMatchObject({ ok: true, breaches: [] });
}

/** A TCP proxy to the database that the test can cut and restore (the real server keeps running for everyone else). */
class CuttableProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = net.createServer((inbound) => {
      const outbound = net.connect(this.target.port, this.target.host);
      for (const s of [inbound, outbound]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((ok) => this.server!.listen(this.port, '127.0.0.1', () => ok()));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  /** The database is gone: no new connections, and every open one dies. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((ok) => this.server?.close(() => ok()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

beforeAll(async () => {
  if (!PG_AVAILABLE) return;
  db = await createTestDatabase('shared');
  dataDir = await mkdtemp(join(tmpdir(), 'inkasso-shared-'));
});

afterAll(async () => {
  for (const c of clients) c.close();
  await killAllChildren();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe.skipIf(!PG_AVAILABLE)('two sandbox processes on one PostgreSQL database', () => {
  let a: ChildServer;
  let b: ChildServer;
  let ha: HttpClient;
  let hb: HttpClient;

  beforeAll(async () => {
    [a, b] = await Promise.all([start(), start()]);
    ha = http(a);
    hb = http(b);
    expect(a.line).toContain(`data in postgres://`);
  });

  it('a client created on one is served by the other: reads, writes both ways, its keys and tokens', async () => {
    const client = await newClient(ha, 'Delt AS');
    const onB = await expectStatus(hb.request({ method: 'GET', path: `/_sandbox/clients/${client.id}` }), 200, 'the client on B');
    expect(onB.name).toBe('Delt AS');
    const listed = await expectStatus(hb.request({ method: 'GET', path: '/_sandbox/clients' }), 200, 'clients on B');
    expect(JSON.stringify(listed)).toContain(client.id);

    // B writes, A reads it at once (its cached world is checked against the database's head).
    const customer = await expectStatus(hb.json('POST', `/_sandbox/clients/${client.id}/customers`, { name: 'Ola fra B', mailAddress: ADDRESS }), 201, 'customer on B');
    const seenOnA = await expectStatus(ha.request({ method: 'GET', path: `/_sandbox/clients/${client.id}/customers` }), 200, 'customers on A');
    expect(seenOnA.customers.map((c: any) => c.id)).toContain(customer.id);

    // Keys made on A open a token on B; a token from B is good on A (one secret for both).
    const integration = client.integrations[0];
    const token = await fetchToken(hb, integration, 'v2');
    const headers = { authorization: `Bearer ${token}`, 'ocp-apim-subscription-key': integration.subscriptionKey };
    const v2 = await expectStatus(ha.request({ method: 'GET', path: '/v2/Customers', headers }), 200, 'v2 customers on A with a token from B');
    expect(v2.map((c: any) => c.Id)).toContain(customer.id);
  });

  it('40 concurrent payments on one invoice, spread over both, all post and leave the open amount exact', async () => {
    const client = await newClient(ha, 'Betaling AS');
    const invoice = await newInvoice(ha, client.id, 1000);
    const N = 40;
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        (i % 2 ? hb : ha).json('POST', `/_sandbox/clients/${client.id}/payments`, { invoiceId: invoice.id, amount: 10, externalImportReference: `pay-${i}` }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(N).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(N);
    for (const h of [ha, hb]) {
      expect((await invoiceOn(h, client.id, invoice.id)).openAmount).toBe(1000 - 10 * N);
      const payments = (await vouchersOn(h, client.id)).filter((v) => String(v.externalImportReference).startsWith('pay-'));
      expect(payments).toHaveLength(N);
      await ledgerOk(h, client.id);
    }
  });

  it('SIGKILL of one process mid-burst loses nothing acknowledged; the survivor and a restarted process agree', async () => {
    const client = await newClient(ha, 'Krasj Delt AS');
    const invoice = await newInvoice(ha, client.id, 5000);
    type Sent = { ref: string; outcome: 'acked' | 'refused' | 'unknown'; via: 'a' | 'b' };
    const sent: Sent[] = [];
    let ackedOnA = 0;
    let killed: Promise<unknown> | undefined;
    const LANES = 8;
    const PER_LANE = 16;
    const lane = async (l: number) => {
      for (let i = 0; i < PER_LANE; i++) {
        const via = (l + i) % 2 ? 'b' : 'a';
        if (via === 'a' && killed) continue;
        const s: Sent = { ref: `burst-${l}-${i}`, outcome: 'unknown', via };
        sent.push(s);
        try {
          const res = await (via === 'a' ? ha : hb).request({
            method: 'POST',
            path: `/_sandbox/clients/${client.id}/payments`,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ invoiceId: invoice.id, amount: 1, externalImportReference: s.ref }),
            timeoutMs: 20_000,
          });
          s.outcome = res.status === 201 ? 'acked' : res.status < 500 ? 'refused' : 'unknown';
          if (s.outcome === 'acked' && via === 'a' && ++ackedOnA === 20) killed = a.kill('SIGKILL');
        } catch {
          // the connection died with the process: unknown
        }
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, l) => lane(l)));
    if (!killed) killed = a.kill('SIGKILL');
    await killed;
    expect(a.proc.signalCode).toBe('SIGKILL');

    const acked = sent.filter((s) => s.outcome === 'acked');
    expect(acked.length).toBeGreaterThanOrEqual(20 + (LANES * PER_LANE) / 2 - 8); // B took all of its share
    expect(sent.filter((s) => s.outcome === 'refused')).toEqual([]);

    a = await start();
    ha = http(a);
    for (const h of [hb, ha]) {
      const payments = (await vouchersOn(h, client.id)).filter((v) => String(v.externalImportReference).startsWith('burst-'));
      const present = new Set(payments.map((v) => v.externalImportReference));
      const missing = acked.filter((s) => !present.has(s.ref)).map((s) => s.ref);
      expect(missing, 'acknowledged payments missing').toEqual([]);
      const never = [...present].filter((ref) => !sent.some((s) => s.ref === ref));
      expect(never).toEqual([]);
      expect((await invoiceOn(h, client.id, invoice.id)).openAmount).toBe(5000 - present.size);
      await ledgerOk(h, client.id);
    }
    console.log(`shared postgres: killed A after ${ackedOnA} payments acknowledged by it; ${acked.length} acknowledged of ${sent.length} sent, all present on B and on a restarted A`);
  });

  it('the database going away answers 503 with Retry-After; when it is back the same process recovers, losing nothing acknowledged', async () => {
    const target = new URL(PG_ADMIN_URL);
    const proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.open();
    const viaProxy = new URL(db!.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const c = await start(viaProxy.toString());
    const hc = http(c);
    const client = await newClient(hc, 'Nede AS');
    const base = `/_sandbox/clients/${client.id}`;
    const before = await expectStatus(hc.json('POST', `${base}/customers`, { name: 'Før bruddet', mailAddress: ADDRESS }), 201, 'customer before the cut');

    await proxy.cut();
    const write = await hc.json('POST', `${base}/customers`, { name: 'Under bruddet', mailAddress: ADDRESS });
    expect(write.status, write.text).toBe(503);
    expect(write.headers['retry-after']).toBe('1');
    const read = await hc.request({ method: 'GET', path: `${base}/customers` });
    expect(read.status).toBe(503);
    expect(read.headers['retry-after']).toBe('1');
    // A v2 token request without a subscription key is refused by the gateway, which needs no database: still the 401.
    const integration = client.integrations[0];
    const keyless = await hc.request({
      method: 'POST',
      path: '/goapi.poweroffice.net/OAuth/Token',
      headers: { authorization: basicAuth(integration.applicationKey, integration.clientKey), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(keyless.status, keyless.text).toBe(401);
    expect(keyless.text).toMatch(/subscription key/i);

    await proxy.open(); // same port: the database is back
    let after: any;
    for (let attempt = 0; attempt < 40 && !after; attempt++) {
      const res = await hc.json('POST', `${base}/customers`, { name: 'Etter bruddet', mailAddress: ADDRESS });
      if (res.status === 201) after = res.body;
      else {
        expect(res.status).toBe(503);
        await new Promise((ok) => setTimeout(ok, 500));
      }
    }
    expect(after, 'a write succeeds once the database is back').toBeDefined();
    const names = (await expectStatus(hc.request({ method: 'GET', path: `${base}/customers` }), 200, 'customers')).customers.map((x: any) => x.name);
    expect(names).toEqual(expect.arrayContaining(['Før bruddet', 'Etter bruddet']));
    expect(names).not.toContain('Under bruddet');
    expect(before.id).not.toBe(after.id);
    // The other process (direct connection) saw none of it go wrong.
    const onB = (await expectStatus(hb.request({ method: 'GET', path: `${base}/customers` }), 200, 'customers on B')).customers.map((x: any) => x.name);
    expect(onB).toEqual(names);
    await c.kill('SIGTERM');
    await proxy.cut();
  });
});

describe.skipIf(!PG_AVAILABLE)('a bad database URL', () => {
  /** Run `start` and collect how it ends. */
  function startFails(url: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'sandbox', 'cli.ts'), 'start', '--port', '0', '--database-url', url], { cwd: ROOT, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    return new Promise((ok) => proc.once('exit', (code) => ok({ code, stderr, stdout })));
  }

  it('an unreachable server stops start-up with one line naming the host', async () => {
    const r = await startFails('postgres://postgres@127.0.0.1:1/inkasso');
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain('listening');
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/could not start: cannot use PostgreSQL at 127\.0\.0\.1:1\/inkasso: .*ECONNREFUSED/);
  });

  it('a database that does not exist, and a URL that is not postgres://, are named in one line', async () => {
    const missing = new URL(PG_ADMIN_URL);
    missing.pathname = '/inkasso_no_such_database';
    const r = await startFails(missing.toString());
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`cannot use PostgreSQL at ${missing.host.replace(/\./g, '\\.')}/inkasso_no_such_database: database "inkasso_no_such_database" does not exist`));
    const wrong = await startFails('mysql://root@127.0.0.1/x');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toContain('must be a postgres:// URL');
  });
});
