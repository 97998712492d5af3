/**
 * Consumer pacts written with the SDK (issue 6, item 5): the real agency client (`createAgencyClient`) runs the
 * whole agency flow against the Pact mock server (token, available invoices, create case, add invoices, merge,
 * update status, matched items, all matched items since, invoice PDF, bank journal, manual journal) and pact-js
 * writes what it sent and relied on to `contracts/pacts/`. The second part verifies that folder against the
 * sandbox, as `inkasso-sandbox verify` does, so every `npm test` checks that the SDK and the sandbox agree.
 *
 * Provider states come from the catalogue (`contracts/provider-states.md`) only; ids the provider creates reach
 * paths and bodies through `fromProviderState`. The credentials in the pact are placeholders: the verification
 * replaces Authorization and Ocp-Apim-Subscription-Key with the interaction's own integration's.
 *
 * The pact file is deterministic: fixed examples everywhere (no matcher without an example), the old file deleted
 * before the consumer tests, interactions written in the order of this file (vitest runs one file's tests in order).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MatchersV3, PactV4, type V3MockServer } from '@pact-foundation/pact';
import { createAgencyClient, type AgencyClient, type Fetch } from '../../sdk/index.js';
import { formatReport, verifyPactsIsolated } from '../../contracts/pact/verify.js';

const { like, eachLike, integer, number, regex, uuid, fromProviderState } = MatchersV3;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACTS = join(ROOT, 'contracts', 'pacts');
const CONSUMER = 'inkasso-sandbox-sdk';
const PROVIDER = 'PowerOffice Go';
/** pact-js names the file after the pair. */
const PACT_FILE = join(PACTS, `${CONSUMER}-${PROVIDER}.json`);

// ---- the SDK's credentials and the token it gets (placeholders: the verification uses the integration's own) ----

const KEYS = { applicationKey: 'sdk-application-key', clientKey: 'sdk-client-key', subscriptionKey: 'sdk-subscription-key' };
const BASIC = `Basic ${Buffer.from(`${KEYS.applicationKey}:${KEYS.clientKey}`).toString('base64')}`;
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.inkasso-sandbox-sdk.example';
/** The sandbox's POST /OAuth/Token answer (contracts/schemas/common.ts TokenResponse). */
const TOKEN_RESPONSE = { access_token: TOKEN, token_type: 'bearer', expires_in: 600 };

// ---- example values (what the mock server answers; the provider's values come from the states) ----------------

const INVOICE_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const OTHER_INVOICE_ID = '5c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const CASE_ID = '9b2d7c1e-0d7f-4a5e-9c1a-2f3b4c5d6e7f';
const OTHER_CASE_ID = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const VOUCHER_ID = '7d9f0b1c-2e3d-4f5a-8b6c-7d8e9f0a1b2c';
const TODAY = '2026-02-02';
const FROM_DATE_TIME = '2026-01-05T08:00:00+01:00';
const SUBLEDGER_ACCOUNT_ID = 9000001;
const BANK_ACCOUNT_ID = 5001920;
/** Examples for the ids of account 7770 (Bank- og inkassokostnader) and VAT code 1 (input VAT, high rate); the
 * provider's come from the state (costsAccountId, inputVatId). */
const COSTS_ACCOUNT_ID = 5007770;
const INPUT_VAT_HIGH_ID = 7000001;

/** A minimal PDF: the pact keeps it as the example and matches the sandbox's PDF by its content type only. */
const PDF_EXAMPLE = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

// ---- matchers for what the sandbox answers (contracts/schemas/v1.ts, v2.ts) ------------------------------------

/** v1 dates: a .NET DateTime without offset. */
const v1Date = (example: string) => regex(/^\d{4}-\d{2}-\d{2}T00:00:00$/, example);
/** An instant with its offset (v1 lastChanged, v2 *DateTimeOffset). */
const instant = (example: string) => regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/, example);
const localDate = (example: string) => regex(/^\d{4}-\d{2}-\d{2}$/, example);

const JSON_RESPONSE = { 'Content-Type': regex(/^application\/json.*/, 'application/json; charset=utf-8') };
/** Present, and loose: the verification puts the interaction's own integration's credentials here. */
const BEARER = { Authorization: like(`Bearer ${TOKEN}`) };
/** v2 sits behind API Management: the subscription key too. v1 has none. */
const AUTH = { ...BEARER, 'Ocp-Apim-Subscription-Key': like(KEYS.subscriptionKey) };
const V1_JSON_REQUEST = { ...BEARER, 'Content-Type': 'application/json' };
const JSON_REQUEST = { ...AUTH, 'Content-Type': 'application/json' };

