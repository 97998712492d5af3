import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClient, testSandbox, worldText, type TestSandbox } from '../harness.js';
import { birthDateOfNationalId, kidProblem, nationalIdNumberProblem, organizationNumberProblem } from '../../sandbox/domain/identifiers.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await testSandbox();
});
afterAll(() => t.close());

const seed = (clientId: string, body: object) => t.http.post(`/_sandbox/clients/${clientId}/seed`).send(body);

describe('seeding a client with realistic Norwegian data (json-schema-faker)', () => {
  it('makes valid customers and invoices spread over the past year, with some incomplete addresses and credit notes', async () => {
    const c = await newClient(t, { startDate: '2026-06-01' });
    const res = await seed(c.id, { customers: 40, invoices: 200, seed: 7, incompleteAddressShare: 0.2, creditNoteShare: 0.1 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ seed: 7, customers: 40, invoices: 200 });
    expect(res.body.customersWithoutCompleteAddress).toBeGreaterThan(0);
    expect(res.body.creditNotes).toBeGreaterThan(0);

    const customers = (await t.http.get(`/_sandbox/clients/${c.id}/customers`)).body.customers;
    expect(customers).toHaveLength(40);
    for (const cu of customers) {
      if (cu.isPerson) {
        // A person: a fødselsnummer with both check digits, the date of birth it encodes, a Norwegian mobile.
        expect(nationalIdNumberProblem(cu.nationalIdNumber)).toBeUndefined();
        expect(cu.dateOfBirth).toBe(birthDateOfNationalId(cu.nationalIdNumber));
        expect(cu.organizationNumber).toBeNull();
        expect(cu.name).toBe(`${cu.firstName} ${cu.lastName}`);
        expect(cu.phoneNumber).toMatch(/^\+47 [49]\d{7}$/);
        expect(['PdfByEmail', 'Print']).toContain(cu.reminderDeliveryType);
        if (cu.reminderDeliveryType === 'PdfByEmail') expect(cu.emailAddress).toMatch(/@/);
      } else {
        expect(organizationNumberProblem(cu.organizationNumber)).toBeUndefined();
        expect(cu.name).toMatch(/ (AS|ANS|DA|ENK)$/);
        expect(cu.nationalIdNumber).toBeNull();
      }
      if (cu.hasCompleteMailAddress) expect(cu.mailAddress.zipCode).toMatch(/^\d{4}$/);
    }
    // A realistic mix (personShare 0.4 by default).
    const persons = customers.filter((cu: any) => cu.isPerson).length;
    expect(persons).toBe(res.body.persons);
    expect(persons).toBeGreaterThan(5);
    expect(persons).toBeLessThan(35);
    expect(customers.filter((cu: any) => !cu.hasCompleteMailAddress)).toHaveLength(res.body.customersWithoutCompleteAddress);

    const invoices = (await t.http.get(`/_sandbox/clients/${c.id}/invoices`).query({ kind: 'invoice' })).body.invoices;
    expect(invoices).toHaveLength(200);
    for (const inv of invoices) {
      expect(kidProblem(inv.cid)).toBeUndefined();
      expect(inv.invoiceDate >= '2025-06-01' && inv.invoiceDate <= '2026-06-01').toBe(true);
      expect(inv.dueDate > inv.invoiceDate).toBe(true);
    }
    // Old enough invoices have already become drafts: the rules ran on seeding.
    expect(invoices.some((i: any) => i.status === 'Draft')).toBe(true);
    expect((await t.http.get(`/_sandbox/clients/${c.id}/ledger/check`)).body.ok).toBe(true);
  });

  it('gives the same world for the same seed, and another for another seed', async () => {
    const shape = async (seedNo: number) => {
      const c = await newClient(t, { id: `seed-${seedNo}-${Math.random().toString(36).slice(2, 7)}` });
      await seed(c.id, { customers: 15, invoices: 60, seed: seedNo }).expect(201);
      const invoices = (await t.http.get(`/_sandbox/clients/${c.id}/invoices`)).body.invoices;
      const customers = (await t.http.get(`/_sandbox/clients/${c.id}/customers`)).body.customers;
      return JSON.stringify([
        customers.map((x: any) => [x.name, x.organizationNumber, x.mailAddress]),
        invoices.map((x: any) => [x.invoiceNo, x.amount, x.invoiceDate, x.dueDate, x.status, x.kind, x.openAmount]),
      ]);
    };
    expect(await shape(42)).toBe(await shape(42));
    expect(await shape(42)).not.toBe(await shape(43));
  });

  it('refuses bad input and changes nothing', async () => {
    const c = await newClient(t);
    const before = await worldText(t, c.id);
    const res = await seed(c.id, { customers: 0, invoices: -1, sead: 3 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(['customers', 'invoices', 'sead']);
    expect(await worldText(t, c.id)).toBe(before);
  });
});
