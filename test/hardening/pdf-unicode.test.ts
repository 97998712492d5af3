/**
 * Issue 10 item 10: GetInvoicePdf renders every name a Norwegian ERP holds (Sámi letters, æøå, accents) with an
 * embedded Unicode font, and the document stays the same bytes for the same invoice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { agency, newClient, newCustomer, newInvoice, testSandbox, type TestSandbox } from '../harness.js';
import { pdfText } from '../pdf-text.js';

function binary(r: request.Test): request.Test {
  return r.buffer(true).parse((res: any, cb: (err: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}

const NAMES = ['Čoavddaš Ŋuolla AS', 'Áltá Ráfe Đuolbma Ŧ', 'Blåbærsyltetøy Ærlig AS', 'Crème Brûlée Müller AB', 'Łódź Świętokrzyska Sp.'];

describe('GetInvoicePdf with names beyond WinAnsi', () => {
  let t: TestSandbox;
  let a: Awaited<ReturnType<typeof agency>>;
  const invoices: Array<{ id: string; name: string; invoiceNo: number }> = [];
  beforeAll(async () => {
    t = await testSandbox();
    const c = await newClient(t, { name: 'Sámi Čoahkki AS' });
    for (const name of NAMES) {
      const customer = await newCustomer(t, c.id, { name, mailAddress: { addressLine1: 'Ráđđeviessu 1', zipCode: '9520', city: 'Guovdageaidnu', countryCode: 'NO' } });
      const inv = await newInvoice(t, c.id, { customerId: customer.id, invoiceDate: '2025-12-01', dueDate: '2025-12-15' });
      invoices.push({ id: inv.id, name, invoiceNo: inv.invoiceNo });
    }
    await t.http.post(`/_sandbox/clients/${c.id}/clock/advance`).send({ days: 30 });
    expect((await t.http.post(`/_sandbox/clients/${c.id}/collection/approve`).send({ invoiceIds: invoices.map((i) => i.id) })).status).toBe(200);
    a = await agency(t, c.integration);
  });
  afterAll(() => t.close());

  it.each(NAMES.map((n, i) => [n, i] as const))('renders %s (customer, address, client name, Norwegian labels)', async (name, i) => {
    const res = await binary(a.get(`/DebtCollection/GetInvoicePdf/${invoices[i]!.id}`));
    expect(res.status, String(res.body)).toBe(200);
    const text = await pdfText(res.body as Buffer);
    expect(text).toContain(name);
    expect(text).toContain('Sámi Čoahkki AS');
    expect(text).toContain('Ráđđeviessu 1');
    expect(text).toContain('9520 Guovdageaidnu');
    expect(text).toContain('Beløp å betale');
    expect(text).toContain(String(invoices[i]!.invoiceNo));
    expect(text).not.toContain('\uFFFD');
  });

  it('the same invoice gives the same bytes twice', async () => {
    const one = await binary(a.get(`/DebtCollection/GetInvoicePdf/${invoices[0]!.id}`));
    const two = await binary(a.get(`/DebtCollection/GetInvoicePdf/${invoices[0]!.id}`));
    expect(Buffer.compare(one.body as Buffer, two.body as Buffer)).toBe(0);
  });
});
