/**
 * The v1 DebtCollection face in detail: envelope, OData ($filter/$orderby/$skip/$top), case-insensitive bodies,
 * enum format, the invoice PDF, the /Demo prefix, GetAllMatchedItems by time, and the lastReminder* fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { pdfText } from '../pdf-text.js';
import type request from 'supertest';
import { advance, agency, invoice, newClient, newCustomer, newInvoice, testSandbox, worldText, type ClientFixture, type TestSandbox } from '../harness.js';

type Agency = Awaited<ReturnType<typeof agency>>;

let t: TestSandbox;
beforeAll(async () => {
  t = await testSandbox();
});
afterAll(() => t.close());

async function approve(clientId: string, invoiceIds: string[]) {
  const res = await t.http.post(`/_sandbox/clients/${clientId}/collection/approve`).send({ invoiceIds });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function settings(clientId: string, body: Record<string, unknown>) {
  const res = await t.http.put(`/_sandbox/clients/${clientId}/settings`).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/**
 * A v1 business failure as the vendor answers it: HTTP 200, success false, a validation object with only the keys
 * that have a value. The sandbox's detail (the status the 'http' setting would give, the fields) is in X-Sandbox-Detail.
 */
function expectV1Failure(res: { status: number; body: any; headers: Record<string, string> }, httpStatus: number, exception?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.success).toBe(false);
  expect(Object.keys(res.body.validation).sort()).toEqual(['errorLogReference', 'exception', 'summary']);
  expect(res.body.validation).toMatchObject({ errorLogReference: expect.any(String), summary: expect.any(String), exception: expect.any(String) });
  if (exception) expect(res.body.validation.exception).toBe(exception);
  const detail = JSON.parse(res.headers['x-sandbox-detail']!);
  expect(detail.httpStatus, res.headers['x-sandbox-detail']).toBe(httpStatus);
  return detail;
}

/**
 * Five approved invoices of two customers:
 *   no     customer  due         amount  approved (lastChanged)
 *   10001  C1 10001  2025-12-20    500   2026-02-10 08:00 local
 *   10002  C1 10001  2026-01-01   1500   2026-02-10 08:00
 *   10003  C2 10002  2026-01-04   1500   2026-02-12 08:00
 *   10004  C2 10002  2026-01-05   2500   2026-02-12 08:00
 *   10005  C1 10001  2026-01-10    750   2026-02-12 08:00
 */
async function fiveApproved(name: string) {
  const client = await newClient(t, { name, startDate: '2026-01-05' });
  const c1 = await newCustomer(t, client.id, { name: 'Kunde En AS', emailAddress: 'en@kunde.no' });
  const c2 = await newCustomer(t, client.id, { name: 'Kunde To AS' });
  const spec: Array<[any, string, number]> = [
    [c1, '2025-12-20', 500],
    [c1, '2026-01-01', 1500],
    [c2, '2026-01-04', 1500],
    [c2, '2026-01-05', 2500],
    [c1, '2026-01-10', 750],
  ];
  const inv: any[] = [];
  for (const [customer, dueDate, amount] of spec) inv.push(await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate, amount }));
  await advance(t, client.id, { to: '2026-02-10' });
  for (const i of inv) expect((await invoice(t, client.id, i.id)).status).toBe('Draft');
  await approve(client.id, [inv[0].id, inv[1].id]);
  await advance(t, client.id, { to: '2026-02-12' });
  await approve(client.id, [inv[2].id, inv[3].id, inv[4].id]);
  return { client, c1, c2, inv, no: inv.map((i) => i.invoiceNo as number) };
}