function v1Invoice(o: { id?: string; invoiceNo: number; amount: number; cid: string }) {
  return {
    id: uuid(o.id ?? INVOICE_ID),
    customerCode: integer(10001),
    invoiceNo: integer(o.invoiceNo),
    invoiceDate: v1Date('2026-01-05T00:00:00'),
    dueDate: v1Date('2026-01-19T00:00:00'),
    originalAmount: number(o.amount),
    remainingAmount: number(o.amount),
    currencyCode: 'NOK',
    cid: regex(/^\d+$/, o.cid),
    lastChanged: instant('2026-02-02T08:00:00+01:00'),
  };
}

function v1Case(o: { code: string; status: 0 | 10; invoices: unknown; balanceAgency?: number; externalCaseUrl?: string }) {
  return {
    id: uuid(CASE_ID),
    code: o.code,
    status: o.status,
    invoices: o.invoices,
    ...(o.externalCaseUrl !== undefined ? { externalCaseUrl: o.externalCaseUrl } : {}),
    ...(o.balanceAgency !== undefined ? { balanceAgency: number(o.balanceAgency) } : {}),
    lastChanged: instant('2026-02-02T08:00:00+01:00'),
    invoiceLastChanged: instant('2026-02-02T08:00:00+01:00'),
  };
}

function v1Match(o: { amount: number; voucherType: number; isWriteOff: boolean }) {
  return {
    id: integer(1),
    customerCode: integer(10001),
    voucherDate: v1Date('2026-02-02T00:00:00'),
    postingDate: v1Date('2026-02-02T00:00:00'),
    voucherNo: integer(3),
    voucherType: o.voucherType,
    amount: number(o.amount),
    currencyAmount: number(o.amount),
    currencyCode: 'NOK',
    voucherId: uuid(VOUCHER_ID),
    isWriteOff: o.isWriteOff,
    lastChanged: instant('2026-02-02T08:00:00+01:00'),
  };
}

// ---- the SDK under test ----------------------------------------------------------------------------------------

/**
 * The SDK fetches POST /OAuth/Token before its first call. The token exchange has an interaction of its own
 * ("a request for an access token"); every other interaction is about its one agency call, so here the token
 * request is answered locally with the endpoint's own shape, and everything else goes to the Pact mock server.
 */
const withLocalToken: Fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if ((init?.method ?? 'GET').toUpperCase() === 'POST' && /\/oauth\/token$/i.test(url.pathname))
    return new Response(JSON.stringify(TOKEN_RESPONSE), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
  return globalThis.fetch(input, init);
};

/**
 * The pact has one provider, so both APIs point at the mock server: v1 at its root, v2 under /v2, one /OAuth/Token
 * (the verification maps paths without a host to the right one, and a token request to v2 iff it carries the key).
 */
function sdk(mockServer: V3MockServer, options: { localToken?: boolean } = {}): AgencyClient {
  const root = mockServer.url;
  const endpoints = { v1: { baseUrl: root, tokenUrl: `${root}/OAuth/Token` }, v2: { baseUrl: `${root}/v2`, tokenUrl: `${root}/OAuth/Token` } };
  return createAgencyClient({ endpoints, ...KEYS, ...(options.localToken === false ? {} : { fetch: withLocalToken }), retry: { maxRetries: 0 } });
}

// ---- the interactions ------------------------------------------------------------------------------------------

const DESCRIPTIONS = {
  token: 'a request for an access token',
  tokenV2: 'a request for a v2 access token',
  available: 'a poll for invoices approved for collection',
  create: 'opening a case for an approved invoice',
  add: 'adding another invoice of the debtor to an open case',
  merge: 'merging two cases of one debtor',
  status: 'reporting the status of a case',
  close: 'closing a settled case',
  matched: 'the matched items of a collection invoice',
  allMatched: 'all matched items changed since the last poll',
  pdf: "the PDF of an invoice for the debtor's file",
  bank: 'settling collected money with a bank journal',
  manual: 'sending the collection costs as a manual journal',
} as const;

