/**
 * Incremental polling on v2 (issue 13 item 3): the documented ...GreaterThan cut-offs and list filters, Fields and
 * OrderBy, and a poller that asks only for what changed since its last poll across a year and misses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, agency, newClient, newCustomer, newInvoice, testSandbox, worldText, type TestSandbox } from '../harness.js';

type Agency = Awaited<ReturnType<typeof agency>>;
type Row = Record<string, any>;

/** Every page of a v2 list (200 pages until nextPageLink is absent; 204 is empty). */
async function readAll(a: Agency, path: string, query: Record<string, string | number | boolean>): Promise<Row[]> {
  const rows: Row[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const res = await a.v2.get(path).query({ ...query, PageNumber: pageNumber });
    if (res.status === 204) return rows;
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    rows.push(...res.body);
    if (!JSON.parse(res.headers['x-pagination']!).nextPageLink) return rows;
  }
}

const maxOf = (rows: Row[], field: string, previous: string | undefined) =>
  rows.reduce<string | undefined>((m, r) => (r[field] && (!m || r[field] > m) ? r[field] : m), previous);

describe('v2 incremental polling', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  it('a poller asking only for changes since its last poll misses nothing across a year', async () => {
    const client = await newClient(t, { startDate: '2026-01-05' });
    const ctl = (path: string, body: unknown) => t.http.post(`/_sandbox/clients/${client.id}${path}`).send(body as object);
    let a = await agency(t, client.integration);
    // Small pages so the poller follows nextPageLink as a real one must.
    const INVOICE_FIELDS = 'Id,InvoiceNo,CustomerNo,VoucherType,Balance,TotalAmount,MatchId,BalanceLastChangedDateTimeOffset,SentDateTimeOffset';

    const seen = { customers: new Map<number, Row>(), invoices: new Map<string, Row>() };
    const cursor: { customers?: string | undefined; invoices?: string | undefined } = {};
    const fetched: number[] = [];
    async function poll() {
      // Tokens live 1200 s of sandbox time: a poller that wakes monthly fetches a new one.
      a = await agency(t, client.integration);
      const customers = await readAll(a, '/Customers', { PageSize: 3, ...(cursor.customers ? { lastChangedDateTimeOffsetGreaterThan: cursor.customers } : {}) });
      const invoices = await readAll(a, '/OutgoingInvoices', {
        PageSize: 4,
        Fields: INVOICE_FIELDS,
        ...(cursor.invoices ? { balanceLastChangedDateTimeOffsetGreaterThan: cursor.invoices } : {}),
      });
      for (const c of customers) {
        if (cursor.customers) expect(c.LastChangedDateTimeOffset > cursor.customers).toBe(true);
        seen.customers.set(c.Id, c);
      }
      for (const i of invoices) {
        expect(Object.keys(i).sort()).toEqual(INVOICE_FIELDS.split(',').sort());
        seen.invoices.set(i.Id, i);
      }
      cursor.customers = maxOf(customers, 'LastChangedDateTimeOffset', cursor.customers);
      cursor.invoices = maxOf(invoices, 'BalanceLastChangedDateTimeOffset', cursor.invoices);
      fetched.push(customers.length + invoices.length);
    }

    const customers = [await newCustomer(t, client.id, { name: 'Fjord Bygg AS' }), await newCustomer(t, client.id, { name: 'Kari Nordmann' })];
    await poll();
    const open: Array<{ id: string; customerId: number; left: number }> = [];
    for (let month = 0; month < 12; month++) {
      await advance(t, client.id, { days: 30 });
      // New business every month; a new customer every third month; a card change now and then.
      if (month % 3 === 0) customers.push(await newCustomer(t, client.id, { name: `Kunde ${month} AS` }));
      if (month % 4 === 1) expect((await t.http.patch(`/_sandbox/clients/${client.id}/customers/${customers[0].id}`).send({ emailAddress: `post${month}@fjordbygg.no` })).status).toBe(200);
      for (const [k, customer] of customers.slice(-2).entries()) {
        const amount = 1000 + 250 * month + 100 * k;
        const inv = await newInvoice(t, client.id, { customerId: customer.id, amount, ...(k === 1 ? { imported: true } : {}) });
        open.push({ id: inv.id, customerId: customer.id, left: amount });
      }
      // Payments (partial and full), a credit note and a write-off on older invoices.
      const oldest = open.filter((o) => o.left > 0);
      if (oldest[0]) {
        const pay = month % 2 === 0 ? oldest[0].left : 300;
        expect((await ctl('/payments', { invoiceId: oldest[0].id, amount: pay })).status).toBe(201);
        oldest[0].left -= pay;
      }
      if (oldest[1] && month % 3 === 1) {
        expect((await ctl('/credit-notes', { invoiceId: oldest[1].id, amount: 200 })).status).toBe(201);
        oldest[1].left -= 200;
      }
      if (oldest[2] && month % 4 === 2) {
        expect((await ctl('/write-offs', { invoiceIds: [oldest[2].id], description: 'Konkurs' })).status).toBe(201);
        oldest[2].left = 0;
      }
      await poll();
    }

    a = await agency(t, client.integration);
    const allCustomers = await readAll(a, '/Customers', {});
    const allInvoices = await readAll(a, '/OutgoingInvoices', { Fields: INVOICE_FIELDS });
    expect(allInvoices.length).toBeGreaterThan(24);
    expect(new Map(allCustomers.map((c) => [c.Id, c]))).toEqual(seen.customers);
    expect(new Map(allInvoices.map((i) => [i.Id, i]))).toEqual(seen.invoices);
    // Incremental indeed: each monthly poll fetched far fewer rows than a full read.
    expect(Math.max(...fetched.slice(1))).toBeLessThan((allCustomers.length + allInvoices.length) / 2);
    // The balances the poller holds are the ones the ERP has.
    for (const o of open) expect(seen.invoices.get(o.id)!.Balance).toBe(o.left);
  });

  describe('filters', () => {
    let a: Agency;
    let clientId: string;
    let first: Row;
    let second: Row;
    let imported: Row;
    let t1: string;
    beforeAll(async () => {
      const client = await newClient(t, { startDate: '2026-01-05' });
      clientId = client.id;
      a = await agency(t, client.integration);
      const c1 = await newCustomer(t, client.id, { name: 'Fjord Bygg AS' });
      first = await newInvoice(t, client.id, { customerId: c1.id, amount: 1000 });
      await advance(t, client.id, { hours: 2 });
      const c2 = await newCustomer(t, client.id, { name: 'Kari Nordmann' });
      second = await newInvoice(t, client.id, { customerId: c2.id, amount: 500 });
      imported = await newInvoice(t, client.id, { customerId: c2.id, amount: 700, imported: true });
      a = await agency(t, client.integration);
      t1 = (await a.v2.get('/OutgoingInvoices').query({ invoiceIds: first.id })).body[0].CreatedDateTimeOffset;
      await advance(t, client.id, { hours: 2 });
      expect((await t.http.post(`/_sandbox/clients/${client.id}/payments`).send({ invoiceId: first.id, amount: 100 })).status).toBe(201);
      a = await agency(t, client.integration);
    });

    it('OutgoingInvoices: balance and sent cut-offs, invoiceIds, voucherNos', async () => {
      const byBalance = await a.v2.get('/OutgoingInvoices').query({ balanceLastChangedDateTimeOffsetGreaterThan: t1 });
      // The payment moved the first invoice's balance; the two later invoices were posted after t1.
      expect(byBalance.body.map((i: Row) => i.Id).sort()).toEqual([first.id, second.id, imported.id].sort());
      const firstDto = byBalance.body.find((i: Row) => i.Id === first.id);
      expect(firstDto.BalanceLastChangedDateTimeOffset > firstDto.CreatedDateTimeOffset).toBe(true);
      const afterPayment = await a.v2.get('/OutgoingInvoices').query({ balanceLastChangedDateTimeOffsetGreaterThan: firstDto.BalanceLastChangedDateTimeOffset });
      expect(afterPayment.status).toBe(204);

      const sent = await a.v2.get('/OutgoingInvoices').query({ sentDateTimeOffsetGreaterThan: t1 });
      // An imported invoice was sent by the system it came from: no SentDateTimeOffset, never in this filter.
      expect(sent.body.map((i: Row) => i.Id)).toEqual([second.id]);
      expect((await a.v2.get('/OutgoingInvoices').query({ invoiceIds: imported.id })).body[0].SentDateTimeOffset).toBeNull();

      const two = await a.v2.get('/OutgoingInvoices').query({ invoiceIds: ` ${second.id.toUpperCase()}, ${imported.id}` });
      expect(two.body.map((i: Row) => i.Id)).toEqual([second.id, imported.id]);
      const voucherNo = two.body[0].VoucherNo;
      const byVoucher = await a.v2.get('/OutgoingInvoices').query({ voucherNos: `${voucherNo}-` });
      expect(byVoucher.body.map((i: Row) => i.Id)).toEqual([second.id, imported.id]);
      expect((await a.v2.get('/OutgoingInvoices').query({ onlyCreatedByCurrentIntegration: true })).status).toBe(204);
      expect((await a.v2.get('/OutgoingInvoices').query({ customMatchingReferences: 'REF-1' })).status).toBe(204);
      expect((await a.v2.get('/OutgoingInvoices').query({ customMatchingReferences: ' ' })).body).toHaveLength(3);
    });

    it('Customers: created and changed cut-offs, externalImportReference', async () => {
      const created = await a.v2.get('/Customers').query({ customerCreatedDateTimeOffsetGreaterThan: t1 });
      expect(created.body.map((c: Row) => c.Name)).toEqual(['Kari Nordmann']);
      expect((await a.v2.get('/Customers').query({ lastChangedDateTimeOffsetGreaterThan: created.body[0].LastChangedDateTimeOffset })).status).toBe(204);
      expect((await a.v2.get('/Customers').query({ externalImportReference: 'crm-1' })).status).toBe(204);
    });

    it('OpenItems: created and changed cut-offs, voucherTypes, onlyCreatedByCurrentIntegration', async () => {
      const q = { date: '2026-12-31' };
      const all = await a.v2.get('/Customerledger/OpenItems').query(q);
      expect(all.body).toHaveLength(3);
      const created = await a.v2.get('/Customerledger/OpenItems').query({ ...q, createdDateTimeOffsetGreaterThan: t1 });
      expect(created.body.map((i: Row) => i.InvoiceNo)).toEqual(all.body.slice(1).map((i: Row) => i.InvoiceNo));
      // The payment changed the first invoice's line after it was created.
      const changed = await a.v2.get('/Customerledger/OpenItems').query({ ...q, lastChangedDateTimeOffsetGreaterThan: created.body[1].LastChangedDateTimeOffset });
      expect(changed.body.map((i: Row) => i.InvoiceNo)).toEqual([String(all.body[0].InvoiceNo)]);
      expect((await a.v2.get('/Customerledger/OpenItems').query({ ...q, voucherTypes: 'outgoinginvoice' })).body).toHaveLength(3);
      expect((await a.v2.get('/Customerledger/OpenItems').query({ ...q, voucherTypes: 'OutgoingPaymentReminder' })).status).toBe(204);
      expect((await a.v2.get('/Customerledger/OpenItems').query({ ...q, onlyCreatedByCurrentIntegration: true })).status).toBe(204);
    });

    it('refuses an unknown voucher type, Fields or OrderBy name with 400 naming the parameter, state unchanged', async () => {
      const before = await worldText(t, clientId);
      for (const [path, query, field] of [
        ['/Customerledger/OpenItems', { date: '2026-12-31', voucherTypes: 'Invoice' }, 'voucherTypes'],
        ['/Customers', { Fields: 'Id,Nmae' }, 'Fields'],
        ['/OutgoingInvoices', { OrderBy: 'Amount desc' }, 'OrderBy'],
        ['/OutgoingInvoices', { OrderBy: 'InvoiceNo sideways' }, 'OrderBy'],
      ] as const) {
        const res = await a.v2.get(path).query(query);
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body)).toContain(field);
      }
      expect(await worldText(t, clientId)).toBe(before);
    });

    it('OrderBy sorts before paging (any case, desc), Fields keeps only the chosen fields', async () => {
      const res = await a.v2.get('/OutgoingInvoices').query({ orderby: 'totalamount DESC', fields: 'invoiceno, TotalAmount', PageSize: 2 });
      expect(res.body).toEqual([
        { InvoiceNo: first.invoiceNo, TotalAmount: 1000 },
        { InvoiceNo: imported.invoiceNo, TotalAmount: 700 },
      ]);
      const next = await a.v2.get('/OutgoingInvoices').query({ orderby: 'totalamount DESC', fields: 'invoiceno, TotalAmount', PageSize: 2, PageNumber: 2 });
      expect(next.body).toEqual([{ InvoiceNo: second.invoiceNo, TotalAmount: 500 }]);
      const byTwo = await a.v2.get('/Customers').query({ OrderBy: 'Name desc, Id', Fields: 'Name' });
      expect(byTwo.body).toEqual([{ Name: 'Kari Nordmann' }, { Name: 'Fjord Bygg AS' }]);
    });

    it('PageSize goes up to the vendor maximum 20000 and no further', async () => {
      expect((await a.v2.get('/OutgoingInvoices').query({ PageSize: 20000 })).status).toBe(200);
      const over = await a.v2.get('/OutgoingInvoices').query({ PageSize: 20001 });
      expect(over.status).toBe(400);
      expect(JSON.stringify(over.body)).toContain('PageSize');
    });
  });
});