describe('envelope', () => {
  it('a list is {data, count, success}; one object is {data, success}', async () => {
    const { client, inv } = await fiveApproved('Envelope AS');
    const a = await agency(t, client.integration);
    const list = await a.get('/DebtCollection/Invoices/AvailableInvoices');
    expect(list.status).toBe(200);
    expect(list.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(list.body).sort()).toEqual(['count', 'data', 'success']);
    expect(list.body.success).toBe(true);
    expect(list.body.count).toBe(5);
    expect(list.body.data).toHaveLength(5);

    const created = await a.post('/DebtCollection', { code: 'ENV-1', invoices: [inv[0].id] });
    expect(Object.keys(created.body).sort()).toEqual(['data', 'success']);
    const one = await a.get(`/DebtCollection/${created.body.data.id}`);
    expect(Object.keys(one.body).sort()).toEqual(['data', 'success']);
    expect(one.body.data).toEqual(created.body.data);
    const active = await a.get('/DebtCollection/IsActiveDebtCollection');
    expect(active.body).toEqual({ data: true, success: true });
    const cases = await a.get('/DebtCollection');
    expect(cases.body).toEqual({ data: [created.body.data], count: 1, success: true });
  });

  it('invoice and case carry every documented field', async () => {
    const { client, inv, c1 } = await fiveApproved('Fields AS');
    const a = await agency(t, client.integration);
    const created = await a.post('/DebtCollection', { code: 'F-1', invoices: [inv[1].id], externalCaseUrl: 'https://agency.example/cases/F-1', balanceAgency: 1500 });
    expect(created.status).toBe(200);
    const k = created.body.data;
    expect(Object.keys(k).sort()).toEqual(['balanceAgency', 'code', 'externalCaseUrl', 'id', 'invoiceLastChanged', 'invoices', 'lastChanged', 'status'].sort());
    expect(k).toMatchObject({ code: 'F-1', status: 0, externalCaseUrl: 'https://agency.example/cases/F-1', balanceAgency: 1500 });
    const i = k.invoices[0];
    expect(Object.keys(i).sort()).toEqual(
      [
        'id', 'customerCode', 'invoiceDate', 'invoiceNo', 'dueDate', 'originalAmount', 'remainingAmount', 'currencyCode', 'cid', 'lastChanged',
        'lastReminderSentDate', 'lastReminderDueDate', 'lastReminderVoucherType', 'lastReminderEmailAddress', 'invoiceEmailAddress',
        'externalImportReference', 'originalPostedAmount',
      ].sort(),
    );
    expect(i).toMatchObject({
      id: inv[1].id,
      customerCode: c1.number,
      invoiceNo: inv[1].invoiceNo,
      invoiceDate: '2025-12-01T00:00:00',
      dueDate: '2026-01-01T00:00:00',
      originalAmount: 1500,
      remainingAmount: 1500,
      originalPostedAmount: 1500,
      currencyCode: 'NOK',
      cid: inv[1].cid,
    });
  });
});

