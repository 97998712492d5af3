/**
 * The inspector's server side without a browser: content negotiation at / and /clients/{id}, the shipped assets,
 * /docs, /health, and the inspector read endpoints (one read of everything, a change token, one request's bodies),
 * which the request journal does not record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, advance, agency, newClient, newCustomer, newInvoice, testSandbox, type ClientFixture, type TestSandbox } from '../harness.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let t: TestSandbox;
let client: ClientFixture;
let invoiceId: string;

beforeAll(async () => {
  t = await testSandbox();
  client = await newClient(t, { id: 'insp-1' });
  const customer = await newCustomer(t, client.id, { mailAddress: ADDRESS });
  invoiceId = (await newInvoice(t, client.id, { customerId: customer.id, amount: 1250, invoiceDate: '2025-12-22', dueDate: '2026-01-05' })).id;
});
afterAll(() => t.close());

describe('pages for browsers, JSON for API callers', () => {
  it('answers / with the inspector page to a browser and with the sandbox info to anyone else', async () => {
    const page = await t.http.get('/').set('Accept', BROWSER_ACCEPT);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers.vary).toMatch(/Accept/);
    expect(page.text).toContain('<script type="module" src="/inspector/app.js">');

    for (const accept of [undefined, '*/*', 'application/json']) {
      const req = t.http.get('/');
      const res = accept ? await req.set('Accept', accept) : await req;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'inkasso-sandbox', links: { openapi: '/openapi.json' } });
    }
  });

  it('serves /clients/{id} to a browser and leaves it a 404 for API callers, as before', async () => {
    const page = await t.http.get(`/clients/${client.id}`).set('Accept', BROWSER_ACCEPT);
    expect(page.status).toBe(200);
    expect(page.text).toContain('inkasso-sandbox inspector');
    const api = await t.http.get(`/clients/${client.id}`).set('Accept', 'application/json');
    expect(api.status).toBe(404);
    expect(api.headers['content-type']).not.toMatch(/html/);
  });

  it('ships its script, styles and the Swagger UI bundle; /docs reads our own openapi.json', async () => {
    const js = await t.http.get('/inspector/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.text).toContain('/_sandbox/inspector/clients/');
    expect((await t.http.get('/inspector/app.css')).headers['content-type']).toMatch(/^text\/css/);
    const docs = await t.http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('/docs/swagger-ui-bundle.js');
    expect(docs.text).not.toMatch(/https?:\/\/(?!localhost)[a-z]/i); // no CDN
    expect((await t.http.get('/docs/init.js')).text).toContain("fetch('/openapi.json')");
    const bundle = await t.http.get('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(Number(bundle.headers['content-length'])).toBeGreaterThan(500_000);
    // HEAD answers the headers without the body.
    const head = await t.http.head('/docs/swagger-ui.css');
    expect(head.status).toBe(200);
    expect(head.text ?? '').toBe('');
  });
});

