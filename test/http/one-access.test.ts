/**
 * One engine access per agency request (issue 11): the token check, faults, rate limits, the operation and the clock
 * the answer's Date / X-Sandbox-Time carry come from one hold of the caller's world, counted through the engine's
 * instrumentation hook (Engine.onAccess) on the real server; and no other write lands inside that hold.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advance, agency, basicAuth, newClient, newCustomer, newInvoice, testSandbox, TOKEN_URL, tokenResponse, type TestSandbox } from '../harness.js';
import { ACTORS } from '../../sandbox/domain/context.js';
import { toMillis } from '../../sandbox/domain/time.js';

const BANK = 5_001_920;

describe('one engine access per agency request', () => {
  let t: TestSandbox;
  const seen: string[] = [];
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    t.engine.onAccess = undefined;
  });

  /** The engine accesses one request makes (read, write or access, with the client), and its answer. */
  async function counted<R>(send: () => PromiseLike<R>): Promise<{ res: R; accesses: string[] }> {
    seen.length = 0;
    t.engine.onAccess = (kind, clientId) => seen.push(`${kind} ${clientId}`);
    const res = await send();
    t.engine.onAccess = undefined;
    return { res, accesses: [...seen] };
  }

  async function world() {
    const client = await newClient(t);
    const customer = await newCustomer(t, client.id);
    const inv = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-22', dueDate: '2026-01-05', amount: 1250 });
    await advance(t, client.id, { days: 14 });
    expect((await t.http.post(`/_sandbox/clients/${client.id}/collection/approve`).send({ invoiceIds: [inv.id] })).status).toBe(200);
    const a = await agency(t, client.integration);
    return { client, customer, inv, a };
  }

  it('a plain read (v2 OpenItems, v1 AvailableInvoices and GetAllMatchedItems) is one access, cached or not', async () => {
    const { client, a } = await world();
    for (const path of ['/v2/Customerledger/OpenItems?date=2026-01-05', '/DebtCollection/Invoices/AvailableInvoices', '/DebtCollection/GetAllMatchedItems?fromDateTime=2026-01-01']) {
      for (const round of ['first', 'cached']) {
        const { res, accesses } = await counted(() => a.get(path));
        expect(res.status, `${path} ${round}`).toBe(200);
        expect(res.headers['x-sandbox-time'], path).toBe('2026-01-19T08:00:00+01:00');
        expect(res.headers.date).toBe(new Date('2026-01-19T07:00:00Z').toUTCString());
        expect(accesses, `${path} ${round}`).toEqual([`access ${client.id}`]);
      }
    }
  });

  it('a write (v1 case, v2 bank journal) is one access, its answer read in the same hold', async () => {
    const { client, inv, a } = await world();
    const created = await counted(() => a.post('/DebtCollection', { code: 'K-1', invoices: [inv.id] }));
    expect(created.res.status).toBe(200);
    expect(created.res.body.data.invoices).toHaveLength(1);
    expect(created.accesses).toEqual([`access ${client.id}`]);
    const subledger = (await a.get('/v2/Customers')).body[0].SubledgerAccountId as number;
    const line = (amount: number, account: number, invoiceNo: string | null) => ({
      PostingDate: '2026-01-19',
      AccountId: account,
      CurrencyAmount: amount,
      VatId: null,
      ...(invoiceNo ? { InvoiceNo: invoiceNo } : {}),
    });
    const paid = await counted(() =>
      a.post('/v2/Vouchers/BankJournals', { VoucherDate: '2026-01-19', CurrencyCode: 'NOK', ExternalImportReference: 'one-1', VoucherLines: [line(-100, subledger, '10001'), line(100, BANK, null)] }),
    );
    expect(paid.res.status).toBe(201);
    expect(paid.accesses).toEqual([`access ${client.id}`]);
    // A refused write (a repeated reference) and a refused token (expired on the sandbox clock) are one access too.
    const again = await counted(() =>
      a.post('/v2/Vouchers/BankJournals', { VoucherDate: '2026-01-19', CurrencyCode: 'NOK', ExternalImportReference: 'one-1', VoucherLines: [line(-100, subledger, '10001'), line(100, BANK, null)] }),
    );
    expect(again.res.status).toBe(400);
    expect(again.accesses).toEqual([`access ${client.id}`]);
    const v1Refused = await counted(() => a.post('/DebtCollection', { code: 'K-1', invoices: [inv.id] }));
    expect(v1Refused.res.body.success).toBe(false);
    expect(v1Refused.accesses).toEqual([`access ${client.id}`]);
    await advance(t, client.id, { days: 1 });
    const expired = await counted(() => a.get('/v2/Customerledger/OpenItems?date=2026-01-05'));
    expect(expired.res.status).toBe(401);
    expect(expired.res.headers['x-sandbox-time']).toBe('2026-01-20T08:00:00+01:00');
    expect(expired.accesses).toEqual([`access ${client.id}`]);
  });

  it('a fired fault is written in the same access as the check; only latency is waited outside the hold (two accesses)', async () => {
    const { client, a } = await world();
    await t.http.post(`/_sandbox/clients/${client.id}/faults`).send({ match: { operationId: 'getAvailableInvoices' }, effect: { status: 503 }, count: 1 }).expect(201);
    const failed = await counted(() => a.get('/DebtCollection/Invoices/AvailableInvoices'));
    expect(failed.res.status).toBe(503);
    expect(failed.accesses).toEqual([`access ${client.id}`]);
    const after = await counted(() => a.get('/DebtCollection/Invoices/AvailableInvoices'));
    expect(after.res.status).toBe(200);
    expect(after.accesses).toEqual([`access ${client.id}`]);
    await t.http.post(`/_sandbox/clients/${client.id}/faults`).send({ match: { operationId: 'getAvailableInvoices' }, effect: { latencyMs: 50 }, count: 1 }).expect(201);
    const slow = await counted(() => a.get('/DebtCollection/Invoices/AvailableInvoices'));
    expect(slow.res.status).toBe(200);
    expect(slow.accesses).toEqual([`access ${client.id}`, `access ${client.id}`]);
  });

  it('a client that is gone is a 401 after one access; a token that names no client makes none', async () => {
    const { client, a } = await world();
    expect((await t.http.delete(`/_sandbox/clients/${client.id}`)).status).toBe(204);
    const gone = await counted(() => a.get('/v2/Customerledger/OpenItems?date=2026-01-05'));
    expect(gone.res.status).toBe(401);
    expect(gone.res.headers['x-sandbox-time']).toBeUndefined();
    expect(gone.accesses).toEqual([`access ${client.id}`]);
    const forged = await counted(() => t.http.get('/v2/Customerledger/OpenItems?date=2026-01-05').set('Authorization', 'Bearer x.y.z').set('Ocp-Apim-Subscription-Key', 'k'));
    expect(forged.res.status).toBe(401);
    expect(forged.accesses).toEqual([]);
  });

  /** POST /OAuth/Token on one host with these Basic keys (none: no Authorization header) and form body. */
  function tokenRequest(api: 'v1' | 'v2', auth: string | undefined, form: Record<string, string>, subscriptionKey?: string) {
    let r = t.http.post(TOKEN_URL[api]).type('form');
    if (auth) r = r.set('Authorization', auth);
    if (subscriptionKey) r = r.set('Ocp-Apim-Subscription-Key', subscriptionKey);
    return r.send(form);
  }
  const CLIENT_CREDENTIALS = { grant_type: 'client_credentials' };
  const basic = (applicationKey: string, clientKey: string) => basicAuth({ applicationKey, clientKey });

  it('a v1 and a v2 token request are one access of the client the keys name, its clock in Date / X-Sandbox-Time', async () => {
    const client = await newClient(t);
    const i = client.integration;
    for (const api of ['v1', 'v2'] as const) {
      const { res, accesses } = await counted(() => tokenRequest(api, basicAuth(i), CLIENT_CREDENTIALS, api === 'v2' ? i.subscriptionKey : undefined));
      expect(res.status, api).toBe(200);
      expect(res.body.expires_in, api).toBe(api === 'v1' ? 600 : 1200);
      expect(res.headers['x-sandbox-time'], api).toBe('2026-01-05T08:00:00+01:00');
      expect(res.headers.date, api).toBe(new Date('2026-01-05T07:00:00Z').toUTCString());
      expect(accesses, api).toEqual([`access ${client.id}`]);
    }
  });

  it('a v1 refresh grant is one access of its client, with the Basic keys or without them', async () => {
    const client = await newClient(t);
    const first = await tokenResponse(t, client.integration, 'v1');
    const bare = await counted(() => tokenRequest('v1', undefined, { grant_type: 'refresh_token', refresh_token: first.refresh_token! }));
    expect(bare.res.status).toBe(200);
    expect(bare.res.headers['x-sandbox-time']).toBe('2026-01-05T08:00:00+01:00');
    expect(bare.accesses).toEqual([`access ${client.id}`]);
    const keyed = await counted(() =>
      tokenRequest('v1', basicAuth(client.integration), { grant_type: 'refresh_token', refresh_token: bare.res.body.refresh_token }),
    );
    expect(keyed.res.status).toBe(200);
    expect(keyed.res.body.refresh_token).toEqual(expect.any(String));
    expect(keyed.accesses).toEqual([`access ${client.id}`]);
    // Spent: refused in the same one access.
    const spent = await counted(() => tokenRequest('v1', undefined, { grant_type: 'refresh_token', refresh_token: first.refresh_token! }));
    expect(spent.res.status).toBe(400);
    expect(spent.res.body.error_description).toMatch(/was used already/);
    expect(spent.accesses).toEqual([`access ${client.id}`]);
  });

  it('refused keys: a client key that names no client makes no access; a wrong application key one, of the key\'s client', async () => {
    const client = await newClient(t);
    const i = client.integration;
    // No client has this key: there is no world to hold, and the answer carries no sandbox clock (as before).
    const unknown = await counted(() => tokenRequest('v1', basic(i.applicationKey, 'no-such-client-key'), CLIENT_CREDENTIALS));
    expect(unknown.res.status).toBe(400);
    expect(unknown.res.body.error).toBe('invalid_client');
    expect(unknown.res.headers['x-sandbox-time']).toBeUndefined();
    expect(unknown.accesses).toEqual([]);
    // The client key names a client: its faults, limits and clock apply, and its world says the application key is wrong.
    const wrongApp = await counted(() => tokenRequest('v2', basic('00000000-0000-0000-0000-000000000000', i.clientKey), CLIENT_CREDENTIALS, i.subscriptionKey));
    expect(wrongApp.res.status).toBe(400);
    expect(wrongApp.res.body.error).toBe('invalid_client');
    expect(wrongApp.res.headers['x-sandbox-time']).toBe('2026-01-05T08:00:00+01:00');
    expect(wrongApp.accesses).toEqual([`access ${client.id}`]);
    // A refresh token of one client with the keys of another: one access, of the client the keys name.
    const other = await newClient(t);
    const pair = await tokenResponse(t, client.integration, 'v1');
    const crossed = await counted(() => tokenRequest('v1', basicAuth(other.integration), { grant_type: 'refresh_token', refresh_token: pair.refresh_token! }));
    expect(crossed.res.status).toBe(400);
    expect(crossed.res.body.error).toBe('invalid_grant');
    expect(crossed.res.body.error_description).toMatch(/another integration/);
    expect(crossed.accesses).toEqual([`access ${other.id}`]);
    const crossedBadKey = await counted(() =>
      tokenRequest('v1', basic('00000000-0000-0000-0000-000000000000', other.integration.clientKey), { grant_type: 'refresh_token', refresh_token: pair.refresh_token! }),
    );
    expect(crossedBadKey.res.body.error).toBe('invalid_client');
    expect(crossedBadKey.accesses).toEqual([`access ${other.id}`]);
    // The refresh token is still unspent: with no keys it works.
    expect((await tokenRequest('v1', undefined, { grant_type: 'refresh_token', refresh_token: pair.refresh_token! })).status).toBe(200);
  });

  it('a token request hit by an injected 503 is one access, the fault written in it; a latency fault waits outside the hold', async () => {
    const client = await newClient(t);
    const i = client.integration;
    await t.http.post(`/_sandbox/clients/${client.id}/faults`).send({ match: { operationId: 'requestToken' }, effect: { status: 503 }, count: 1 }).expect(201);
    const failed = await counted(() => tokenRequest('v2', basicAuth(i), CLIENT_CREDENTIALS, i.subscriptionKey));
    expect(failed.res.status).toBe(503);
    expect(failed.res.body.error).toBe('server_error');
    expect(failed.res.headers['retry-after']).toBe('1'); // as an injected 503 on any other face
    expect(failed.res.headers['x-sandbox-time']).toBe('2026-01-05T08:00:00+01:00');
    expect(failed.accesses).toEqual([`access ${client.id}`]);
    const after = await counted(() => tokenRequest('v2', basicAuth(i), CLIENT_CREDENTIALS, i.subscriptionKey));
    expect(after.res.status).toBe(200);
    expect(after.accesses).toEqual([`access ${client.id}`]);
    await t.http.post(`/_sandbox/clients/${client.id}/faults`).send({ match: { operationId: 'requestToken' }, effect: { latencyMs: 50 }, count: 1 }).expect(201);
    const slow = await counted(() => tokenRequest('v1', basicAuth(i), CLIENT_CREDENTIALS));
    expect(slow.res.status).toBe(200);
    expect(slow.accesses).toEqual([`access ${client.id}`, `access ${client.id}`]);
  });

  it('inside one hold no other write lands: a clock advance sent meanwhile waits for the hold to end', async () => {
    const { client } = await world();
    const clock = (w: { clock: { now: string } }) => w.clock.now;
    const before = await t.engine.read(client.id, clock);
    let advanced: Promise<unknown> | undefined;
    const seenInHold = await t.engine.access(client.id, async (hold) => {
      const first = await hold.read(clock);
      advanced = t.engine.advance(client.id, ACTORS.sandbox, { days: 1 });
      await new Promise((ok) => setTimeout(ok, 30));
      return [first, await hold.read(clock)];
    });
    expect(seenInHold).toEqual([before, before]);
    await advanced;
    expect(toMillis(await t.engine.read(client.id, clock))).toBe(toMillis(before) + 86_400_000);
  });

  it('over HTTP: a clock advance sent between the token check and the operation lands after the answer, not inside it', async () => {
    // Rate limits on, so the dispatcher takes from the limiter after the token check and before the operation: there
    // the advance is sent. The answer carries the clock its token was checked against; the advance follows it.
    const r = await testSandbox({ rateLimits: true });
    try {
      const client = await newClient(r);
      const { access_token: token, expires_in } = await tokenResponse(r, client.integration, 'v2');
      const limiter = r.services.rateLimiter;
      const take = limiter.take.bind(limiter);
      let advanced: Promise<unknown> | undefined;
      limiter.take = (key, perSecond) => {
        // Past the token's expiry: had it landed inside the request, the answer would be a success at a moment the token was dead.
        advanced ??= r.engine.advance(client.id, ACTORS.sandbox, { minutes: Math.ceil(expires_in / 60) + 60 });
        return take(key, perSecond);
      };
      const res = await r.http
        .get('/v2/Customerledger/OpenItems?date=2026-01-05')
        .set('Authorization', `Bearer ${token}`)
        .set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey);
      limiter.take = take;
      expect(advanced).toBeDefined();
      await advanced;
      expect(res.status).toBe(204) // no open items: answered, not refused;
      expect(res.headers['x-sandbox-time']).toBe('2026-01-05T08:00:00+01:00');
      expect(res.headers.date).toBe(new Date('2026-01-05T07:00:00Z').toUTCString());
      const journal = (await r.http.get(`/_sandbox/clients/${client.id}/requests`)).body.requests as any[];
      const entry = journal.find((e: any) => e.path.startsWith('/v2/Customerledger/OpenItems'));
      expect(entry.sandboxTime).toBe('2026-01-05T08:00:00+01:00');
      // The same token on the next request meets the advanced clock: expired.
      const after = await r.http
        .get('/v2/Customerledger/OpenItems?date=2026-01-05')
        .set('Authorization', `Bearer ${token}`)
        .set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey);
      expect(after.status).toBe(401);
    } finally {
      await r.close();
    }
  });
});