describe('OData on AvailableInvoices', () => {
  let a: Agency;
  let no: number[];
  const path = '/DebtCollection/Invoices/AvailableInvoices';
  const nos = (res: request.Response) => res.body.data.map((i: any) => i.invoiceNo);
  const filter = async (f: string) => {
    const res = await a.get(path).query({ $filter: f });
    expect(res.status, `${f}: ${JSON.stringify(res.body)}`).toBe(200);
    expect(res.body.count, f).toBe(res.body.data.length);
    return nos(res);
  };

  beforeAll(async () => {
    const fx = await fiveApproved('OData Invoices AS');
    no = fx.no;
    expect(no).toEqual([10001, 10002, 10003, 10004, 10005]);
    a = await agency(t, fx.client.integration);
  });

  it('eq and ne, with PascalCase and camelCase field names', async () => {
    expect(await filter('InvoiceNo eq 10002')).toEqual([10002]);
    expect(await filter('invoiceNo eq 10002')).toEqual([10002]);
    expect(await filter('INVOICENO eq 10002')).toEqual([10002]);
    expect(await filter('InvoiceNo ne 10002')).toEqual([10001, 10003, 10004, 10005]);
    expect(await filter("CurrencyCode eq 'NOK'")).toEqual([10001, 10002, 10003, 10004, 10005]);
    expect(await filter("currencyCode ne 'NOK'")).toEqual([]);
  });

  it('gt, ge, lt, le on numbers', async () => {
    expect(await filter('OriginalAmount gt 1500')).toEqual([10004]);
    expect(await filter('OriginalAmount ge 1500')).toEqual([10002, 10003, 10004]);
    expect(await filter('OriginalAmount lt 750')).toEqual([10001]);
    expect(await filter('originalAmount le 750')).toEqual([10001, 10005]);
  });

  it('and, or, not and parentheses', async () => {
    expect(await filter('CustomerCode eq 10001 and OriginalAmount ge 1000')).toEqual([10002]);
    expect(await filter('InvoiceNo eq 10001 or InvoiceNo eq 10005')).toEqual([10001, 10005]);
    expect(await filter('not (CustomerCode eq 10001)')).toEqual([10003, 10004]);
    // Parentheses change the meaning: 'and' binds tighter than 'or'.
    expect(await filter('InvoiceNo eq 10001 or InvoiceNo eq 10003 and CustomerCode eq 10002')).toEqual([10001, 10003]);
    expect(await filter('(InvoiceNo eq 10001 or InvoiceNo eq 10003) and CustomerCode eq 10002')).toEqual([10003]);
    expect(await filter('not ((InvoiceNo eq 10001 or InvoiceNo eq 10002) and OriginalAmount lt 1000)')).toEqual([10002, 10003, 10004, 10005]);
    expect(await filter('(not (CustomerCode eq 10001)) and OriginalAmount gt 2000')).toEqual([10004]);
  });

  it('not binds tighter than and / or (OData operator precedence: unary before and, and before or)', async () => {
    // (not (I1 or I2)) and (amount < 1000 or amount > 2000) -> I4 (2500), I5 (750)
    expect(await filter('not (InvoiceNo eq 10001 or InvoiceNo eq 10002) and (OriginalAmount lt 1000 or OriginalAmount gt 2000)')).toEqual([10004, 10005]);
    // (not C1) and amount > 2000 -> I4
    expect(await filter('not (CustomerCode eq 10001) and OriginalAmount gt 2000')).toEqual([10004]);
    // (not I1) or I1 -> everything
    expect(await filter('not (InvoiceNo eq 10001) or InvoiceNo eq 10001')).toEqual([10001, 10002, 10003, 10004, 10005]);
  });

  it('dates: DueDate against a bare date, and the vendor DateTime literal', async () => {
    expect(await filter('DueDate lt 2026-01-05')).toEqual([10001, 10002, 10003]);
    expect(await filter('dueDate ge 2026-01-05')).toEqual([10004, 10005]);
    expect(await filter('DueDate eq 2026-01-04')).toEqual([10003]);
    expect(await filter("DueDate lt DateTime'2026-01-05'")).toEqual([10001, 10002, 10003]);
  });

  it("the vendor's OData v3 DateTime literal with a time, DateTime'2026-01-05T00:00:00'", async () => {
    expect(await filter("DueDate lt DateTime'2026-01-05T00:00:00'")).toEqual([10001, 10002, 10003]);
    expect(await filter("LastChanged ge DateTime'2026-02-11T00:00:00'")).toEqual([10003, 10004, 10005]);
  });

  it('LastChanged against instants with Z or an offset, and the DateTime form', async () => {
    expect(await filter('LastChanged ge 2026-01-01T00:00:00Z')).toEqual([10001, 10002, 10003, 10004, 10005]);
    expect(await filter('LastChanged ge 2026-02-11T00:00:00Z')).toEqual([10003, 10004, 10005]);
    expect(await filter('LastChanged lt 2026-02-11T00:00:00+01:00')).toEqual([10001, 10002]);
    // 08:00 local on 2026-02-10 is 07:00Z: ge includes it, gt excludes it.
    expect(await filter('LastChanged ge 2026-02-10T07:00:00Z')).toEqual([10001, 10002, 10003, 10004, 10005]);
    expect(await filter('LastChanged gt 2026-02-12T07:00:00Z')).toEqual([]);
    expect(await filter("LastChanged ge DateTime'2026-02-11'")).toEqual([10003, 10004, 10005]);
  });

  it('$orderby asc/desc on two fields', async () => {
    const order = async (o: string) => nos(await a.get(path).query({ $orderby: o }));
    expect(await order('CustomerCode asc,OriginalAmount desc')).toEqual([10002, 10005, 10001, 10004, 10003]);
    expect(await order('OriginalAmount desc, InvoiceNo asc')).toEqual([10004, 10002, 10003, 10005, 10001]);
    expect(await order('originalAmount desc,invoiceNo desc')).toEqual([10004, 10003, 10002, 10005, 10001]);
    expect(await order('DueDate desc')).toEqual([10005, 10004, 10003, 10002, 10001]);
    expect(await order('InvoiceNo')).toEqual([10001, 10002, 10003, 10004, 10005]);
  });

  it('$skip and $top page the result; count is the total before paging', async () => {
    const page = await a.get(path).query({ $orderby: 'InvoiceNo asc', $skip: 1, $top: 2 });
    expect(nos(page)).toEqual([10002, 10003]);
    expect(page.body.count).toBe(5);
    const filtered = await a.get(path).query({ $filter: 'CustomerCode eq 10001', $orderby: 'InvoiceNo desc', $skip: 1, $top: 1 });
    expect(nos(filtered)).toEqual([10002]);
    expect(filtered.body.count).toBe(3);
    const none = await a.get(path).query({ $top: 0 });
    expect(none.body).toEqual({ data: [], count: 5, success: true });
    const beyond = await a.get(path).query({ $skip: 10 });
    expect(beyond.body).toEqual({ data: [], count: 5, success: true });
  });

  it('an unknown field in $filter is an OData v1 failure (HTTP 200) naming $filter', async () => {
    const res = await a.get(path).query({ $filter: 'NoSuchField eq 1' });
    const resDetail = expectV1Failure(res, 400, 'OData');
    expect(resDetail.fields).toHaveProperty('$filter');
    expect(res.body.validation.summary).toContain('$filter');
    expect(res.body.validation.summary).toContain('NoSuchField');
  });

  it('a $filter syntax error is an OData v1 failure naming $filter', async () => {
    for (const f of ['InvoiceNo eq', 'InvoiceNo eq 10001 and', '(InvoiceNo eq 10001', 'InvoiceNo equals 10001']) {
      const res = await a.get(path).query({ $filter: f });
      const resDetail = expectV1Failure(res, 400, 'OData');
      expect(resDetail.fields, f).toHaveProperty('$filter');
      expect(res.body.validation.summary, f).toContain('$filter');
    }
  });

  it('a bad $orderby or $top is an OData v1 failure naming it', async () => {
    const order = await a.get(path).query({ $orderby: 'InvoiceNo sideways' });
    const orderDetail = expectV1Failure(order, 400, 'OData');
    expect(orderDetail.fields).toHaveProperty('$orderby');
    const unknown = await a.get(path).query({ $orderby: 'NoSuchField' });
    expectV1Failure(unknown, 400, 'OData');
    const top = await a.get(path).query({ $top: -1 });
    expect(Object.keys(expectV1Failure(top, 400, 'OData').fields).join(' ')).toContain('$top');
  });
});

