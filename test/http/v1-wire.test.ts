/**
 * The v1 wire as the vendor answers it, and the client settings that switch back to the sandbox's older forms:
 * failures HTTP 200 with only the validation keys that have a value, X-Sandbox-Detail and the journal's `detail`,
 * v1ErrorStatuses 'http', UpdateStatus without isCaseClosed, the DELETE body, and defaults for worlds stored before
 * these settings existed.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agency, newClient, newCustomer, testSandbox, worldText, type ClientFixture, type TestSandbox } from '../harness.js';
import { approvedInvoice, expectV1Failure, openCase, putSettings } from './helpers-rules.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await testSandbox();
});
afterAll(() => t.close());

async function clientWithCase(name: string) {
  const client: ClientFixture = await newClient(t, { name });
  const customer = await newCustomer(t, client.id);
  const [i1, i2] = [await approvedInvoice(t, client, { customerId: customer.id }), await approvedInvoice(t, client, { customerId: customer.id })];
  const a = await agency(t, client.integration);
  const kase = await openCase(a, 'K-1', [i1.id]);
  return { client, customer, i1, i2, a, kase };
}

describe('failures the vendor way (default)', () => {
  it('HTTP 200, success false, exactly errorLogReference/summary/exception; the detail in X-Sandbox-Detail and the journal', async () => {
    const { client, a, kase } = await clientWithCase('Vendor Wire AS');
    const res = await a.post('/DebtCollection/AddInvoicesToCase', { caseId: kase.id, invoiceIds: [kase.invoices[0].id] });
    const detail = expectV1Failure(res, 409, 'invoiceIds[0]', 'Go');
    // Nulls are left out, not sent as null ("All properties with value (not NULL) will always be returned").
    expect(JSON.stringify(res.body)).not.toContain('null');
    expect(res.body.validation.errorLogReference).toBe(res.headers['x-request-id']);
    expect(detail).toEqual({ httpStatus: 409, kind: 'conflict', exception: 'Go', fields: { 'invoiceIds[0]': expect.stringMatching(/already in case K-1/) }, currentState: 'Exported', allowed: ['Approved'] });

    const journal = (await t.http.get(`/_sandbox/clients/${client.id}/requests`)).body.requests;
    const entry = journal.findLast((e: any) => e.operationId === 'addInvoicesToCase');
    expect(entry).toMatchObject({ method: 'POST', path: '/DebtCollection/AddInvoicesToCase', status: 200, operationId: 'addInvoicesToCase', detail });
    expect(entry.problem).toMatch(/already in case K-1/);
    // A request that succeeded carries no detail.
    expect(journal.find((e: any) => e.operationId === 'createCase' && e.status === 200)).not.toHaveProperty('detail');
  });

  it('X-Sandbox-Detail is ASCII: Norwegian letters travel escaped and read back as written', async () => {
    const { a, i2 } = await clientWithCase('Byrå Detalj AS');
    await openCase(a, 'SAK-ÆØÅ', [i2.id]);
    const res = await a.post('/DebtCollection', { code: 'SAK-ÆØÅ' });
    const raw = res.headers['x-sandbox-detail']!;
    expect(raw).toMatch(/^[\x20-\x7e]+$/);
    expect(raw).toContain('\\u00c6');
    const detail = expectV1Failure(res, 409, 'code', 'ApiUniqueConstraint');
    expect(detail.fields.code).toContain('SAK-ÆØÅ');
  });

  it('a refusal by state where the vendor documents a SecurityException (no new cases) is Security, HTTP 200', async () => {
    const client = await newClient(t, { name: 'Ingen Nye AS', integrations: [{ name: 'Ny byrå AS', canCreateNewCases: false }] });
    const a = await agency(t, client.integration);
    expect((await a.get('/DebtCollection/IsActiveDebtCollection')).body).toEqual({ data: false, success: true });
    const detail = expectV1Failure(await a.get('/DebtCollection/Invoices/AvailableInvoices'), 403, undefined, 'Security');
    expect(detail.kind).toBe('forbidden');
    expect(detail).not.toHaveProperty('privilege');
  });

  it('duplicates are ApiUniqueConstraint; an unbindable body ArgumentNull; OData errors OData; the rest Go', async () => {
    const { a, kase } = await clientWithCase('Exceptions AS');
    expectV1Failure(await a.post('/DebtCollection', { code: 'K-1' }), 409, 'code', 'ApiUniqueConstraint');
    expectV1Failure(await a.post('/DebtCollection/UpdateStatus').set('Content-Type', 'application/json').send(''), 400, '(body)', 'ArgumentNull');
    expectV1Failure(await a.get('/DebtCollection').query({ $filter: 'Nope eq 1' }), 400, '$filter', 'OData');
    expectV1Failure(await a.post('/DebtCollection/UpdateStatus', { caseId: kase.id, statusText: '' }), 400, 'statusText', 'Go');
    expectV1Failure(await a.get('/DebtCollection/00000000-0000-4000-8000-000000000000'), 404, 'id', 'Go');
    // A case without a code: the summary the vendor was seen to send (PowerOffice/go-api issue #2), exception Go.
    for (const body of [{ balanceAgency: 100 }, { code: '' }, { code: '   ' }]) {
      const res = await a.post('/DebtCollection', body);
      expectV1Failure(res, 400, 'code', 'Go');
      expect(res.body.validation.summary, JSON.stringify(body)).toBe('Debt collection case code must be provided.');
    }
  });

  it('401 keeps its status and ASP.NET body', async () => {
    const res = await t.http.get('/DebtCollection').set('Authorization', 'Bearer not-a-token');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ Message: 'Authorization has been denied for this request.' });
  });
});

describe("v1ErrorStatuses 'http': the sandbox's older statuses and full validation object", () => {
  it('409/404/400/403 with exceptionDetails and fields; back to HTTP 200 with vendor', async () => {
    const { client, a, kase } = await clientWithCase('Http Statuses AS');
    expect((await putSettings(t, client.id, { v1ErrorStatuses: 'http' })).v1ErrorStatuses).toBe('http');
    const before = await worldText(t, client.id);
    const conflict = await a.post('/DebtCollection/AddInvoicesToCase', { caseId: kase.id, invoiceIds: [kase.invoices[0].id] });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({
      success: false,
      validation: {
        errorLogReference: expect.any(String),
        summary: expect.stringMatching(/already in case K-1/),
        exception: 'Go',
        exceptionDetails: 'current state: Exported; allowed from: Approved',
        fields: { 'invoiceIds[0]': expect.any(String) },
        batchItemErrors: [],
      },
    });
    expect(JSON.parse(conflict.headers['x-sandbox-detail']!).httpStatus).toBe(409);
    expect((await a.get('/DebtCollection/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const invalid = await a.post('/DebtCollection/UpdateStatus', { caseId: kase.id, statusText: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.validation.fields).toHaveProperty('statusText');
    const duplicate = await a.post('/DebtCollection', { code: 'K-1' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.validation.exception).toBe('ApiUniqueConstraint');
    expect(await worldText(t, client.id)).toBe(before);
    await t.http.patch(`/_sandbox/clients/${client.id}/integrations/${client.integration.id}`).send({ canCreateNewCases: false }).expect(200);
    const security = await a.get('/DebtCollection/Invoices/AvailableInvoices');
    expect(security.status).toBe(403);
    expect(security.body.validation.exception).toBe('Security');
    await t.http.patch(`/_sandbox/clients/${client.id}/integrations/${client.integration.id}`).send({ canCreateNewCases: true }).expect(200);

    await putSettings(t, client.id, { v1ErrorStatuses: 'vendor' });
    expectV1Failure(await a.get('/DebtCollection/00000000-0000-4000-8000-000000000000'), 404, 'id', 'Go');
  });
});

describe('UpdateStatus without isCaseClosed', () => {
  it('keeps (or makes) the case Active by default, whatever the statusText; v1StatusTextCloses lets "Closed" close it', async () => {
    const { client, a, kase } = await clientWithCase('Status Text AS');
    // The vendor documents: "by default set the status of a debt collection case to Active".
    const plain = await a.post('/DebtCollection/UpdateStatus', { caseId: kase.id, statusText: 'Closed' });
    expect(plain.body).toMatchObject({ success: true, data: { status: 0 } });

    await putSettings(t, client.id, { v1StatusTextCloses: true });
    const closed = await a.post('/DebtCollection/UpdateStatus', { caseId: kase.id, statusText: 'Closed' });
    expect(closed.body.data.status).toBe(10);
    const other = await a.post('/DebtCollection/UpdateStatus', { caseId: kase.id, statusText: 'Debitor betaler avdrag' });
    expect(other.body.data.status).toBe(0);
    // The flag still wins when it is sent.
    const flagged = await a.post('/DebtCollection/UpdateStatus', { caseId: kase.id, statusText: 'Closed', isCaseClosed: false });
    expect(flagged.body.data.status).toBe(0);
  });
});

describe('DELETE /DebtCollection/{id}', () => {
  it("answers the documented nested Success object; {data: true} with v1DeleteBody 'boolean'", async () => {
    const { client, i2, a, kase } = await clientWithCase('Delete Body AS');
    const del = await a.delete(`/DebtCollection/${kase.id}`);
    expect(del.body).toEqual({ data: { success: true }, success: true });
    await putSettings(t, client.id, { v1DeleteBody: 'boolean' });
    const other = await openCase(a, 'K-2', [i2.id]);
    expect((await a.delete(`/DebtCollection/${other.id}`)).body).toEqual({ data: true, success: true });
  });
});

describe('MergeCases: which id the merged case has', () => {
  it("keeps the first case's id by default; a new id with v1MergeCasesId 'new', the old ids gone", async () => {
    const { client, customer, a, kase } = await clientWithCase('Merge Id AS');
    const [i3, i4] = [await approvedInvoice(t, client, { customerId: customer.id }), await approvedInvoice(t, client, { customerId: customer.id })];
    const second = await openCase(a, 'K-2', [i3.id]);
    const kept = await a.post('/DebtCollection/MergeCases', { caseNo: 'K-12', caseIds: [kase.id, second.id] });
    expect(kept.body).toMatchObject({ success: true, data: { id: kase.id, code: 'K-12' } });

    await putSettings(t, client.id, { v1MergeCasesId: 'new' });
    const third = await openCase(a, 'K-3', [i4.id]);
    const merged = await a.post('/DebtCollection/MergeCases', { caseNo: 'K-123', caseIds: [kase.id, third.id], newId: false });
    const id = merged.body.data.id;
    expect(merged.body).toMatchObject({ success: true, data: { code: 'K-123', status: 0 } });
    expect([kase.id, third.id]).not.toContain(id);
    expect(merged.body.data.invoices).toHaveLength(3);
    expect((await a.get(`/DebtCollection/${id}`)).body.data.code).toBe('K-123');
    expectV1Failure(await a.get(`/DebtCollection/${kase.id}`), 404, 'id');
    expectV1Failure(await a.get(`/DebtCollection/${third.id}`), 404, 'id');
    const inv = (await t.http.get(`/_sandbox/clients/${client.id}/invoices/${i4.id}`)).body;
    expect(inv).toMatchObject({ caseId: id, caseCode: 'K-123', status: 'Exported' });
  });
});

describe('worlds stored before these settings', () => {
  it('an export without the new settings imports with their defaults', async () => {
    const { client } = await clientWithCase('Old World AS');
    const file = (await t.http.get(`/_sandbox/clients/${client.id}/export`)).body;
    for (const k of ['v1ErrorStatuses', 'v1StatusTextCloses', 'v1DeleteBody', 'v1MergeCasesId']) delete file.world.settings[k];
    file.checksum = createHash('sha256').update(JSON.stringify(file.world)).digest('hex');
    const imported = await t.http.post('/_sandbox/clients/import').send({ export: file, id: 'old-world-import' });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const settings = (await t.http.get('/_sandbox/clients/old-world-import/settings')).body;
    expect(settings).toMatchObject({ v1ErrorStatuses: 'vendor', v1StatusTextCloses: false, v1DeleteBody: 'vendor', v1MergeCasesId: 'first', enumFormat: 'numbers' });
  });
});

describe("the vendor's older forms: GET …?options= and POST …?request=", () => {
  it('?options= carries the OData query (encoded as one parameter, or a bare $filter) on the case list and AvailableInvoices', async () => {
    const { a, i2, kase } = await clientWithCase('Options AS');
    const byOptions = await a.get('/DebtCollection').query({ options: `$filter=Code eq 'K-1'&$top=5` });
    expect(byOptions.body).toMatchObject({ success: true, count: 1, data: [{ id: kase.id }] });
    expect((await a.get('/DebtCollection').query({ options: "Code eq 'nope'" })).body).toEqual({ data: [], count: 0, success: true });
    const available = await a.get('/DebtCollection/Invoices/AvailableInvoices').query({ options: `$filter=InvoiceNo eq ${i2.invoiceNo}` });
    expect(available.body.data.map((i: any) => i.id)).toEqual([i2.id]);
    // A $-parameter sent directly wins over the same one inside options.
    const both = await a.get('/DebtCollection/Invoices/AvailableInvoices').query({ options: '$top=0', $top: 5 });
    expect(both.body.data).toHaveLength(1);
    expectV1Failure(await a.get('/DebtCollection').query({ options: '$select=Code' }), 400, 'options', 'OData');
    expectV1Failure(await a.get('/DebtCollection').query({ options: '$top=-1' }), 400, 'options', 'OData');
    expectV1Failure(await a.get('/DebtCollection').query({ options: '$filter=Nope eq 1' }), 400, '$filter', 'OData');
  });

  it('?request= carries the JSON request of AddInvoicesToCase, UpdateStatus and MergeCases when the body is empty', async () => {
    const { a, i2, kase } = await clientWithCase('Request Form AS');
    const added = await a.post(`/DebtCollection/AddInvoicesToCase?request=${encodeURIComponent(JSON.stringify({ caseId: kase.id, invoiceIds: [i2.id] }))}`);
    expect(added.body, JSON.stringify(added.body)).toMatchObject({ success: true, data: { id: kase.id } });
    expect(added.body.data.invoices).toHaveLength(2);
    // Bound case-insensitively, as the body is.
    const status = await a.post(`/DebtCollection/UpdateStatus?Request=${encodeURIComponent(JSON.stringify({ CaseId: kase.id, StatusText: 'Avtale om nedbetaling', UpdatedBalanceAgency: 1500 }))}`);
    expect(status.body).toMatchObject({ success: true, data: { status: 0, balanceAgency: 1500 } });
    const second = await openCase(a, 'K-2', []);
    const merged = await a.post(`/DebtCollection/MergeCases?request=${encodeURIComponent(JSON.stringify({ caseNo: 'K-12', caseIds: [kase.id, second.id] }))}`);
    expect(merged.body).toMatchObject({ success: true, data: { id: kase.id, code: 'K-12' } });

    expectV1Failure(await a.post('/DebtCollection/UpdateStatus?request=%7Bnot-json'), 400, 'request', 'ArgumentNull');
    expectV1Failure(await a.post(`/DebtCollection/UpdateStatus?request=${encodeURIComponent(JSON.stringify({ caseId: kase.id }))}`), 400, 'statusText', 'Go');
    expectV1Failure(await a.post('/DebtCollection/UpdateStatus'), 400, '(body)', 'ArgumentNull');
  });
});
