/**
 * Person debtors: customers are companies or persons in the control API and on v2 Customers with the vendor's
 * fields; a fødselsnummer is checked (both MOD11 digits, a real date) and the date of birth follows from it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, agency, newClient, testSandbox, worldText, type ClientFixture, type TestSandbox } from '../harness.js';
import { expectProblem } from './helpers-rules.js';

// Check digits computed independently (Skatteetaten's weights): 1985-03-15, 1984-02-29, 2005-01-01 (individual
// number 501), a D-number (day + 40) with a synthetic month (+ 80) for 1912-05-15.
const FNR_1985 = '15038512363';
const FNR_LEAP = '29028440195';
const FNR_2005 = '01010550129';
const D_NUMBER = '55851234550';

describe('person debtors', () => {
  let t: TestSandbox;
  let client: ClientFixture;
  const customers = (path = '') => `/_sandbox/clients/${client.id}/customers${path}`;
  beforeAll(async () => {
    t = await testSandbox();
    client = await newClient(t);
  });
  afterAll(() => t.close());

  const person = (body: Record<string, unknown> = {}) =>
    t.http.post(customers()).send({ isPerson: true, firstName: 'Kari', lastName: 'Nordmann', nationalIdNumber: FNR_1985, mailAddress: ADDRESS, ...body });

  it('creates a person with the date of birth the fødselsnummer encodes, named "first last"', async () => {
    const res = await person({ phoneNumber: '+47 91234567', emailAddress: 'kari@example.no', paymentReminderEmailAddress: 'purring@example.no', invoiceEmailAddress: 'faktura@example.no', reminderDeliveryType: 'PdfByEmail', noticeOfDebtCollectionDeliveryType: 'Print' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      isPerson: true,
      name: 'Kari Nordmann',
      firstName: 'Kari',
      lastName: 'Nordmann',
      organizationNumber: null,
      nationalIdNumber: FNR_1985,
      dateOfBirth: '1985-03-15',
      phoneNumber: '+47 91234567',
      invoiceEmailAddress: 'faktura@example.no',
      paymentReminderEmailAddress: 'purring@example.no',
      reminderDeliveryType: 'PdfByEmail',
      noticeOfDebtCollectionDeliveryType: 'Print',
    });
    const view = await t.http.get(customers(`/${res.body.id}`));
    expect(view.body).toEqual(res.body);
  });

  it('reads the century from the individual number, and accepts a leap day and a D-number', async () => {
    for (const [fnr, born] of [[FNR_LEAP, '1984-02-29'], [FNR_2005, '2005-01-01'], [D_NUMBER, '1912-05-15']] as const) {
      const res = await person({ nationalIdNumber: fnr, dateOfBirth: born });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.dateOfBirth).toBe(born);
    }
  });

  it('a company is the default, with the person fields null', async () => {
    const res = await t.http.post(customers()).send({ name: 'Fjord Bygg AS', organizationNumber: '974760673' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ isPerson: false, name: 'Fjord Bygg AS', firstName: null, lastName: null, nationalIdNumber: null, dateOfBirth: null, reminderDeliveryType: null });
  });

  it('refuses a bad fødselsnummer, naming the field and the check that failed, leaving the world unchanged', async () => {
    const before = await worldText(t, client.id);
    const cases: Array<[string, RegExp]> = [
      ['15038512364', /second MOD11 check digit \(K2\)/],
      ['15038512373', /first MOD11 check digit \(K1\)/],
      ['30028510086', /valid date of birth/],
      ['1503851236', /11 digits/],
    ];
    for (const [fnr, reason] of cases) {
      const res = await person({ nationalIdNumber: fnr });
      expectProblem(res, 400, 'nationalIdNumber');
      expect(res.body.errors.nationalIdNumber[0]).toMatch(reason);
    }
    expect(await worldText(t, client.id)).toBe(before);
  });

  it('refuses a date of birth that contradicts the number, and mixed company and person fields', async () => {
    const before = await worldText(t, client.id);
    let res = await person({ dateOfBirth: '1985-03-16' });
    expectProblem(res, 400, 'dateOfBirth');
    expect(res.body.errors.dateOfBirth[0]).toMatch(/1985-03-15/);
    expectProblem(await person({ firstName: null }), 400, 'firstName');
    expectProblem(await t.http.post(customers()).send({ isPerson: true, firstName: 'Per' }), 400, 'lastName');
    expectProblem(await person({ organizationNumber: '974760673' }), 400, 'organizationNumber');
    expectProblem(await t.http.post(customers()).send({ name: 'Firma AS', nationalIdNumber: FNR_1985 }), 400, 'nationalIdNumber');
    expectProblem(await t.http.post(customers()).send({ name: 'Firma AS', dateOfBirth: '1985-03-15' }), 400, 'dateOfBirth');
    expectProblem(await t.http.post(customers()).send({ isPerson: false }), 400, 'name');
    // PdfByEmail needs an e-mail address (the vendor's rule).
    res = await person({ reminderDeliveryType: 'PdfByEmail' });
    expectProblem(res, 400, 'reminderDeliveryType');
    expectProblem(await person({ noticeOfDebtCollectionDeliveryType: 'Fax' }), 400, 'noticeOfDebtCollectionDeliveryType');
    expectProblem(await person({ phoneNumber: 'ring meg' }), 400, 'phoneNumber');
    expect(await worldText(t, client.id)).toBe(before);
  });

  it('changes a card: a new number moves the date of birth; a refused change leaves the card as it was', async () => {
    const created = (await person()).body;
    const changed = await t.http.patch(customers(`/${created.id}`)).send({ nationalIdNumber: FNR_LEAP, lastName: 'Hansen' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ nationalIdNumber: FNR_LEAP, dateOfBirth: '1984-02-29', name: 'Kari Hansen' });
    const before = await worldText(t, client.id);
    expectProblem(await t.http.patch(customers(`/${created.id}`)).send({ isPerson: false, name: 'Kari AS' }), 400, 'firstName');
    expectProblem(await t.http.patch(customers(`/${created.id}`)).send({ nationalIdNumber: '29028440196' }), 400, 'nationalIdNumber');
    expect(await worldText(t, client.id)).toBe(before);
  });

  describe('on v2 Customers', () => {
    it("shows the vendor's person fields, NationalIdNumber 'hidden' as the vendor does", async () => {
      const c = await newClient(t);
      const p = await t.http.post(`/_sandbox/clients/${c.id}/customers`).send({ isPerson: true, firstName: 'Ola', lastName: 'Nordmann', nationalIdNumber: FNR_1985, phoneNumber: '+47 41234567', emailAddress: 'ola@example.no', reminderDeliveryType: 'PdfByEmail', noticeOfDebtCollectionDeliveryType: 'PdfByEmail' });
      expect(p.status).toBe(201);
      const company = await t.http.post(`/_sandbox/clients/${c.id}/customers`).send({ name: 'Havbris Fisk AS', organizationNumber: '974760673' });
      const a = await agency(t, c.integration);
      const res = await a.v2.get(`/Customers/${p.body.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        IsPerson: true,
        Name: 'Ola Nordmann',
        FirstName: 'Ola',
        LastName: 'Nordmann',
        OrganizationNumber: null,
        NationalIdNumber: 'hidden',
        DateOfBirth: '1985-03-15',
        PhoneNumber: '+47 41234567',
        EmailAddress: 'ola@example.no',
        InvoiceEmailAddress: null,
        PaymentReminderEmailAddress: null,
        ReminderDeliveryType: 'PdfByEmail',
        NoticeOfDebtCollectionDeliveryType: 'PdfByEmail',
      });
      const list = await a.v2.get('/Customers');
      const listedCompany = list.body.find((x: { Id: number }) => x.Id === company.body.id);
      expect(listedCompany).toMatchObject({ IsPerson: false, FirstName: null, LastName: null, NationalIdNumber: null, DateOfBirth: null, OrganizationNumber: '974760673' });

      // With the privilege (setting v2Wire.nationalIdNumber 'value') the number itself.
      const put = await t.http.put(`/_sandbox/clients/${c.id}/settings`).send({ v2Wire: { nationalIdNumber: 'value' } });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect((await a.v2.get(`/Customers/${p.body.id}`)).body.NationalIdNumber).toBe(FNR_1985);
    });
  });
});