describe('OData on GET /DebtCollection', () => {
  let a: Agency;
  const codes = (res: request.Response) => res.body.data.map((c: any) => c.code);

  beforeAll(async () => {
    const { client, inv } = await fiveApproved('OData Cases AS');
    a = await agency(t, client.integration);
    for (const [code, invoiceIds] of [
      ['K-100', [inv[0].id]],
      ['X-300', [inv[2].id]],
      ['K-200', [inv[3].id]],
    ] as const) {
      const res = await a.post('/DebtCollection', { code, invoices: invoiceIds });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    await advance(t, client.id, { days: 1 });
    a = await agency(t, client.integration); // the old token expired with the clock
    const cases = (await a.get('/DebtCollection')).body.data;
    const x = cases.find((c: any) => c.code === 'X-300');
    expect((await a.post('/DebtCollection/UpdateStatus', { caseId: x.id, statusText: 'Betalt', isCaseClosed: true, updatedBalanceAgency: 0 })).status).toBe(200);
  });

  it('startswith(Code, ...) and its negation', async () => {
    const res = await a.get('/DebtCollection').query({ $filter: "startswith(Code,'K-')" });
    expect(res.status).toBe(200);
    expect(codes(res)).toEqual(['K-100', 'K-200']);
    expect(res.body.count).toBe(2);
    expect(codes(await a.get('/DebtCollection').query({ $filter: "startswith(code,'K-') eq true" }))).toEqual(['K-100', 'K-200']);
    expect(codes(await a.get('/DebtCollection').query({ $filter: "not startswith(Code,'K-')" }))).toEqual(['X-300']);
    expect(codes(await a.get('/DebtCollection').query({ $filter: "startswith(Code,'K-') and Code ne 'K-100'" }))).toEqual(['K-200']);
  });

  it('filters on status and lastChanged, orders by code', async () => {
    expect(codes(await a.get('/DebtCollection').query({ $filter: 'Status eq 10' }))).toEqual(['X-300']);
    expect(codes(await a.get('/DebtCollection').query({ $filter: 'status eq 0', $orderby: 'Code desc' }))).toEqual(['K-200', 'K-100']);
    expect(codes(await a.get('/DebtCollection').query({ $filter: 'LastChanged gt 2026-02-12T12:00:00Z' }))).toEqual(['X-300']);
    expect(codes(await a.get('/DebtCollection').query({ $orderby: 'Status desc,Code asc' }))).toEqual(['X-300', 'K-100', 'K-200']);
  });

  it('pages cases with count before paging', async () => {
    const res = await a.get('/DebtCollection').query({ $orderby: 'Code asc', $skip: 1, $top: 1 });
    expect(codes(res)).toEqual(['K-200']);
    expect(res.body.count).toBe(3);
  });

  it('an unknown field is an OData failure naming $filter', async () => {
    const res = await a.get('/DebtCollection').query({ $filter: "CaseNumber eq 'K-100'" });
    const resDetail = expectV1Failure(res, 400);
    expect(resDetail.fields).toHaveProperty('$filter');
  });
});

describe('case-insensitive request bodies', () => {
  it('PascalCase bodies work like camelCase on POST, AddInvoicesToCase and UpdateStatus', async () => {
    const { client, inv } = await fiveApproved('Casing AS');
    const a = await agency(t, client.integration);
    const created = await a.post('/DebtCollection', { Code: 'P-1', Invoices: [inv[0].id], ExternalCaseUrl: 'https://agency.example/P-1', BalanceAgency: 500 });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.data).toMatchObject({ code: 'P-1', externalCaseUrl: 'https://agency.example/P-1', balanceAgency: 500 });
    expect(created.body.data.invoices.map((i: any) => i.id)).toEqual([inv[0].id]);
    const caseId = created.body.data.id;

    const added = await a.post('/DebtCollection/AddInvoicesToCase', { CaseId: caseId, InvoiceIds: [inv[1].id] });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.data.invoices.map((i: any) => i.id)).toEqual([inv[0].id, inv[1].id]);

    const mixed = await a.post('/DebtCollection/AddInvoicesToCase', { cASEiD: caseId, INVOICEIDS: [inv[4].id] });
    expect(mixed.status, JSON.stringify(mixed.body)).toBe(200);
    expect(mixed.body.data.invoices).toHaveLength(3);

    const status = await a.post('/DebtCollection/UpdateStatus', { CaseId: caseId, StatusText: 'Avsluttet', IsCaseClosed: true, UpdatedBalanceAgency: 0 });
    expect(status.status, JSON.stringify(status.body)).toBe(200);
    expect(status.body.data).toMatchObject({ status: 10, balanceAgency: 0 });
    expect((await invoice(t, client.id, inv[1].id)).status).toBe('Exported');
  });

  it('a missing required field is named in camelCase whatever casing the rest uses', async () => {
    const { client } = await fiveApproved('Casing Missing AS');
    const a = await agency(t, client.integration);
    const res = await a.post('/DebtCollection/AddInvoicesToCase', { InvoiceIds: [] });
    const resDetail = expectV1Failure(res, 400, 'Go');
    expect(resDetail.fields).toHaveProperty('caseId');
  });
});

