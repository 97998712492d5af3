/**
 * A client with something of everything, so fuzzed requests carry real ids and reach the handlers: two
 * customers, invoices in every collection state (None, Draft, OnHold, Approved, in a case), two cases of one
 * customer (for merges), a write-off voucher, a voucher-reception draft, a fault that never fires, a snapshot,
 * and an access token. Built through the HTTP API like any caller would.
 */
import type { HttpClient, RawResponse } from './http-client.js';
import { basicAuth } from './http-client.js';
import { OSLO_ADDRESS } from '../../sdk/control/fixtures.js';

export const ADDRESS = OSLO_ADDRESS;
export const BANK = 5_001_920;
export const COSTS = 5_007_770;

export interface Integration {
  id: string;
  applicationKey: string;
  clientKey: string;
  subscriptionKey: string;
}

export interface Fixture {
  clientId: string;
  integration: Integration;
  customer: any;
  other: any;
  draft: any;
  held: any;
  approved: any;
  approved2: any;
  inCase: any;
  inCase2: any;
  notDue: any;
  /** Overdue but not yet a draft: on the reminder list with status None. */
  overdueNone: any;
  writtenOff: any;
  writeOff: any;
  kase: any;
  kase2: any;
  reception: any;
  /** A bank voucher the integration posted (10 NOK on inCase2), for the v2 read-back. */
  bankVoucher: any;
  fault: any;
  subledger: number;
  /** The v1 token (tokens.v2 for v2). */
  token: string;
  tokens: { v1: string; v2: string };
  /** Bearer token of the API the path belongs to (v2 for /v2/...), and the subscription key. */
  agencyHeaders(path: string): Record<string, string>;
}

export async function expectStatus(res: Promise<RawResponse> | RawResponse, status: number, what: string): Promise<any> {
  const r = await res;
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status}: ${r.text.slice(0, 500)}`);
  return r.body;
}

/** A token from one host's token URL: v1 without the subscription key, v2 with it. */
export async function fetchToken(c: HttpClient, integration: Integration, api: 'v1' | 'v2' = 'v1'): Promise<string> {
  const res = await c.request({
    method: 'POST',
    path: api === 'v1' ? '/api.poweroffice.net/OAuth/Token' : '/goapi.poweroffice.net/OAuth/Token',
    headers: {
      authorization: basicAuth(integration.applicationKey, integration.clientKey),
      ...(api === 'v2' ? { 'ocp-apim-subscription-key': integration.subscriptionKey } : {}),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return (await expectStatus(res, 200, 'token')).access_token;
}

export async function buildFixture(c: HttpClient, name = 'Fuzz AS'): Promise<Fixture> {
  const client = await expectStatus(c.json('POST', '/_sandbox/clients', { name, startDate: '2026-01-05' }), 201, 'createClient');
  const base = `/_sandbox/clients/${client.id}`;
  const post = (path: string, body: unknown, status = 201) => expectStatus(c.json('POST', `${base}${path}`, body), status, `POST ${path}`);
  const customer = await post('/customers', { name: 'Ola Nordmann AS', organizationNumber: '974760673', emailAddress: 'ola@example.no', mailAddress: ADDRESS });
  const other = await post('/customers', { name: 'Kari Nordmann AS', mailAddress: ADDRESS });
  const overdue = (customerId: number, amount = 1000) => post('/invoices', { customerId, amount, invoiceDate: '2025-12-01', dueDate: '2025-12-15' });
  const toDraft = async (inv: any) => {
    if (inv.status === 'None') await post('/collection/override', { invoiceIds: [inv.id], nextAction: 'Inkasso' }, 200);
    return inv;
  };
  const toApproved = async (inv: any) => {
    await toDraft(inv);
    await post('/collection/approve', { invoiceIds: [inv.id] }, 200);
    return inv;
  };
  const draft = await toDraft(await overdue(customer.id));
  const held = await toDraft(await overdue(customer.id));
  await post('/collection/hold', { invoiceIds: [held.id] }, 200);
  const approved = await toApproved(await overdue(customer.id));
  const approved2 = await toApproved(await overdue(customer.id));
  const inCase = await toApproved(await overdue(customer.id, 1250));
  const inCase2 = await toApproved(await overdue(customer.id, 800));
  const notDue = await post('/invoices', { customerId: customer.id, amount: 1000, invoiceDate: '2026-01-05', dueDate: '2026-01-19' });
  const overdueNone = await post('/invoices', { customerId: customer.id, amount: 900, invoiceDate: '2025-12-20', dueDate: '2026-01-01' });
  if (overdueNone.status !== 'None') throw new Error(`fixture: expected an overdue invoice in None, got ${overdueNone.status}`);
  const writtenOff = await post('/invoices', { customerId: other.id, amount: 300, invoiceDate: '2026-01-05', dueDate: '2026-01-19' });
  const writeOff = await post('/write-offs', { invoiceIds: [writtenOff.id], description: 'Konkurs' });
  const fault = await post('/faults', { match: { operationId: 'fuzzNeverMatches' }, effect: { status: 503 }, count: 1 });
  await post('/snapshots', { name: 'base' });

  const integration = client.integrations[0] as Integration;
  const tokens = { v1: await fetchToken(c, integration, 'v1'), v2: await fetchToken(c, integration, 'v2') };
  const agencyHeaders = (path: string) => ({ authorization: `Bearer ${/^\/(demo\/)?v2(\/|$)/i.test(path) ? tokens.v2 : tokens.v1}`, 'ocp-apim-subscription-key': integration.subscriptionKey });
  const agencyPost = (path: string, body: unknown, status: number) => expectStatus(c.json('POST', path, body, agencyHeaders(path)), status, `POST ${path}`);
  // kase, kase2, subledger and reception are filled in below, through the agency faces.
  const fixture: Fixture = { clientId: client.id, integration, customer, other, draft, held, approved, approved2, inCase, inCase2, notDue, overdueNone, writtenOff, writeOff, fault, token: tokens.v1, tokens, agencyHeaders, kase: null, kase2: null, reception: null, bankVoucher: null, subledger: 0 };

  fixture.kase = (await agencyPost('/DebtCollection', { code: 'K-1', invoices: [inCase.id] }, 200)).data;
  fixture.kase2 = (await agencyPost('/DebtCollection', { code: 'K-2', invoices: [inCase2.id] }, 200)).data;
  const customers = await expectStatus(c.request({ method: 'GET', path: '/v2/Customers', headers: agencyHeaders('/v2/Customers') }), 200, 'v2 customers');
  fixture.subledger = customers.find((x: any) => x.Id === customer.id).SubledgerAccountId;
  fixture.reception = await agencyPost(
    '/v2/JournalEntryVouchers/ManualJournals',
    { VoucherDate: '2026-01-05', CurrencyCode: 'NOK', Description: 'Salær', ManualVoucherLines: [{ DebitAccountId: COSTS, CreditAccountId: BANK, CurrencyAmount: 125 }] },
    201,
  );
  fixture.bankVoucher = await agencyPost(
    '/v2/Vouchers/BankJournals',
    {
      VoucherDate: '2026-01-05',
      CurrencyCode: 'NOK',
      VoucherLines: [
        { PostingDate: '2026-01-05', AccountId: fixture.subledger, CurrencyAmount: -10, InvoiceNo: String(inCase2.invoiceNo), VatId: null },
        { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 10, VatId: null },
      ],
    },
    201,
  );
  return fixture;
}