describe('GET /health', () => {
  it('answers 200 JSON without any credentials, even with an admin token set', async () => {
    const guarded = await testSandbox({ adminToken: 'secret-admin' });
    try {
      const res = await guarded.http.get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', name: 'inkasso-sandbox', store: 'memory', clients: 0 });
      expect(res.headers['cache-control']).toBe('no-store');
      // The inspector's data is control API: it needs the token like the rest.
      expect((await guarded.http.get('/_sandbox/inspector/clients/x')).status).toBe(401);
      // The page itself is public (it asks for the token).
      expect((await guarded.http.get('/').set('Accept', BROWSER_ACCEPT)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('is in the OpenAPI document with the inspector endpoints', async () => {
    const doc = (await t.http.get('/openapi.json')).body;
    expect(doc.paths['/health'].get.operationId).toBe('health');
    expect(doc.paths['/_sandbox/inspector/clients/{clientId}'].get.operationId).toBe('inspectClient');
  });
});

describe('the inspector read endpoints', () => {
  it('reads the whole client in one call, and an invoice with its explain text, vouchers and matches', async () => {
    await advance(t, client.id, { to: '2026-01-19' });
    const res = await t.http.get(`/_sandbox/inspector/clients/${client.id}`).query({ invoice: invoiceId });
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.client.today).toBe('2026-01-19');
    expect(d.collection.draft.map((e: any) => e.invoice.id)).toEqual([invoiceId]);
    expect(d.customers).toHaveLength(1);
    expect(d.customers[0].transferToDebtCollectionAgency).toBe(true);
    expect(d.events.at(-1).type).toBe('clock.advanced');
    expect(d.selected.invoice.id).toBe(invoiceId);
    expect(d.selected.explain.summary).toMatch(/^Invoice \d+ is Draft/);
    expect(d.selected.vouchers.map((v: any) => v.id)).toContain(d.selected.invoice.voucherId);
    // Newest first, and the inspector's own reads are not among them.
    expect(d.requests[0].path).toBe(`/_sandbox/clients/${client.id}/clock/advance`);
    expect(d.requests.some((r: any) => r.path.startsWith('/_sandbox/inspector'))).toBe(false);
  });

  it('sends at most the first 500 rows of a long list, with every list\'s full length', async () => {
    const big = await newClient(t, { id: 'insp-big' });
    const seeded = await t.http.post(`/_sandbox/clients/${big.id}/seed`).send({ customers: 600, invoices: 700, incompleteAddressShare: 0, creditNoteShare: 0 });
    expect(seeded.status).toBeLessThan(300);
    await advance(t, big.id, { days: 60 });
    const full = (await t.http.get(`/_sandbox/clients/${big.id}/collection`)).body;
    const d = (await t.http.get(`/_sandbox/inspector/clients/${big.id}`)).body;
    for (const key of ['reminderList', 'draft', 'approved', 'open', 'archived'] as const) {
      expect(d.counts[key], key).toBe(full[key].length);
      expect(d.collection[key], key).toEqual(full[key].slice(0, 500));
    }
    expect(d.counts.customers).toBe(600);
    expect(d.customers).toHaveLength(500);
    expect(Math.max(...(['reminderList', 'draft', 'approved'] as const).map((k) => full[k].length))).toBeGreaterThan(500);
  });

  it('shows a payment among the matched items and its bank voucher', async () => {
    const pay = await t.http.post(`/_sandbox/clients/${client.id}/payments`).send({ invoiceId, amount: 250, date: '2026-01-19' });
    expect(pay.status).toBe(201);
    const d = (await t.http.get(`/_sandbox/inspector/clients/${client.id}`).query({ invoice: invoiceId })).body;
    expect(d.selected.invoice.matches.map((m: any) => [m.amount, m.voucherNo])).toContainEqual([250, pay.body.voucherNo]);
    expect(d.selected.vouchers.map((v: any) => v.voucherNo)).toContain(pay.body.voucherNo);
  });

  it('changes its token when the world or the journal changes, and not when the inspector reads', async () => {
    const token = async () => (await t.http.get(`/_sandbox/inspector/clients/${client.id}/changes`)).body.token as string;
    const first = await token();
    await t.http.get(`/_sandbox/inspector/clients/${client.id}`);
    expect(await token()).toBe(first);
    await t.http.get(`/_sandbox/clients/${client.id}/collection`); // a journaled control call
    const second = await token();
    expect(second).not.toBe(first);
    await advance(t, client.id, { days: 1 });
    expect(await token()).not.toBe(second);
  });

  it('opens one journal entry with its headers and bodies, credentials shortened', async () => {
    const caller = await agency(t, client.integration);
    await caller.get('/DebtCollection/Invoices/AvailableInvoices');
    const d = (await t.http.get(`/_sandbox/inspector/clients/${client.id}`)).body;
    const call = d.requests.find((r: any) => r.path.startsWith('/DebtCollection/Invoices/AvailableInvoices'));
    expect(call.integrationId).toBe(client.integration.id);
    const detail = (await t.http.get(`/_sandbox/inspector/clients/${client.id}/requests/${call.seq}`)).body;
    expect(detail.kept).toBe(true);
    expect(detail.entry.seq).toBe(call.seq);
    expect(detail.requestHeaders.authorization).toMatch(/^Bearer .*…\(\d+ chars\)$/);
    expect(detail.requestHeaders.authorization).not.toContain(caller.tokens.v1);
    expect(detail.responseHeaders['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.parse(detail.responseBody)).toEqual((await caller.get('/DebtCollection/Invoices/AvailableInvoices')).body);

    // Portability warnings travel with the entry.
    await caller.get('/DebtCollection?top=5');
    const warned = (await t.http.get(`/_sandbox/inspector/clients/${client.id}`)).body.requests[0];
    expect(warned.path).toBe('/DebtCollection?top=5');
    expect(warned.warnings.map((w: any) => w.code)).toEqual(['unknown-query-parameter']);

    const advanced = d.requests.find((r: any) => r.path.endsWith('/clock/advance'));
    const withBody = (await t.http.get(`/_sandbox/inspector/clients/${client.id}/requests/${advanced.seq}`)).body;
    expect(JSON.parse(withBody.requestBody)).toEqual({ days: 1 });
  });

  it('shortens tokens in the token endpoint answer and in a refresh grant', async () => {
    const basic = `Basic ${Buffer.from(`${client.integration.applicationKey}:${client.integration.clientKey}`).toString('base64')}`;
    const issued = await t.http.post('/api.poweroffice.net/OAuth/Token').set('Authorization', basic).type('form').send({ grant_type: 'client_credentials' });
    expect(issued.status).toBe(200);
    const refresh = issued.body.refresh_token as string;
    expect(refresh.length).toBeGreaterThan(12);
    await t.http.post('/api.poweroffice.net/OAuth/Token').set('Authorization', basic).type('form').send({ grant_type: 'refresh_token', refresh_token: refresh });
    const d = (await t.http.get(`/_sandbox/inspector/clients/${client.id}`)).body;
    const [refreshed, first] = d.requests.filter((r: any) => r.path.endsWith('/OAuth/Token'));
    const detail = async (seq: number) => (await t.http.get(`/_sandbox/inspector/clients/${client.id}/requests/${seq}`)).body;
    const a = await detail(first.seq);
    expect(JSON.parse(a.responseBody).access_token).toMatch(/…\(\d+ chars\)$/);
    expect(a.responseBody).not.toContain(issued.body.access_token);
    expect(a.responseBody).not.toContain(refresh);
    expect(a.requestBody).toBe('grant_type=client_credentials');
    const b = await detail(refreshed.seq);
    expect(b.requestBody).toMatch(/^grant_type=refresh_token&refresh_token=.{10}…\(\d+ chars\)$/);
  });

  it('answers 404 in the control format for an unknown client, invoice or journal entry', async () => {
    const unknownClient = await t.http.get('/_sandbox/inspector/clients/nobody');
    expect(unknownClient.status).toBe(404);
    const unknownInvoice = await t.http.get(`/_sandbox/inspector/clients/${client.id}`).query({ invoice: '00000000-0000-4000-8000-000000000000' });
    expect(unknownInvoice.status).toBe(404);
    expect(JSON.stringify(unknownInvoice.body)).toContain('invoice');
    const unknownSeq = await t.http.get(`/_sandbox/inspector/clients/${client.id}/requests/999999`);
    expect(unknownSeq.status).toBe(404);
    const badSeq = await t.http.get(`/_sandbox/inspector/clients/${client.id}/requests/abc`);
    expect(badSeq.status).toBe(400);
  });
});