describe('enumFormat: numbers by default (the vendor\'s REST type pages and swagger 3.0.1.0), names as a setting', () => {
  it('case status 0/10 and voucher types as the vendor numbers them; names when switched; numbers again', async () => {
    const { client, inv } = await fiveApproved('Numbers AS');
    expect((await t.http.get(`/_sandbox/clients/${client.id}/settings`)).body.enumFormat).toBe('numbers');
    const a = await agency(t, client.integration);
    const created = await a.post('/DebtCollection', { code: 'N-1', invoices: [inv[0].id] });
    const caseId = created.body.data.id;
    expect(created.body.data.status).toBe(0);
    expect((await t.http.post(`/_sandbox/clients/${client.id}/payments`).send({ invoiceId: inv[0].id, amount: 100 })).status).toBe(201);
    expect((await t.http.post(`/_sandbox/clients/${client.id}/credit-notes`).send({ invoiceId: inv[0].id, amount: 50 })).status).toBe(201);
    const matches = await a.get(`/DebtCollection/MatchedItems/${inv[0].id}`);
    // BankJournal 19, OutgoingCreditNote 5 (type_vouchertype.md).
    expect(matches.body.data.map((m: any) => [m.voucherType, m.amount])).toEqual([
      [19, -100],
      [5, -50],
    ]);
    const all = await a.get('/DebtCollection/GetAllMatchedItems').query({ fromDateTime: '2026-01-01' });
    expect(all.body.data.flatMap((e: any) => e.matchedItems).map((m: any) => m.voucherType)).toEqual([19, 5]);
    const closed = await a.post('/DebtCollection/UpdateStatus', { caseId, statusText: 'Lukket', isCaseClosed: true });
    expect(closed.body.data.status).toBe(10);
    // OData compares against what is on the wire.
    expect((await a.get('/DebtCollection').query({ $filter: 'Status eq 10' })).body.count).toBe(1);

    const s = await settings(client.id, { enumFormat: 'names' });
    expect(s.enumFormat).toBe('names');
    expect((await a.get(`/DebtCollection/${caseId}`)).body.data.status).toBe('Closed');
    expect((await a.get(`/DebtCollection/MatchedItems/${inv[0].id}`)).body.data.map((m: any) => m.voucherType)).toEqual(['BankJournal', 'OutgoingCreditNote']);
    expect((await a.get('/DebtCollection').query({ $filter: "Status eq 'Closed'" })).body.count).toBe(1);

    await settings(client.id, { enumFormat: 'numbers' });
    expect((await a.get(`/DebtCollection/${caseId}`)).body.data.status).toBe(10);
  });
});