describe("consumer: the SDK's agency flow", () => {
  const pact = new PactV4({ consumer: CONSUMER, provider: PROVIDER, dir: PACTS, logLevel: 'error' });

  beforeAll(async () => {
    // A fresh file: interactions removed from this test must not linger in a merged pact.
    await mkdir(PACTS, { recursive: true });
    await rm(PACT_FILE, { force: true });
  });

  it('POST /OAuth/Token for v1: client credentials with Basic auth, no subscription key; a refresh token comes back', async () => {
    await pact
      .addInteraction()
      .given('a debt-collection integration')
      .uponReceiving(DESCRIPTIONS.token)
      .withRequest('POST', '/OAuth/Token', (b) =>
        b
          .headers({ Authorization: regex(/^Basic [A-Za-z0-9+/=]+$/, BASIC), 'Content-Type': 'application/x-www-form-urlencoded' })
          // pact-js has no form body builder: a body with its content type gets a content-type matcher on $, which a
          // form (detected as text/plain) fails; the rule on the field is more specific and matches it by equality.
          .body('application/x-www-form-urlencoded', Buffer.from('grant_type=client_credentials'))
          .matchingRules({ body: { path: '$.grant_type', rules: [{ 'pact:matcher:type': 'equality', value: 'client_credentials' }] } }),
      )
      .willRespondWith(200, (b) =>
        b.headers(JSON_RESPONSE).jsonBody({ access_token: like(TOKEN), token_type: 'bearer', expires_in: integer(600), refresh_token: like('refresh.example') }),
      )
      .executeTest(async (mockServer) => {
        const agency = sdk(mockServer, { localToken: false });
        expect(await agency.accessToken('v1')).toBe(TOKEN);
      });
  });

  it('POST /OAuth/Token for v2: client credentials with Basic auth and the subscription key', async () => {
    await pact
      .addInteraction()
      .given('a debt-collection integration')
      .uponReceiving(DESCRIPTIONS.tokenV2)
      .withRequest('POST', '/OAuth/Token', (b) =>
        b
          .headers({ Authorization: regex(/^Basic [A-Za-z0-9+/=]+$/, BASIC), 'Ocp-Apim-Subscription-Key': like(KEYS.subscriptionKey), 'Content-Type': 'application/x-www-form-urlencoded' })
          .body('application/x-www-form-urlencoded', Buffer.from('grant_type=client_credentials'))
          .matchingRules({ body: { path: '$.grant_type', rules: [{ 'pact:matcher:type': 'equality', value: 'client_credentials' }] } }),
      )
      .willRespondWith(200, (b) => b.headers(JSON_RESPONSE).jsonBody({ access_token: like(TOKEN), token_type: 'bearer', expires_in: integer(1200) }))
      .executeTest(async (mockServer) => {
        const agency = sdk(mockServer, { localToken: false });
        expect(await agency.accessToken('v2')).toBe(TOKEN);
      });
  });

  it('GET /DebtCollection/Invoices/AvailableInvoices: the approved invoices', async () => {
    await pact
      .addInteraction()
      .given('an approved invoice {invoiceNo} of {amount} NOK exists', { invoiceNo: 10001, amount: 1250 })
      .uponReceiving(DESCRIPTIONS.available)
      .withRequest('GET', '/DebtCollection/Invoices/AvailableInvoices', (b) => b.headers(BEARER))
      .willRespondWith(200, (b) =>
        b.headers(JSON_RESPONSE).jsonBody({
          data: eachLike({ ...v1Invoice({ invoiceNo: 10001, amount: 1250, cid: '100014' }), invoiceNo: 10001, invoiceEmailAddress: like('post@olanordmann.no') }),
          count: integer(1),
          success: true,
        }),
      )
      .executeTest(async (mockServer) => {
        const { data, count } = await sdk(mockServer).debtCollection.availableInvoices();
        expect(count).toBe(1);
        expect(data).toHaveLength(1);
        expect(data[0]).toMatchObject({ id: INVOICE_ID, invoiceNo: 10001, originalAmount: 1250, remainingAmount: 1250, currencyCode: 'NOK', invoiceEmailAddress: 'post@olanordmann.no' });
      });
  });

  it('POST /DebtCollection: a case for the approved invoice', async () => {
    await pact
      .addInteraction()
      .given('an approved invoice exists', { amount: 1250 })
      .uponReceiving(DESCRIPTIONS.create)
      .withRequest('POST', '/DebtCollection', (b) =>
        b.headers(V1_JSON_REQUEST).jsonBody({
          code: 'K-10001',
          invoices: [fromProviderState('${invoiceId}', INVOICE_ID)],
          externalCaseUrl: 'https://agency.example/cases/K-10001',
          balanceAgency: 1250,
        }),
      )
      .willRespondWith(200, (b) =>
        b.headers(JSON_RESPONSE).jsonBody({
          data: v1Case({
            code: 'K-10001',
            status: 0,
            invoices: eachLike(v1Invoice({ invoiceNo: 10001, amount: 1250, cid: '100014' })),
            externalCaseUrl: 'https://agency.example/cases/K-10001',
            balanceAgency: 1250,
          }),
          success: true,
        }),
      )
      .executeTest(async (mockServer) => {
        const kase = await sdk(mockServer).debtCollection.createCase({ code: 'K-10001', invoices: [INVOICE_ID], externalCaseUrl: 'https://agency.example/cases/K-10001', balanceAgency: 1250 });
        expect(kase).toMatchObject({ id: CASE_ID, code: 'K-10001', status: 0, externalCaseUrl: 'https://agency.example/cases/K-10001', balanceAgency: 1250 });
        expect(kase.invoices.map((i) => i.id)).toEqual([INVOICE_ID]);
      });
  });

  it('POST /DebtCollection/AddInvoicesToCase: another invoice of the debtor joins the case', async () => {
    await pact
      .addInteraction()
      .given('an open case {caseCode} and another approved invoice of the same customer', { caseCode: 'K-10001', amount: 1250, otherAmount: 800 })
      .uponReceiving(DESCRIPTIONS.add)
      .withRequest('POST', '/DebtCollection/AddInvoicesToCase', (b) =>
        b.headers(V1_JSON_REQUEST).jsonBody({ caseId: fromProviderState('${caseId}', CASE_ID), invoiceIds: [fromProviderState('${invoiceId}', OTHER_INVOICE_ID)] }),
      )
      .willRespondWith(200, (b) =>
        b.headers(JSON_RESPONSE).jsonBody({
          data: v1Case({ code: 'K-10001', status: 0, invoices: eachLike(v1Invoice({ invoiceNo: 10001, amount: 1250, cid: '100014' }), 2) }),
          success: true,
        }),
      )
      .executeTest(async (mockServer) => {
        const kase = await sdk(mockServer).debtCollection.addInvoicesToCase(CASE_ID, [OTHER_INVOICE_ID]);
        expect(kase).toMatchObject({ id: CASE_ID, code: 'K-10001', status: 0 });
        expect(kase.invoices).toHaveLength(2);
      });
  });

  it('POST /DebtCollection/MergeCases: two cases of one debtor become one', async () => {
    await pact
      .addInteraction()
      .given('two open cases {caseCode} and {otherCaseCode} of the same customer', { caseCode: 'K-10001', otherCaseCode: 'K-10002', amount: 1250, otherAmount: 800 })
      .uponReceiving(DESCRIPTIONS.merge)
      .withRequest('POST', '/DebtCollection/MergeCases', (b) =>
        b.headers(V1_JSON_REQUEST).jsonBody({
          caseNo: 'K-10001-S',
          caseIds: [fromProviderState('${caseId}', CASE_ID), fromProviderState('${otherCaseId}', OTHER_CASE_ID)],
          externalCaseUrl: 'https://agency.example/cases/K-10001-S',
        }),
      )
      .willRespondWith(200, (b) =>
        b.headers(JSON_RESPONSE).jsonBody({
          data: v1Case({
            code: 'K-10001-S',
            status: 0,
            invoices: eachLike(v1Invoice({ invoiceNo: 10001, amount: 1250, cid: '100014' }), 2),
            externalCaseUrl: 'https://agency.example/cases/K-10001-S',
          }),
          success: true,
        }),
      )
      .executeTest(async (mockServer) => {
        const kase = await sdk(mockServer).debtCollection.mergeCases({ caseNo: 'K-10001-S', caseIds: [CASE_ID, OTHER_CASE_ID], externalCaseUrl: 'https://agency.example/cases/K-10001-S' });
        expect(kase).toMatchObject({ id: CASE_ID, code: 'K-10001-S', status: 0, externalCaseUrl: 'https://agency.example/cases/K-10001-S' });
        expect(kase.invoices).toHaveLength(2);
      });
  });

  it('POST /DebtCollection/UpdateStatus: the status text and the balance at the agency', async () => {
    await pact
      .addInteraction()
      .given('an open case {caseCode} for an invoice of {amount} NOK', { caseCode: 'K-10001', amount: 1250 })
      .uponReceiving(DESCRIPTIONS.status)
      .withRequest('POST', '/DebtCollection/UpdateStatus', (b) =>
        b.headers(V1_JSON_REQUEST).jsonBody({ caseId: fromProviderState('${caseId}', CASE_ID), statusText: 'Inkassovarsel sendt', isCaseClosed: false, updatedBalanceAgency: 1310 }),
      )
      .willRespondWith(200, (b) =>
        b.headers(JSON_RESPONSE).jsonBody({
          data: v1Case({ code: 'K-10001', status: 0, invoices: eachLike(v1Invoice({ invoiceNo: 10001, amount: 1250, cid: '100014' })), balanceAgency: 1310 }),
          success: true,
        }),
      )
      .executeTest(async (mockServer) => {
        const kase = await sdk(mockServer).debtCollection.updateStatus({ caseId: CASE_ID, statusText: 'Inkassovarsel sendt', isCaseClosed: false, updatedBalanceAgency: 1310 });
        expect(kase).toMatchObject({ id: CASE_ID, status: 0, balanceAgency: 1310 });
      });
  });

  it('POST /DebtCollection/UpdateStatus: closing a case the agency settled', async () => {
    await pact
      .addInteraction()
      .given('an open case {caseCode} settled with a bank journal of {amount} NOK', { caseCode: 'K-10001', amount: 1250, invoiceAmount: 1250 })
      .uponReceiving(DESCRIPTIONS.close)
      .withRequest('POST', '/DebtCollection/UpdateStatus', (b) =>
        b.headers(V1_JSON_REQUEST).jsonBody({ caseId: fromProviderState('${caseId}', CASE_ID), statusText: 'Betalt i sin helhet', isCaseClosed: true, updatedBalanceAgency: 0 }),
      )
      .willRespondWith(200, (b) =>
        b.headers(JSON_RESPONSE).jsonBody({
          data: v1Case({ code: 'K-10001', status: 10, invoices: eachLike({ ...v1Invoice({ invoiceNo: 10001, amount: 1250, cid: '100014' }), remainingAmount: number(0) }), balanceAgency: 0 }),
          success: true,
        }),
      )
      .executeTest(async (mockServer) => {
        const kase = await sdk(mockServer).debtCollection.updateStatus({ caseId: CASE_ID, statusText: 'Betalt i sin helhet', isCaseClosed: true, updatedBalanceAgency: 0 });
        expect(kase).toMatchObject({ id: CASE_ID, status: 10, balanceAgency: 0 });
        expect(kase.invoices[0]!.remainingAmount).toBe(0);
      });
  });

  it('GET /DebtCollection/MatchedItems/{id}: a payment the debtor made directly to the client', async () => {
    await pact
      .addInteraction()
      .given('an open case {caseCode} with a direct payment of {amount} NOK', { caseCode: 'K-10001', amount: 500, invoiceAmount: 2000 })
      .uponReceiving(DESCRIPTIONS.matched)
      .withRequest('GET', fromProviderState('/DebtCollection/MatchedItems/${invoiceId}', `/DebtCollection/MatchedItems/${INVOICE_ID}`), (b) => b.headers(BEARER))
      .willRespondWith(200, (b) =>
        b.headers(JSON_RESPONSE).jsonBody({ data: eachLike(v1Match({ amount: -500, voucherType: 19, isWriteOff: false })), count: integer(1), success: true }),
      )
      .executeTest(async (mockServer) => {
        const { data, count } = await sdk(mockServer).debtCollection.matchedItems(INVOICE_ID);
        expect(count).toBe(1);
        expect(data[0]).toMatchObject({ amount: -500, currencyCode: 'NOK', voucherType: 19, voucherId: VOUCHER_ID, isWriteOff: false });
      });
  });

  it('GET /DebtCollection/GetAllMatchedItems: everything matched since the last poll', async () => {
    await pact
      .addInteraction()
      .given('an open case {caseCode} settled with a bank journal of {amount} NOK', { caseCode: 'K-10001', amount: 1250, invoiceAmount: 1250 })
      .uponReceiving(DESCRIPTIONS.allMatched)
      .withRequest('GET', '/DebtCollection/GetAllMatchedItems', (b) => b.headers(BEARER).query({ fromDateTime: fromProviderState('${fromDateTime}', FROM_DATE_TIME) }))
      .willRespondWith(200, (b) =>
        b.headers(JSON_RESPONSE).jsonBody({
          data: eachLike({ matchedItems: eachLike({ ...v1Match({ amount: -1250, voucherType: 19, isWriteOff: false }), cid: regex(/^\d+$/, '100014') }) }),
          count: integer(1),
          success: true,
        }),
      )
      .executeTest(async (mockServer) => {
        const { data, count } = await sdk(mockServer).debtCollection.allMatchedItems(FROM_DATE_TIME);
        expect(count).toBe(1);
        expect(data[0]!.matchedItems[0]).toMatchObject({ amount: -1250, voucherType: 19, isWriteOff: false, cid: '100014' });
      });
  });

  it('GET /DebtCollection/GetInvoicePdf/{id}: the invoice as a PDF', async () => {
    await pact
      .addInteraction()
      .given('an approved invoice exists', { amount: 1250 })
      .uponReceiving(DESCRIPTIONS.pdf)
      // The SDK sends no subscription key here (v1 does not need one).
      .withRequest('GET', fromProviderState('/DebtCollection/GetInvoicePdf/${invoiceId}', `/DebtCollection/GetInvoicePdf/${INVOICE_ID}`), (b) => b.headers({ ...BEARER, Accept: 'application/pdf' }))
      // A binary body is matched by its content type (pact-js sets a content-type matcher): any PDF will do.
      .willRespondWith(200, (b) => b.headers({ 'Content-Type': 'application/pdf' }).body('application/pdf', PDF_EXAMPLE))
      .executeTest(async (mockServer) => {
        const pdf = await sdk(mockServer).debtCollection.invoicePdf(INVOICE_ID);
        expect(pdf).toBeInstanceOf(Uint8Array);
        expect(Buffer.from(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      });
  });

  it('POST /v2/Vouchers/BankJournals: settling collected money on the invoice', async () => {
    await pact
      .addInteraction()
      .given('an open case {caseCode} for an invoice of {amount} NOK', { caseCode: 'K-10001', amount: 1250 })
      .uponReceiving(DESCRIPTIONS.bank)
      .withRequest('POST', '/v2/Vouchers/BankJournals', (b) =>
        b.headers(JSON_REQUEST).jsonBody({
          VoucherDate: fromProviderState('${today}', TODAY),
          CurrencyCode: 'NOK',
          Description: 'Oppgjør K-10001',
          ExternalImportReference: 'settlement-K-10001-1',
          VoucherLines: [
            { PostingDate: fromProviderState('${today}', TODAY), AccountId: fromProviderState('${subledgerAccountId}', SUBLEDGER_ACCOUNT_ID), CurrencyAmount: -1250, InvoiceNo: fromProviderState('${invoiceNoText}', '10001'), VatId: null, Description: 'Innbetalt på sak K-10001' },
            { PostingDate: fromProviderState('${today}', TODAY), AccountId: fromProviderState('${bankAccountId}', BANK_ACCOUNT_ID), CurrencyAmount: 1250, VatId: null, Description: 'Utbetalt fra inkassobyrå' },
          ],
        }),
      )
      .willRespondWith(201, (b) =>
        b.headers(JSON_RESPONSE).jsonBody({
          Id: uuid(VOUCHER_ID),
          VoucherNo: integer(3),
          VoucherDate: localDate(TODAY),
          CurrencyCode: 'NOK',
          ExternalImportReference: 'settlement-K-10001-1',
          IsReversed: false,
          CreatedDateTimeOffset: instant('2026-02-02T07:00:00.0000000+00:00'),
          VoucherLines: eachLike({ Id: integer(1), AccountId: integer(SUBLEDGER_ACCOUNT_ID), CurrencyAmount: number(-1250), CurrencyCode: 'NOK', PostingDate: localDate(TODAY) }, 2),
        }),
      )
      .executeTest(async (mockServer) => {
        const voucher = await sdk(mockServer).v2.postBankJournal({
          VoucherDate: TODAY,
          CurrencyCode: 'NOK',
          Description: 'Oppgjør K-10001',
          ExternalImportReference: 'settlement-K-10001-1',
          VoucherLines: [
            { PostingDate: TODAY, AccountId: SUBLEDGER_ACCOUNT_ID, CurrencyAmount: -1250, InvoiceNo: '10001', VatId: null, Description: 'Innbetalt på sak K-10001' },
            { PostingDate: TODAY, AccountId: BANK_ACCOUNT_ID, CurrencyAmount: 1250, VatId: null, Description: 'Utbetalt fra inkassobyrå' },
          ],
        });
        expect(voucher).toMatchObject({ Id: VOUCHER_ID, VoucherDate: TODAY, ExternalImportReference: 'settlement-K-10001-1', IsReversed: false });
        expect(voucher.VoucherLines).toHaveLength(2);
      });
  });

  it('POST /v2/JournalEntryVouchers/ManualJournals: the collection costs as a draft for the client', async () => {
    await pact
      .addInteraction()
      .given('an open case {caseCode} settled with a bank journal of {amount} NOK', { caseCode: 'K-10001', amount: 1250, invoiceAmount: 1250 })
      .uponReceiving(DESCRIPTIONS.manual)
      .withRequest('POST', '/v2/JournalEntryVouchers/ManualJournals', (b) =>
        b.headers(JSON_REQUEST).jsonBody({
          VoucherDate: fromProviderState('${today}', TODAY),
          CurrencyCode: 'NOK',
          Description: 'Inkassokostnader K-10001',
          ManualVoucherLines: [
            { DebitAccountId: fromProviderState('${costsAccountId}', COSTS_ACCOUNT_ID), DebitVatId: fromProviderState('${inputVatId}', INPUT_VAT_HIGH_ID), CreditAccountId: fromProviderState('${bankAccountId}', BANK_ACCOUNT_ID), CurrencyAmount: 312.5, Description: 'Salær K-10001' },
          ],
        }),
      )
      .willRespondWith(201, (b) =>
        b.headers(JSON_RESPONSE).jsonBody({
          Id: uuid(VOUCHER_ID),
          VoucherDate: localDate(TODAY),
          CurrencyCode: 'NOK',
          Description: like('Inkassokostnader K-10001'),
          ManualVoucherLines: eachLike({
            Id: integer(1),
            DebitAccountId: integer(COSTS_ACCOUNT_ID),
            CreditAccountId: integer(BANK_ACCOUNT_ID),
            DebitVatId: integer(INPUT_VAT_HIGH_ID),
            CurrencyAmount: number(312.5),
            PostingDate: localDate(TODAY),
          }),
        }),
      )
      .executeTest(async (mockServer) => {
        const draft = await sdk(mockServer).v2.postManualJournal({
          VoucherDate: TODAY,
          CurrencyCode: 'NOK',
          Description: 'Inkassokostnader K-10001',
          ManualVoucherLines: [{ DebitAccountId: COSTS_ACCOUNT_ID, DebitVatId: INPUT_VAT_HIGH_ID, CreditAccountId: BANK_ACCOUNT_ID, CurrencyAmount: 312.5, Description: 'Salær K-10001' }],
        });
        expect(draft).toMatchObject({ Id: VOUCHER_ID, VoucherDate: TODAY });
        expect(draft).not.toHaveProperty('ExternalImportReference');
        expect(draft.ManualVoucherLines![0]).toMatchObject({ DebitAccountId: COSTS_ACCOUNT_ID, CreditAccountId: BANK_ACCOUNT_ID, CurrencyAmount: 312.5 });
      });
  });
});

describe('provider: the sandbox verifies the SDK pacts', () => {
  it('every interaction in contracts/pacts/ passes against the sandbox', async () => {
    const report = await verifyPactsIsolated([PACTS]);
    const text = formatReport(report);
    expect(report.interactions.filter((i) => i.outcome !== 'passed'), text).toEqual([]);
    expect(report.failed, text).toBe(0);
    expect(report.ok, text).toBe(true);
    const ours = report.interactions.filter((i) => i.consumer === CONSUMER);
    expect(ours.map((i) => i.description).sort(), text).toEqual(Object.values(DESCRIPTIONS).sort());
    for (const i of ours) expect(i.outcome, `${i.description}\n${text}`).toBe('passed');
  });
});
