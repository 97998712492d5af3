/**
 * What the conformance kit needs from the wire: every agency answer carries the client's sandbox time (Date and
 * X-Sandbox-Time), the journal records it and the OAuth grant, and two fault effects: an answer lost after the write,
 * and the v1 business failure (HTTP 200, success:false).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agency, ADDRESS, advance, newClient, newCustomer, newInvoice, testSandbox, type TestSandbox } from '../harness.js';
import { startServer } from '../../sandbox/server.js';
import { agencyEndpoints } from '../../sandbox/certify/endpoints.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await testSandbox();
});
afterAll(() => t.close());

const journal = async (clientId: string) => (await t.http.get(`/_sandbox/clients/${clientId}/requests`).expect(200)).body.requests as Array<Record<string, any>>;

describe('sandbox time on agency answers', () => {
  it('sets Date and X-Sandbox-Time to the client clock, and journals it', async () => {
    const c = await newClient(t, { startDate: '2026-03-02' });
    await advance(t, c.id, { hours: 3 });
    const a = await agency(t, c.integration);
    const res = await a.get('/DebtCollection/IsActiveDebtCollection').expect(200);
    expect(res.headers['x-sandbox-time']).toBe('2026-03-02T11:00:00+01:00');
    expect(res.headers.date).toBe('Mon, 02 Mar 2026 10:00:00 GMT');
    const entries = await journal(c.id);
    const call = entries.find((e) => e.operationId === 'isActiveDebtCollection')!;
    expect(call.sandboxTime).toBe('2026-03-02T11:00:00+01:00');
    const tokenCall = entries.find((e) => e.face === 'auth')!;
    expect(tokenCall.grantType).toBe('client_credentials');
    expect(tokenCall.sandboxTime).toBe('2026-03-02T11:00:00+01:00');
  });

  it('leaves control answers alone', async () => {
    const c = await newClient(t, { startDate: '2026-03-02' });
    const res = await t.http.get(`/_sandbox/clients/${c.id}/clock`).expect(200);
    expect(res.headers['x-sandbox-time']).toBeUndefined();
  });
});

describe('fault effects for the conformance kit', () => {
  it('dropAfterWrite: the bank journal is booked, the answer never arrives', async () => {
    const c = await newClient(t, { startDate: '2026-03-02' });
    const customer = await newCustomer(t, c.id, { mailAddress: ADDRESS });
    const inv = await newInvoice(t, c.id, { customerId: customer.id, amount: 1000, invoiceDate: '2026-02-01', dueDate: '2026-02-10' });
    const a = await agency(t, c.integration);
    const bank = (await a.get('/v2/GeneralLedgerAccounts?accountNos=1920').expect(200)).body[0].Id;
    const card = (await a.get(`/v2/Customers/${customer.id}`).expect(200)).body;
    await t.http.post(`/_sandbox/clients/${c.id}/faults`).send({ match: { operationId: 'v2PostBankJournal' }, effect: { dropAfterWrite: true } }).expect(201);
    const body = {
      VoucherDate: '2026-03-02',
      CurrencyCode: 'NOK',
      ExternalImportReference: 'CERT-1',
      VoucherLines: [
        { AccountId: card.SubledgerAccountId, CurrencyAmount: -400, InvoiceNo: String(inv.invoiceNo), PostingDate: '2026-03-02', VatId: null },
        { AccountId: bank, CurrencyAmount: 400, PostingDate: '2026-03-02', VatId: null },
      ],
    };
    await expect(a.post('/v2/Vouchers/BankJournals', body)).rejects.toThrow(/socket hang up|ECONNRESET/);
    const after = (await t.http.get(`/_sandbox/clients/${c.id}/invoices/${inv.id}`).expect(200)).body;
    expect(after.openAmount).toBe(600);
    const entry = (await journal(c.id)).find((e) => e.operationId === 'v2PostBankJournal')!;
    expect(entry.status).toBe(201);
    expect(entry.problem).toMatch(/answer lost after the write/);
  });

  it('businessFailure: a v1 call answers 200 with success:false and changes nothing', async () => {
    const c = await newClient(t, { startDate: '2026-03-02' });
    const a = await agency(t, c.integration);
    await t.http.post(`/_sandbox/clients/${c.id}/faults`).send({ match: { operationId: 'createCase' }, effect: { businessFailure: true } }).expect(201);
    const res = await a.post('/DebtCollection', { code: 'K-1' }).expect(200);
    expect(res.body).toMatchObject({ success: false, validation: { exception: 'Go', summary: expect.stringMatching(/injected fault/) } });
    expect((await t.http.get(`/_sandbox/clients/${c.id}/collection`).expect(200)).body.open).toEqual([]);
    const entry = (await journal(c.id)).find((e) => e.operationId === 'createCase')!;
    expect(entry).toMatchObject({ status: 200, problem: expect.stringMatching(/business failure/) });
    expect((await a.post('/DebtCollection', { code: 'K-1' })).body.success).toBe(true);
  });

  it('refuses two kinds of failure in one fault, naming the field', async () => {
    const c = await newClient(t);
    const res = await t.http.post(`/_sandbox/clients/${c.id}/faults`).send({ effect: { drop: true, businessFailure: true } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty('effect');
  });
});

describe('the four URLs certify hands an agency', () => {
  it('take a token from each token URL and answer on each base URL, whichever form this sandbox serves', async () => {
    const server = await startServer({ memory: true, port: 0 });
    try {
      const view = (await (await fetch(`${server.url}/_sandbox/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Urls AS"}' })).json()) as any;
      const urls = await agencyEndpoints(server.url, view);
      const i = view.integrations[0];
      const basic = `Basic ${Buffer.from(`${i.applicationKey}:${i.clientKey}`).toString('base64')}`;
      const tokenFor = async (url: string, v2: boolean) => {
        const res = await fetch(url, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', ...(v2 ? { 'ocp-apim-subscription-key': i.subscriptionKey } : {}) }, body: 'grant_type=client_credentials' });
        expect(res.status, url).toBe(200);
        return ((await res.json()) as { access_token: string }).access_token;
      };
      const v1 = await fetch(`${urls.v1.baseUrl}/DebtCollection/IsActiveDebtCollection`, { headers: { authorization: `Bearer ${await tokenFor(urls.v1.tokenUrl, false)}` } });
      expect(v1.status).toBe(200);
      expect(((await v1.json()) as { data: boolean }).data).toBe(true);
      const v2 = await fetch(`${urls.v2.baseUrl}/VatCodes`, { headers: { authorization: `Bearer ${await tokenFor(urls.v2.tokenUrl, true)}`, 'ocp-apim-subscription-key': i.subscriptionKey } });
      expect(v2.status).toBe(200);
      // A client view that names its endpoints wins over any guess.
      const named = { v1: { baseUrl: 'http://x/v1', tokenUrl: 'http://x/v1/t' }, v2: { baseUrl: 'http://x/v2', tokenUrl: 'http://x/v2/t' } };
      expect(await agencyEndpoints(server.url, { endpoints: named })).toEqual(named);
    } finally {
      await server.close();
    }
  });
});