/** The body of a binary response, as a Buffer. */
function binary(r: request.Test): request.Test {
  return r.buffer(true).parse((res: any, cb: (err: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}

describe('GetInvoicePdf', () => {
  let a: Agency;
  let inv: any[];
  beforeAll(async () => {
    const fx = await fiveApproved('PDF AS');
    a = await agency(t, fx.client.integration);
    inv = fx.inv;
  });

  it('GetInvoicePdf/{id} answers application/pdf, starting with %PDF and containing the invoice number', async () => {
    const res = await binary(a.get(`/DebtCollection/GetInvoicePdf/${inv[1].id}`));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/pdf/);
    const body = res.body as Buffer;
    expect(Buffer.isBuffer(body)).toBe(true);
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await pdfText(body)).toContain(String(inv[1].invoiceNo));
    const doc = await PDFDocument.load(body);
    expect(doc.getTitle()).toContain(String(inv[1].invoiceNo));
    expect(doc.getPageCount()).toBe(1);
  });

  it('the swagger form ?id= gives the same document', async () => {
    const byPath = await binary(a.get(`/DebtCollection/GetInvoicePdf/${inv[2].id}`));
    const byQuery = await binary(a.get('/DebtCollection/GetInvoicePdf').query({ id: inv[2].id }));
    expect(byQuery.status).toBe(200);
    expect(byQuery.headers['content-type']).toMatch(/^application\/pdf/);
    expect((byQuery.body as Buffer).subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(await pdfText(byQuery.body as Buffer)).toContain(String(inv[2].invoiceNo));
    expect(Buffer.compare(byQuery.body as Buffer, byPath.body as Buffer)).toBe(0);
  });

  it('an unknown or malformed id is a v1 failure (HTTP 200; 404/400 under the http setting)', async () => {
    expectV1Failure(await a.get('/DebtCollection/GetInvoicePdf/00000000-0000-4000-8000-000000000000'), 404);
    expectV1Failure(await a.get('/DebtCollection/GetInvoicePdf/not-a-uuid'), 400);
    expectV1Failure(await a.get('/DebtCollection/GetInvoicePdf'), 400);
  });
});

describe('the /Demo prefix', () => {
  it('/Demo/OAuth/Token (without a subscription key: a v1 token) and /Demo/DebtCollection/... work like the unprefixed paths', async () => {
    const { client, inv } = await fiveApproved('Demo Prefix AS');
    const i = client.integration;
    const tok = await t.http
      .post('/Demo/OAuth/Token')
      .set('Authorization', `Basic ${Buffer.from(`${i.applicationKey}:${i.clientKey}`).toString('base64')}`)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(tok.status).toBe(200);
    const bearer = `Bearer ${tok.body.access_token}`;
    const get = (p: string) => t.http.get(p).set('Authorization', bearer);

    const available = await get('/Demo/DebtCollection/Invoices/AvailableInvoices').query({ $filter: 'InvoiceNo eq 10002' });
    expect(available.status).toBe(200);
    expect(available.body.data.map((x: any) => x.id)).toEqual([inv[1].id]);
    const created = await t.http.post('/Demo/DebtCollection').set('Authorization', bearer).send({ code: 'DEMO-1', invoices: [inv[1].id] });
    expect(created.status).toBe(200);
    const caseId = created.body.data.id;
    expect((await get(`/Demo/DebtCollection/${caseId}`)).body.data.code).toBe('DEMO-1');
    expect((await get('/demo/debtcollection')).body.count).toBe(1);
    expect((await get('/Demo/DebtCollection/IsActiveDebtCollection')).body).toEqual({ data: true, success: true });
    const pdf = await binary(get(`/Demo/DebtCollection/GetInvoicePdf/${inv[1].id}`));
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect((await get('/Demo/DebtCollection/GetAllMatchedItems/2026-01-01')).status).toBe(200);
    // Errors under /Demo are in the v1 format too.
    expectV1Failure(await get('/Demo/DebtCollection/00000000-0000-4000-8000-000000000000'), 404);
    const denied = await t.http.get('/Demo/DebtCollection');
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({ Message: 'Authorization has been denied for this request.' });
  });

  it('the control API is not served under /Demo', async () => {
    const res = await t.http.get('/Demo/_sandbox/clients');
    expect(res.status).toBe(404);
  });
});

describe('GetAllMatchedItems', () => {
  let a: Agency;
  let client: ClientFixture;
  let inv: any[];
  const amounts = (res: request.Response) => res.body.data.map((e: any) => e.matchedItems.map((m: any) => m.amount));

  beforeAll(async () => {
    const fx = await fiveApproved('Matched AS');
    client = fx.client;
    inv = fx.inv;
    a = await agency(t, client.integration);
    // One case with two invoices of C1 at 2026-02-12; a payment on the first now, on the second two days later.
    expect((await a.post('/DebtCollection', { code: 'M-1', invoices: [inv[0].id, inv[1].id] })).status).toBe(200);
    await advance(t, client.id, { to: '2026-02-12T10:00' });
    expect((await t.http.post(`/_sandbox/clients/${client.id}/payments`).send({ invoiceId: inv[0].id, amount: 100 })).status).toBe(201);
    await advance(t, client.id, { to: '2026-02-14T10:00' });
    expect((await t.http.post(`/_sandbox/clients/${client.id}/payments`).send({ invoiceId: inv[1].id, amount: 200 })).status).toBe(201);
    a = await agency(t, client.integration); // the first token expired with the clock
  });

  it('fromDateTime keeps only collection invoices changed after it', async () => {
    const from = async (v: string) => {
      const res = await a.get('/DebtCollection/GetAllMatchedItems').query({ fromDateTime: v });
      expect(res.status, `${v}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.count).toBe(res.body.data.length);
      return amounts(res);
    };
    // Everything under collection for this integration: the two in the case, and three approved outside it.
    expect(await from('2026-01-01')).toEqual([[-100], [-200], [], [], []]);
    // After the approvals at 2026-02-12 08:00 but before the first payment at 10:00.
    expect(await from('2026-02-12T09:00:00')).toEqual([[-100], [-200]]);
    expect(await from('2026-02-13')).toEqual([[-200]]);
    expect(await from('2026-02-13T00:00:00Z')).toEqual([[-200]]);
    // Strictly after: the second payment's own moment is not "after" it.
    expect(await from('2026-02-14T10:00:00')).toEqual([]);
    expect(await from('2026-02-14T10:00:00+01:00')).toEqual([]);
    expect(await from('2026-02-14T09:00:00+01:00')).toEqual([[-200]]);
    expect(await from('2026-02-14T08:59:59Z')).toEqual([[-200]]);
  });

  it('each entry is {matchedItems: [...]} with every documented match field', async () => {
    const res = await a.get('/DebtCollection/GetAllMatchedItems').query({ fromDateTime: '2026-02-13' });
    expect(Object.keys(res.body.data[0])).toEqual(['matchedItems']);
    const m = res.body.data[0].matchedItems[0];
    expect(Object.keys(m).sort()).toEqual(
      [
        'id', 'customerCode', 'voucherDate', 'postingDate', 'voucherNo', 'voucherType', 'amount', 'currencyAmount', 'currencyCode', 'cid',
        'importedVoucherNo', 'createdFromImportId', 'voucherId', 'isWriteOff', 'lastChanged', 'externalImportReference', 'isNoteMainEntry',
        'matchId', 'paidFromAccount',
      ].sort(),
    );
    expect(m).toMatchObject({ amount: -200, voucherType: 19, importedVoucherNo: null, isWriteOff: false, cid: inv[1].cid, voucherDate: '2026-02-14T00:00:00', currencyCode: 'NOK' });
  });

  it('the deprecated path form /GetAllMatchedItems/{fromDateTime} answers the same', async () => {
    for (const v of ['2026-02-13', '2026-02-12T09:00:00', '2026-01-01']) {
      const byQuery = await a.get('/DebtCollection/GetAllMatchedItems').query({ fromDateTime: v });
      const byPath = await a.get(`/DebtCollection/GetAllMatchedItems/${encodeURIComponent(v)}`);
      expect(byPath.status, v).toBe(200);
      expect(byPath.body, v).toEqual(byQuery.body);
    }
    const raw = await a.get('/DebtCollection/GetAllMatchedItems/2026-02-13T00:00:00');
    expect(amounts(raw)).toEqual([[-200]]);
  });

  it('a missing fromDateTime is an ArgumentNull failure, a malformed one a Go failure, each naming it', async () => {
    const missing = await a.get('/DebtCollection/GetAllMatchedItems');
    const missingDetail = expectV1Failure(missing, 400, 'ArgumentNull');
    expect(missingDetail.fields).toHaveProperty('fromDateTime');
    const bad = await a.get('/DebtCollection/GetAllMatchedItems').query({ fromDateTime: 'not-a-date-at-all' });
    const badDetail = expectV1Failure(bad, 400, 'Go');
    expect(badDetail.fields).toHaveProperty('fromDateTime');
  });
});

describe('lastReminder* fields', () => {
  it('are null for an invoice Go sent no reminder for, and filled from the purring once one was sent', async () => {
    const client = await newClient(t, { name: 'Purring AS', startDate: '2026-01-05' });
    const s = await settings(client.id, { reminderSteps: { paymentReminder: { enabled: true, daysAfterDue: 14, dueInDays: 14 } } });
    expect(s.reminderSteps.paymentReminder.enabled).toBe(true);
    const customer = await newCustomer(t, client.id, { emailAddress: 'faktura@kunde.no' });
    const early = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2026-01-02', amount: 800 });
    const purred = await newInvoice(t, client.id, { customerId: customer.id, invoiceDate: '2025-12-20', dueDate: '2026-01-05', amount: 1200, emailAddress: 'ap@kunde.no' });
    const a = await agency(t, client.integration);

    // Before any purring: taken to collection by the reminder-list override, approved.
    const overridden = await t.http.post(`/_sandbox/clients/${client.id}/collection/override`).send({ invoiceIds: [early.id] });
    expect(overridden.status, JSON.stringify(overridden.body)).toBe(200);
    await approve(client.id, [early.id]);
    const before = await a.get('/DebtCollection/Invoices/AvailableInvoices');
    expect(before.body.data).toHaveLength(1);
    expect(before.body.data[0]).toMatchObject({ id: early.id, lastReminderSentDate: null, lastReminderDueDate: null, lastReminderVoucherType: null, lastReminderEmailAddress: null });

    // The purring goes out 14 days after due (2026-01-19), due 14 days later; the draft follows after it.
    await advance(t, client.id, { to: '2026-01-20' });
    const afterPurring = await invoice(t, client.id, purred.id);
    expect(afterPurring.reminders).toEqual([expect.objectContaining({ step: 'paymentReminder', sentDate: '2026-01-19', dueDate: '2026-02-02' })]);
    await advance(t, client.id, { to: '2026-02-10' });
    expect((await invoice(t, client.id, purred.id)).status).toBe('Draft');
    await approve(client.id, [purred.id]);

    const a2 = await agency(t, client.integration); // the first token expired with the clock
    const after = await a2.get('/DebtCollection/Invoices/AvailableInvoices').query({ $orderby: 'InvoiceNo' });
    const [e, p] = after.body.data;
    expect(e).toMatchObject({ id: early.id, lastReminderSentDate: null, lastReminderDueDate: null, lastReminderVoucherType: null, lastReminderEmailAddress: null });
    expect(p).toMatchObject({
      id: purred.id,
      lastReminderSentDate: '2026-01-19T00:00:00',
      lastReminderDueDate: '2026-02-02T00:00:00',
      lastReminderVoucherType: 71,
      lastReminderEmailAddress: 'faktura@kunde.no',
      invoiceEmailAddress: 'ap@kunde.no',
    });
    // OData sees the fields too.
    expect((await a2.get('/DebtCollection/Invoices/AvailableInvoices').query({ $filter: 'LastReminderSentDate ne null' })).body.data.map((x: any) => x.id)).toEqual([purred.id]);
    expect((await a2.get('/DebtCollection/Invoices/AvailableInvoices').query({ $filter: 'lastReminderDueDate ge 2026-02-01' })).body.data.map((x: any) => x.id)).toEqual([purred.id]);

    await settings(client.id, { enumFormat: 'names' });
    const named = await a2.get('/DebtCollection/Invoices/AvailableInvoices').query({ $filter: `InvoiceNo eq ${purred.invoiceNo}` });
    expect(named.body.data[0].lastReminderVoucherType).toBe('OutgoingPaymentReminder');
  });
});

describe('refusals leave the world unchanged', () => {
  it('a refused AddInvoicesToCase (invoice already in a case) is a Go failure (409 under http) and changes nothing', async () => {
    const { client, inv } = await fiveApproved('Refusal AS');
    const a = await agency(t, client.integration);
    const caseId = (await a.post('/DebtCollection', { code: 'R-1', invoices: [inv[0].id] })).body.data.id;
    const before = await worldText(t, client.id);
    const res = await a.post('/DebtCollection/AddInvoicesToCase', { caseId, invoiceIds: [inv[0].id] });
    const resDetail = expectV1Failure(res, 409, 'Go');
    expect(resDetail.fields).toHaveProperty('invoiceIds[0]');
    expect(resDetail).toMatchObject({ kind: 'conflict', currentState: 'Exported', allowed: ['Approved'] });
    expect(await worldText(t, client.id)).toBe(before);
  });
});
