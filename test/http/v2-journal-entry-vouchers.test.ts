/**
 * v2 JournalEntryVouchers: an agency reads back, lists and deletes the drafts it sent to the voucher reception, and
 * attaches the settlement specification PDF to a draft (multipart/form-data, VoucherPages).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agency, newClient, testSandbox, type TestSandbox } from '../harness.js';

const BANK = 5_001_920;
const COSTS = 5_007_770;
const INTEREST = 5_008_050;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

describe('v2 journal entry vouchers', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  async function setup() {
    const client = await newClient(t);
    const a = await agency(t, client.integration);
    const body = {
      VoucherDate: '2026-01-20',
      CurrencyCode: 'NOK',
      Description: 'Oppgjør K-5001',
      ManualVoucherLines: [
        { DebitAccountId: COSTS, CreditAccountId: BANK, CurrencyAmount: 125, Description: 'Salær' },
        { DebitAccountId: BANK, CreditAccountId: INTEREST, CurrencyAmount: 12.5, Description: 'Renter' },
        { CreditAccountId: BANK, CurrencyAmount: 10, Description: 'Gebyr' },
        { DebitAccountId: COSTS, CurrencyAmount: 10, Description: 'Gebyr motpost' },
      ],
    };
    const draft = await a.v2.post('/JournalEntryVouchers/ManualJournals', body);
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const attach = (id: string, file: Buffer, name = 'oppgjor.pdf', contentType = 'application/pdf') =>
      t.http
        .post(`/goapi.poweroffice.net/v2/JournalEntryVouchers/${id}/VoucherPages`)
        .set('Authorization', `Bearer ${a.tokens.v2}`)
        .set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey)
        .attach('file', file, { filename: name, contentType });
    return { client, a, draft: draft.body, attach };
  }

  it('reads a draft back as the POST answered it, and lists it', async () => {
    const { a, draft } = await setup();
    expect(draft.Pages).toEqual([]);
    const read = await a.v2.get(`/JournalEntryVouchers/ManualJournals/${draft.Id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(draft);
    const list = await a.v2.get('/JournalEntryVouchers');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        Id: draft.Id,
        VoucherType: 'ManualJournal',
        CreatedDateTimeOffset: expect.stringMatching(/\+00:00$/),
        LastChangedDateTimeOffset: expect.stringMatching(/\+00:00$/),
        InApprovalWorkflow: false,
        IsPosted: false,
        IsCreatedByCurrentIntegration: true,
        OriginatedFromEhf: false,
      },
    ]);
    expect((await a.v2.get('/JournalEntryVouchers?isPosted=true')).status).toBe(204);
    expect((await a.v2.get('/JournalEntryVouchers?inApprovalWorkflow=true')).status).toBe(204);
    expect((await a.v2.get(`/JournalEntryVouchers?createdDateTimeOffsetGreaterThan=${encodeURIComponent(list.body[0].CreatedDateTimeOffset)}`)).status).toBe(204);
    expect((await a.v2.get('/JournalEntryVouchers/ManualJournals/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('attaches the settlement specification PDF: a page on the draft, which changes', async () => {
    const { client, a, draft, attach } = await setup();
    const before = (await a.v2.get('/JournalEntryVouchers')).body[0].LastChangedDateTimeOffset;
    await t.http.post(`/_sandbox/clients/${client.id}/clock/advance`).send({ minutes: 5 });
    const res = await attach(draft.Id, PDF);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.text).toBe('');
    const read = (await a.v2.get(`/JournalEntryVouchers/ManualJournals/${draft.Id}`)).body;
    expect(read.Pages).toEqual([{ Id: 11001, VoucherId: draft.Id, CreatedDateTimeOffset: expect.stringMatching(/\+00:00$/) }]);
    const listed = (await a.v2.get('/JournalEntryVouchers')).body[0];
    expect(listed.LastChangedDateTimeOffset > before).toBe(true);
    expect((await a.v2.get(`/JournalEntryVouchers?lastChangedDateTimeOffsetGreaterThan=${encodeURIComponent(before)}`)).body).toHaveLength(1);
    // A second page gets the next id.
    expect((await attach(draft.Id, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'side2.png', 'image/png')).status).toBe(201);
    expect((await a.v2.get(`/JournalEntryVouchers/ManualJournals/${draft.Id}`)).body.Pages.map((p: { Id: number }) => p.Id)).toEqual([11001, 11002]);
  });

  it('refuses a page that is not a file of a known type, or not multipart, naming file', async () => {
    const { a, draft, attach, client } = await setup();
    const text = await attach(draft.Id, Buffer.from('just text'), 'notes.txt', 'text/plain');
    expect(text.status).toBe(400);
    expect(JSON.stringify(text.body.errors)).toMatch(/file/);
    const json = await t.http
      .post(`/goapi.poweroffice.net/v2/JournalEntryVouchers/${draft.Id}/VoucherPages`)
      .set('Authorization', `Bearer ${a.tokens.v2}`)
      .set('Ocp-Apim-Subscription-Key', client.integration.subscriptionKey)
      .send({ file: 'x' });
    expect(json.status).toBe(400);
    expect(JSON.stringify(json.body.errors)).toMatch(/file/);
    expect((await a.v2.get(`/JournalEntryVouchers/ManualJournals/${draft.Id}`)).body.Pages).toEqual([]);
    expect((await attach('00000000-0000-4000-8000-000000000000', PDF)).status).toBe(404);
  });

  it('deletes a waiting draft; a posted one is 409, and another integration sees neither', async () => {
    const { client, a, draft, attach } = await setup();
    const second = await t.http.post(`/_sandbox/clients/${client.id}/integrations`).send({ name: 'Annen', kind: 'debtCollection', rights: { read: true, write: true } });
    const other = await agency(t, second.body);
    expect((await other.v2.get(`/JournalEntryVouchers/ManualJournals/${draft.Id}`)).status).toBe(404);
    expect((await other.v2.delete(`/JournalEntryVouchers/${draft.Id}`)).status).toBe(404);
    // The list shows every draft on the client, flagged by who created it.
    expect((await other.v2.get('/JournalEntryVouchers')).body[0].IsCreatedByCurrentIntegration).toBe(false);

    const deleted = await a.v2.delete(`/JournalEntryVouchers/${draft.Id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('');
    expect((await a.v2.get(`/JournalEntryVouchers/ManualJournals/${draft.Id}`)).status).toBe(404);
    expect((await a.v2.get('/JournalEntryVouchers')).status).toBe(204);
    expect((await t.http.get(`/_sandbox/clients/${client.id}/voucher-reception`)).body.drafts).toEqual([]);

    // Posted by the ERP user: still readable and listed as posted, but neither deletable nor given pages.
    const next = await a.v2.post('/JournalEntryVouchers/ManualJournals', { VoucherDate: '2026-01-20', CurrencyCode: 'NOK', ManualVoucherLines: [{ DebitAccountId: COSTS, CreditAccountId: BANK, CurrencyAmount: 50 }] });
    expect(next.status).toBe(201);
    expect((await t.http.post(`/_sandbox/clients/${client.id}/voucher-reception/${next.body.Id}/approve`)).status).toBe(200);
    expect((await a.v2.get('/JournalEntryVouchers?isPosted=true')).body.map((d: { Id: string; IsPosted: boolean }) => [d.Id, d.IsPosted])).toEqual([[next.body.Id, true]]);
    expect((await a.v2.get(`/JournalEntryVouchers/ManualJournals/${next.body.Id}`)).body.Id).toMatch(UUID);
    const refused = await a.v2.delete(`/JournalEntryVouchers/${next.body.Id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/already posted/);
    expect((await attach(next.body.Id, PDF)).status).toBe(409);
  });

  it('names the wire line a refused draft line came from: a wire line is a debit and a credit line in the reception', async () => {
    const client = await newClient(t);
    const a = await agency(t, client.integration);
    const RECEIVABLES = 5_001_500;
    const post = (lines: object[]) => a.v2.post('/JournalEntryVouchers/ManualJournals', { VoucherDate: '2026-01-20', CurrencyCode: 'NOK', ManualVoucherLines: lines });
    const ledger = await post([
      { DebitAccountId: COSTS, CreditAccountId: BANK, CurrencyAmount: 10 },
      { DebitAccountId: COSTS, CreditAccountId: RECEIVABLES, CurrencyAmount: 10 },
    ]);
    expect(ledger.status).toBe(400);
    expect(ledger.body.detail).toBe(
      'ManualVoucherLines[1].CreditAccountId posts to the customer ledger; settle invoices with a bank journal (Vouchers/BankJournals) instead',
    );
    expect(ledger.body.errors).toHaveProperty(['ManualVoucherLines[1].CreditAccountId']);
    const unbalanced = await post([{ CreditAccountId: BANK, CurrencyAmount: 10 }, { CreditAccountId: BANK, CurrencyAmount: 5 }]);
    expect(unbalanced.status).toBe(400);
    expect(unbalanced.body.detail).toBe('ManualVoucherLines do not balance: they sum to -15.00 NOK');
    expect(unbalanced.body.errors).toHaveProperty(['ManualVoucherLines']);
  });
});
