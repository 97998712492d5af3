// A careless agency integration: it works on a good day, and `inkasso-sandbox certify` shows where it breaks.
// Each shortcut below is one a real integration takes, and each fails a named check:
// - a new token for every call                                  -> token-reuse (and v1-refresh)
// - one case per invoice, no look at the debtor's address       -> one-case-per-customer, rejected-case
// - a write-off counted as money in                             -> write-off-not-payment
// - `res.ok` taken as success (v1 answers failures with 200)    -> v1-success-false, status-updates, direct-payment
// - a retry right after a 429, and right after a lost answer    -> retry-after, read-back-after-drop,
//                                                                  settlement-balanced
// - the "changed since" cursor from its own clock, so it re-reads every invoice to be safe
//                                                               -> sandbox-clock, changed-since
import { existsSync, readFileSync } from 'node:fs';

const V1 = process.env.POWEROFFICE_V1_BASE_URL.replace(/\/+$/, '');
const V2 = process.env.POWEROFFICE_V2_BASE_URL.replace(/\/+$/, '');
const TOKEN_URL = { v1: process.env.POWEROFFICE_V1_TOKEN_URL, v2: process.env.POWEROFFICE_V2_TOKEN_URL };
const KEYS = `${process.env.POWEROFFICE_APPLICATION_KEY}:${process.env.POWEROFFICE_CLIENT_KEY}`;
const BASIC = `Basic ${Buffer.from(KEYS).toString('base64')}`;
const SUBSCRIPTION_KEY = process.env.POWEROFFICE_SUBSCRIPTION_KEY;
const COLLECTIONS = process.env.INKASSO_CERTIFY_COLLECTIONS;
const POLL_MS = Number(process.env.AGENCY_POLL_MS ?? 300);
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const log = (...a) => console.log('[careless]', ...a);

async function call(face, method, path, body) {
  // A fresh token every time: simple, and wrong.
  const headers = { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' };
  if (face === 'v2') headers['ocp-apim-subscription-key'] = SUBSCRIPTION_KEY;
  const tok = await fetch(TOKEN_URL[face], { method: 'POST', headers, body: 'grant_type=client_credentials' }).then((r) => r.json());
  const res = await fetch(`${face === 'v1' ? V1 : V2}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tok.access_token}`,
      'ocp-apim-subscription-key': SUBSCRIPTION_KEY,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`); // a 200 is fine, surely
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  return face === 'v1' ? json?.data : json;
}

const reported = new Map(); // caseId -> balance we told Go
const settled = new Set();
let since = '2000-01-01T00:00:00Z';

async function poll() {
  // One case per invoice.
  for (const inv of (await call('v1', 'GET', '/DebtCollection/Invoices/AvailableInvoices')) ?? []) {
    const kase = await call('v1', 'POST', '/DebtCollection', {
      code: `CL-${inv.invoiceNo}`,
      invoices: [inv.id],
      balanceAgency: inv.remainingAmount,
    });
    reported.set(kase?.id, inv.remainingAmount);
    log(`opened CL-${inv.invoiceNo}`);
  }
  // Changes since our own clock (it sees nothing under a sandbox clock)...
  await call('v1', 'GET', `/DebtCollection/GetAllMatchedItems?fromDateTime=${encodeURIComponent(since)}`);
  since = new Date().toISOString();
  // ...so it reads every invoice's matches on every poll, and counts every match as money in.
  for (const kase of (await call('v1', 'GET', '/DebtCollection')) ?? []) {
    if (kase.status !== 'Active' && kase.status !== 0) continue;
    let outstanding = 0;
    for (const inv of kase.invoices) {
      const matches = (await call('v1', 'GET', `/DebtCollection/MatchedItems/${inv.id}`)) ?? [];
      outstanding += Math.max(0, inv.originalAmount + matches.reduce((s, m) => s + m.amount, 0));
    }
    outstanding = Math.round(outstanding * 100) / 100;
    if (reported.has(kase.id) && reported.get(kase.id) === outstanding) continue;
    await call('v1', 'POST', '/DebtCollection/UpdateStatus', {
      caseId: kase.id,
      statusText: `Balance ${outstanding}`,
      updatedBalanceAgency: outstanding,
      ...(outstanding === 0 ? { isCaseClosed: true } : {}),
    });
    reported.set(kase.id, outstanding);
  }
  await settle();
}

async function settle() {
  if (!COLLECTIONS || !existsSync(COLLECTIONS)) return;
  for (const col of readFileSync(COLLECTIONS, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))) {
    if (settled.has(col.reference)) continue;
    const customers = (await call('v2', 'GET', '/Customers')) ?? [];
    const accounts = (await call('v2', 'GET', '/GeneralLedgerAccounts')) ?? [];
    const vat = (await call('v2', 'GET', '/VatCodes')) ?? [];
    const cases = (await call('v1', 'GET', '/DebtCollection')) ?? [];
    const invoice = cases.flatMap((c) => c.invoices).find((i) => i.id === col.invoiceId);
    const customer = customers.find((c) => c.Number === invoice?.customerCode);
    if (!invoice || !customer) continue;
    const bank = accounts.find((a) => a.AccountNo === 1920).Id;
    const noVat = vat.find((v) => v.Code === '0')?.Id;
    const journal = {
      VoucherDate: col.date,
      CurrencyCode: 'NOK',
      VoucherLines: [
        {
          AccountId: customer.SubledgerAccountId,
          CurrencyAmount: -col.amount,
          InvoiceNo: String(invoice.invoiceNo),
          PostingDate: col.date,
          VatId: noVat,
        },
        { AccountId: bank, CurrencyAmount: col.amount, PostingDate: col.date, VatId: noVat },
      ],
    };
    try {
      await call('v2', 'POST', '/Vouchers/BankJournals', journal);
    } catch {
      await call('v2', 'POST', '/Vouchers/BankJournals', journal); // timed out? just send it again
    }
    const costs = accounts.find((a) => a.AccountNo === 7770).Id;
    const inputVat = vat.find((v) => v.Code === '1')?.Id;
    await call('v2', 'POST', '/JournalEntryVouchers/ManualJournals', {
      VoucherDate: col.date,
      CurrencyCode: 'NOK',
      ManualVoucherLines: [{ DebitAccountId: costs, DebitVatId: inputVat, CreditAccountId: bank, CurrencyAmount: 187.5 }],
    });
    settled.add(col.reference);
    log(`settled ${col.reference}`);
  }
}

let stopping = false;
process.on('SIGTERM', () => (stopping = true));
log(`polling every ${POLL_MS} ms`);
while (!stopping) {
  try {
    await poll();
  } catch (e) {
    log(`poll failed: ${e.message}`); // and on to the next one, at once
  }
  await sleep(POLL_MS);
}
