/**
 * Every endpoint, called once with a valid request, answers 2xx with a body its contract accepts
 * (validateResponses is on: a drift would be a 500). Together with the fuzz suite (invalid requests), every
 * endpoint's request and response are validated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createSandbox, type Sandbox } from '../../sandbox/server.js';
import { documentedRoutes } from '../../contracts/artifacts.js';

let sandbox: Sandbox;
const answered = new Map<string, number[]>();

beforeAll(async () => {
  sandbox = await createSandbox({ memory: true, strict: true, validateResponses: true, rateLimits: false, observe: (a) => a.operationId && answered.set(a.operationId, [...(answered.get(a.operationId) ?? []), a.status]) });
});
afterAll(() => sandbox.close());

describe('every endpoint answers a valid request within its contract', () => {
  it('walks the whole API', async () => {
    const http = request(sandbox.app);
    const ok = async (r: request.Test) => {
      const res = await r;
      // A v1 refusal is HTTP 200 with success false: not a valid answer either.
      if (res.status >= 300 || res.body?.success === false) throw new Error(`${(res as unknown as { req: { method: string; path: string } }).req.method} ${(res as unknown as { req: { path: string } }).req.path} -> ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    await ok(http.get('/'));
    await ok(http.get('/_sandbox'));
    await ok(http.get('/openapi.json'));
    await ok(http.get('/_sandbox/fidelity'));
    await ok(http.get('/_sandbox/scenarios'));

    const client = await ok(http.post('/_sandbox/clients').send({ id: 'walk', name: 'Walk AS', startDate: '2026-01-05' }));
    const base = `/_sandbox/clients/${client.id}`;
    await ok(http.get('/_sandbox/clients'));
    await ok(http.get(base));
    const integration = client.integrations[0];
    const second = await ok(http.post(`${base}/integrations`).send({ name: 'Second agency', canCreateNewCases: false }));
    await ok(http.patch(`${base}/integrations/${second.id}`).send({ name: 'Second agency AS' }));
    await ok(http.get(`${base}/settings`));
    await ok(http.put(`${base}/settings`).send({ reminderSteps: { paymentReminder: { enabled: true } } }));
    await ok(http.get(`${base}/clock`));

    const customer = await ok(http.post(`${base}/customers`).send({ name: 'Ola AS', organizationNumber: '974760673', mailAddress: { addressLine1: 'Gata 1', zipCode: '0150', city: 'Oslo', countryCode: 'NO' } }));
    await ok(http.get(`${base}/customers`));
    await ok(http.get(`${base}/customers/${customer.id}`));
    await ok(http.patch(`${base}/customers/${customer.id}`).send({ emailAddress: 'post@ola.no' }));
    const invoices: any[] = [];
    for (let i = 0; i < 6; i++) invoices.push(await ok(http.post(`${base}/invoices`).send({ customerId: customer.id, amount: 1000, invoiceDate: '2025-12-01', dueDate: '2025-12-15' })));
    await ok(http.get(`${base}/invoices`));
    await ok(http.get(`${base}/invoices/${invoices[0].id}`));
    await ok(http.get(`${base}/invoices/${invoices[0].id}/explain`));
    await ok(http.post(`${base}/credit-notes`).send({ invoiceId: invoices[5].id, amount: 100 }));
    await ok(http.post(`${base}/clock/advance`).send({ days: 40 }));
    await ok(http.get(`${base}/collection`));
    await ok(http.post(`${base}/collection/hold`).send({ invoiceIds: [invoices[4].id] }));
    await ok(http.post(`${base}/collection/release`).send({ invoiceIds: [invoices[4].id] }));
    await ok(http.post(`${base}/collection/remove`).send({ invoiceIds: [invoices[4].id] }));
    await ok(http.post(`${base}/collection/override`).send({ invoiceIds: [invoices[4].id] }));
    await ok(http.post(`${base}/collection/approve`).send({ all: true }));
    await ok(http.post(`${base}/snapshots`).send({ name: 'walk' }));
    await ok(http.get(`${base}/snapshots`));

    const basic = `Basic ${Buffer.from(`${integration.applicationKey}:${integration.clientKey}`).toString('base64')}`;
    // One token per host: v1 without the subscription key, v2 with it (both token operations walked).
    const v1Token = (await ok(http.post('/api.poweroffice.net/OAuth/Token').set('Authorization', basic).type('form').send({ grant_type: 'client_credentials' }))).access_token;
    const v2Token = (await ok(http.post('/goapi.poweroffice.net/OAuth/Token').set('Authorization', basic).set('Ocp-Apim-Subscription-Key', integration.subscriptionKey).type('form').send({ grant_type: 'client_credentials' }))).access_token;
    const as = (r: request.Test) => r.set('Authorization', `Bearer ${/\/v2\//.test(new URL(r.url).pathname) ? v2Token : v1Token}`).set('Ocp-Apim-Subscription-Key', integration.subscriptionKey);
    await ok(as(http.get('/DebtCollection/IsActiveDebtCollection')));
    await ok(as(http.get('/DebtCollection/Invoices/AvailableInvoices')));
    const c1 = (await ok(as(http.post('/DebtCollection')).send({ code: 'W-1', invoices: [invoices[0].id] }))).data;
    const c2 = (await ok(as(http.post('/DebtCollection')).send({ code: 'W-2' }))).data;
    await ok(as(http.post('/DebtCollection/AddInvoicesToCase')).send({ caseId: c2.id, invoiceIds: [invoices[1].id] }));
    await ok(as(http.post('/DebtCollection/MergeCases')).send({ caseNo: 'W-12', caseIds: [c1.id, c2.id] }));
    await ok(as(http.post('/DebtCollection/UpdateStatus')).send({ caseId: c1.id, statusText: 'Skyldner kontaktet' }));
    const c3 = (await ok(as(http.post('/DebtCollection')).send({ code: 'W-3', invoices: [invoices[2].id] }))).data;
    await ok(as(http.get('/DebtCollection')));
    await ok(as(http.get(`/DebtCollection/${c1.id}`)));
    await ok(as(http.delete(`/DebtCollection/${c3.id}`)));
    await ok(http.post(`${base}/payments`).send({ invoiceId: invoices[0].id, amount: 200 }));
    await ok(http.patch(`${base}/invoices/${invoices[3].id}`).send({ customMatchingReference: 'WALK-4' }));
    const writeOff = await ok(http.post(`${base}/write-offs`).send({ invoiceIds: [invoices[1].id] }));
    await ok(http.post(`${base}/write-offs/${writeOff.id}/reverse`).send({}));
    await ok(as(http.get(`/DebtCollection/MatchedItems/${invoices[0].id}`)));
    await ok(as(http.get('/DebtCollection/GetAllMatchedItems').query({ fromDateTime: '2026-01-01' })));
    await ok(as(http.get('/DebtCollection/GetAllMatchedItems/2026-01-01T00:00:00')));
    await ok(as(http.get(`/DebtCollection/GetInvoicePdf/${invoices[0].id}`)));
    await ok(as(http.get('/DebtCollection/GetInvoicePdf').query({ id: invoices[0].id })));

    const customers = await ok(as(http.get('/v2/Customers')));
    await ok(as(http.get(`/v2/Customers/${customer.id}`)));
    await ok(as(http.get('/v2/Customerledger/OpenItems').query({ date: '2026-02-14' })));
    await ok(as(http.get('/v2/OutgoingInvoices')));
    await ok(as(http.get(`/v2/OutgoingInvoices/${invoices[0].id}`)));
    const accounts = await ok(as(http.get('/v2/GeneralLedgerAccounts')));
    await ok(as(http.get('/v2/VatCodes')));
    const bank = accounts.find((a: any) => a.AccountNo === 1920).Id;
    const costs = accounts.find((a: any) => a.AccountNo === 7770).Id;
    await ok(
      as(http.post('/v2/Vouchers/BankJournals')).send({
        VoucherDate: '2026-02-14',
        CurrencyCode: 'NOK',
        ExternalImportReference: 'walk-1',
        VoucherLines: [
          { PostingDate: '2026-02-14', AccountId: customers[0].SubledgerAccountId, CurrencyAmount: -300, InvoiceNo: String(invoices[0].invoiceNo), VatId: null },
          { PostingDate: '2026-02-14', AccountId: bank, CurrencyAmount: 300, VatId: null },
        ],
      }),
    );
    const bankVoucher = await ok(
      as(http.post('/v2/Vouchers/BankJournals')).send({
        VoucherDate: '2026-02-14',
        CurrencyCode: 'NOK',
        VoucherLines: [
          { PostingDate: '2026-02-14', AccountId: customers[0].SubledgerAccountId, CurrencyAmount: -100, InvoiceNo: String(invoices[0].invoiceNo), VatId: null },
          { PostingDate: '2026-02-14', AccountId: bank, CurrencyAmount: 100, VatId: null },
        ],
      }),
    );
    await ok(as(http.get(`/v2/Vouchers/BankJournals/${bankVoucher.Id}`)));
    const prepayment = await ok(
      as(http.post('/v2/Vouchers/BankJournals')).send({
        VoucherDate: '2026-02-14',
        CurrencyCode: 'NOK',
        VoucherLines: [
          { PostingDate: '2026-02-14', AccountId: customers[0].SubledgerAccountId, CurrencyAmount: -75, InvoiceNo: '99999', CustomMatchingReference: 'walk-ref', VatId: null },
          { PostingDate: '2026-02-14', AccountId: bank, CurrencyAmount: 75, VatId: null },
        ],
      }),
    );
    await ok(http.get(`${base}/ledger/items/${prepayment.VoucherLines[0].Id}/explain`));
    await ok(as(http.get(`/v2/OutgoingInvoices/${invoices[0].id}/Lines`)));
    await ok(as(http.get('/v2/Customerledger/CustomerBalances').query({ date: '2026-02-14' })));
    await ok(as(http.get('/v2/ClientIntegrationInformation')));
    await ok(as(http.post('/v2/JournalEntryVouchers/ManualJournals')).send({ VoucherDate: '2026-02-14', CurrencyCode: 'NOK', ManualVoucherLines: [{ DebitAccountId: costs, CreditAccountId: bank, CurrencyAmount: 50 }] }));
    await ok(as(http.post('/v2/JournalEntryVouchers/ManualJournals')).send({ VoucherDate: '2026-02-14', CurrencyCode: 'NOK', ManualVoucherLines: [{ DebitAccountId: costs, CreditAccountId: bank, CurrencyAmount: 60 }] }));
    const drafts = (await ok(http.get(`${base}/voucher-reception`))).drafts;
    await ok(http.post(`${base}/voucher-reception/${drafts[0].id}/approve`));
    await ok(http.post(`${base}/voucher-reception/${drafts[1].id}/reject`));
    await ok(as(http.get('/v2/Customerledger/Statement').query({ fromDate: '2025-12-01', toDate: '2026-02-14' })));
    await ok(as(http.get('/v2/JournalEntryVouchers')));
    await ok(as(http.get(`/v2/JournalEntryVouchers/ManualJournals/${drafts[0].id}`)));
    const waiting = await ok(as(http.post('/v2/JournalEntryVouchers/ManualJournals')).send({ VoucherDate: '2026-02-14', CurrencyCode: 'NOK', ManualVoucherLines: [{ DebitAccountId: costs, CreditAccountId: bank, CurrencyAmount: 70 }] }));
    await ok(as(http.post(`/v2/JournalEntryVouchers/${waiting.Id}/VoucherPages`)).attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), { filename: 'oppgjor.pdf', contentType: 'application/pdf' }));
    await ok(as(http.delete(`/v2/JournalEntryVouchers/${waiting.Id}`)));
    await ok(as(http.post(`/v2/Vouchers/Reverse/${bankVoucher.Id}`)));
    await ok(as(http.get('/OutgoingInvoice/List')));
    await ok(as(http.get(`/OutgoingInvoice/${invoices[0].id}`)));

    await ok(http.get(`${base}/vouchers`));
    await ok(http.get(`${base}/ledger/check`));
    await ok(http.get(`${base}/events`));
    await ok(http.get(`${base}/requests`));
    await ok(http.get('/health'));
    await ok(http.get(`/_sandbox/inspector/clients/${client.id}/changes`));
    const inspected = await ok(http.get(`/_sandbox/inspector/clients/${client.id}`).query({ invoice: invoices[0].id }));
    await ok(http.get(`/_sandbox/inspector/clients/${client.id}/requests/${inspected.requests[0].seq}`));
    const fault = await ok(http.post(`${base}/faults`).send({ effect: { latencyMs: 1 } }));
    await ok(http.get(`${base}/faults`));
    await ok(http.delete(`${base}/faults/${fault.id}`));
    await ok(http.delete(`${base}/faults`));
    await ok(http.post(`${base}/tokens/revoke`));
    await ok(http.post(`${base}/seed`).send({ customers: 2, invoices: 3 }));
    await ok(http.post(`${base}/snapshots/walk/restore`));
    await ok(http.delete(`${base}/snapshots/walk`));
    const exported = await ok(http.get(`${base}/export`));
    await ok(http.post('/_sandbox/clients/import').send({ export: exported, id: 'walk-copy' }));
    await ok(http.post('/_sandbox/clients').send({ id: 'walk-scenario', scenario: 'overdue-no-reminders' }));
    await ok(http.post('/_sandbox/clients/walk-scenario/scenarios/overdue-no-reminders/run').send({}));
    await ok(http.delete('/_sandbox/clients/walk-copy'));
    await ok(http.delete('/_sandbox/clients?prefix=walk-scen'));
    await ok(http.post('/_sandbox/pact/state').send({ state: 'a debt-collection integration', params: {}, action: 'setup' }));

    const missing = documentedRoutes()
      .map((o) => o.operationId)
      .filter((id) => !answered.get(id)?.some((s) => s >= 200 && s < 300));
    expect(missing).toEqual([]);
    const failures = [...answered].filter(([, statuses]) => statuses.some((s) => s >= 500));
    expect(failures).toEqual([]);
  });
});
