// A careful debt-collection agency integration, in plain Node (no SDK, no build): what `inkasso-sandbox certify`
// expects of a real one. It reads the same variables it would read in production (the four URLs and three keys),
// polls on its own, and:
// - keeps each access token until it expires, counted on the answers' Date header (the server's clock), renews the
//   v1 token with its refresh_token, and renews on a 401;
// - waits Retry-After on a 429;
// - treats a v1 answer with success:false as a failure (it keeps its cursor and tries again next poll);
// - opens one case per customer, and rejects (DELETE) what it cannot collect: a debtor without a postal address;
// - polls GetAllMatchedItems from a cursor taken from the data (the newest lastChanged), never its own clock;
// - sums payments and credit notes but not write-offs (the debtor still owes the agency);
// - settles what it collected with a bank journal (ExternalImportReference) and its fee + VAT as a voucher-reception
//   draft; after a lost answer it reads back (MatchedItems) before posting again.
// What its debtors paid it comes from a file of JSON lines (INKASSO_CERTIFY_COLLECTIONS), as the kit writes it.
import { existsSync, readFileSync } from 'node:fs';

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`set ${name}`);
  return v;
};
const V1 = env('POWEROFFICE_V1_BASE_URL').replace(/\/+$/, '');
const V2 = env('POWEROFFICE_V2_BASE_URL').replace(/\/+$/, '');
const TOKEN_URL = { v1: env('POWEROFFICE_V1_TOKEN_URL'), v2: env('POWEROFFICE_V2_TOKEN_URL') };
const APP_KEY = env('POWEROFFICE_APPLICATION_KEY');
const CLIENT_KEY = env('POWEROFFICE_CLIENT_KEY');
const SUBSCRIPTION_KEY = env('POWEROFFICE_SUBSCRIPTION_KEY');
const COLLECTIONS = process.env.INKASSO_CERTIFY_COLLECTIONS;
const POLL_MS = Number(process.env.AGENCY_POLL_MS ?? 300);
const PREFIX = process.env.AGENCY_CASE_PREFIX ?? 'CA';
const FEE = 150; // NOK per settlement, net of VAT
const OVERLAP_MS = 10 * 60_000; // two changes can share an instant: re-read a margin behind the cursor

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const log = (...a) => console.log('[careful]', ...a);
const ore = (nok) => Math.round(nok * 100);
const nok = (o) => o / 100;

class V1Failure extends Error {}
class Lost extends Error {}

// ---- tokens -------------------------------------------------------------------------------------------------
/** The server's clock as the last answer told it (Date header): tokens expire on it, not on ours. */
let serverNow;
const tokens = { v1: undefined, v2: undefined };

async function fetchToken(face) {
  const cached = tokens[face];
  const form = new URLSearchParams(
    cached?.refresh ? { grant_type: 'refresh_token', refresh_token: cached.refresh } : { grant_type: 'client_credentials' },
  );
  const headers = {
    authorization: `Basic ${Buffer.from(`${APP_KEY}:${CLIENT_KEY}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (face === 'v2') headers['ocp-apim-subscription-key'] = SUBSCRIPTION_KEY;
  let res = await fetch(TOKEN_URL[face], { method: 'POST', headers, body: form });
  if (!res.ok && cached?.refresh) {
    tokens[face] = undefined; // the refresh token was refused: start over with the keys
    return fetchToken(face);
  }
  if (res.status === 429) {
    await sleep(retryAfter(res));
    return fetchToken(face);
  }
  if (!res.ok) throw new Error(`token ${face}: ${res.status} ${await res.text()}`);
  noteDate(res);
  const body = await res.json();
  tokens[face] = { value: body.access_token, expiresAt: (serverNow ?? Date.now()) + body.expires_in * 1000, refresh: body.refresh_token };
  return tokens[face].value;
}

async function token(face) {
  const t = tokens[face];
  if (t && serverNow !== undefined && serverNow < t.expiresAt - 30_000) return t.value;
  return fetchToken(face);
}

function noteDate(res) {
  const d = Date.parse(res.headers.get('date') ?? '');
  if (Number.isFinite(d)) serverNow = d;
}

const retryAfter = (res) => Math.max(1, Number(res.headers.get('retry-after') ?? 1)) * 1000;

// ---- calls --------------------------------------------------------------------------------------------------
async function api(face, method, path, body) {
  const url = `${face === 'v1' ? V1 : V2}${path}`;
  for (let attempt = 0; attempt < 6; attempt++) {
    const headers = { authorization: `Bearer ${await token(face)}`, accept: 'application/json' };
    if (face === 'v2') headers['ocp-apim-subscription-key'] = SUBSCRIPTION_KEY;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res;
    try {
      res = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (e) {
      throw new Lost(`${method} ${path}: no answer (${e.cause?.code ?? e.message})`);
    }
    noteDate(res);
    if (res.status === 429) {
      await sleep(retryAfter(res));
      continue;
    }
    if (res.status === 401) {
      tokens[face] = tokens[face]?.refresh ? { ...tokens[face], expiresAt: 0 } : undefined;
      continue;
    }
    if (res.status === 204) return face === 'v2' ? [] : undefined;
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    // v1 answers business failures with HTTP 200 and success:false: that is a failure like any 4xx.
    if (face === 'v1' && json && json.success === false)
      throw new V1Failure(`${method} ${path}: ${json.validation?.summary ?? 'success:false'}`);
    if (!res.ok) {
      const err = new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      err.status = res.status;
      err.body = json;
      throw err;
    }
    return face === 'v1' ? json?.data : json;
  }
  throw new Error(`${method} ${path}: still failing after retries`);
}

const v1 = (method, path, body) => api('v1', method, path, body);
const v2 = (method, path, body) => api('v2', method, path, body);

// ---- state (what an agency would keep in its database) --------------------------------------------------------
let cursor; // newest lastChanged seen on a match (server time)
const seen = new Set(); // matches already handled (id and lastChanged): the overlap re-reads them
const settled = new Set(); // collection references booked
const costsSent = new Set();
let accounts;

const isActive = (c) => c.status === 'Active' || c.status === 0;
const isWriteOff = (m) => m.isWriteOff === true;
const hasAddress = (c) => ['AddressLine1', 'ZipCode', 'City'].every((f) => c?.MailAddress?.[f]?.trim());

async function customersByNumber() {
  const list = (await v2('GET', '/Customers')) ?? [];
  return new Map(list.map((c) => [c.Number, c]));
}

/** (1) Approved invoices into cases: one per customer; a debtor without a postal address is rejected. */
async function pickUp() {
  if (!(await v1('GET', '/DebtCollection/IsActiveDebtCollection'))) return;
  const available = (await v1('GET', '/DebtCollection/Invoices/AvailableInvoices')) ?? [];
  if (!available.length) return;
  const byCustomer = new Map();
  for (const inv of available) byCustomer.set(inv.customerCode, [...(byCustomer.get(inv.customerCode) ?? []), inv]);
  const customers = await customersByNumber();
  const cases = (await v1('GET', '/DebtCollection')) ?? [];
  for (const [code, invoices] of byCustomer) {
    const ids = invoices.map((i) => i.id);
    const own = cases.filter((c) => c.code.startsWith(`${PREFIX}-${code}-`));
    const caseNo = `${PREFIX}-${code}-${own.length + 1}`;
    const amount = nok(invoices.reduce((s, i) => s + ore(i.remainingAmount), 0));
    if (!hasAddress(customers.get(code))) {
      // We cannot send a letter: take the invoices and hand them straight back (they become Rejected in Go).
      const kase = await v1('POST', '/DebtCollection', { code: caseNo, invoices: ids, balanceAgency: amount });
      await v1('DELETE', `/DebtCollection/${kase.id}`);
      log(`rejected ${invoices.map((i) => i.invoiceNo).join(', ')}: customer ${code} has no postal address`);
      continue;
    }
    const open = own.find(isActive);
    if (open) {
      await v1('POST', '/DebtCollection/AddInvoicesToCase', { caseId: open.id, invoiceIds: ids });
      const balance = nok(ore(open.balanceAgency ?? 0) + ore(amount));
      await v1('POST', '/DebtCollection/UpdateStatus', {
        caseId: open.id,
        statusText: `Invoice ${invoices.map((i) => i.invoiceNo).join(', ')} added`,
        updatedBalanceAgency: balance,
      });
    } else {
      await v1('POST', '/DebtCollection', {
        code: caseNo,
        invoices: ids,
        balanceAgency: amount,
        externalCaseUrl: `https://agency.example/cases/${caseNo}`,
      });
      log(`opened ${caseNo} for ${invoices.map((i) => i.invoiceNo).join(', ')}`);
    }
  }
}

/** Account ids to post to, looked up once. */
async function ledgerAccounts() {
  if (accounts) return accounts;
  const gl = (await v2('GET', '/GeneralLedgerAccounts')) ?? [];
  const vat = (await v2('GET', '/VatCodes')) ?? [];
  const id = (no) => gl.find((a) => a.AccountNo === no)?.Id;
  accounts = {
    bank: id(1920),
    costs: id(7770),
    inputVat: vat.find((v) => v.Code === '1')?.Id,
    noVat: vat.find((v) => v.Code === '0')?.Id,
  };
  return accounts;
}

function readCollections() {
  if (!COLLECTIONS || !existsSync(COLLECTIONS)) return [];
  return readFileSync(COLLECTIONS, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Has the bank journal for this collection been booked already? Read back: the match carries our reference. */
async function alreadyBooked(col) {
  const matches = (await v1('GET', `/DebtCollection/MatchedItems/${col.invoiceId}`)) ?? [];
  return matches.some((m) => m.externalImportReference === col.reference);
}

/** (3) Pay out what the agency collected: a bank journal per collection, its fee to the voucher reception. */
async function settle() {
  const pending = readCollections().filter((c) => !settled.has(c.reference));
  if (!pending.length) return;
  const cases = (await v1('GET', '/DebtCollection')) ?? [];
  const invoices = new Map(cases.flatMap((c) => c.invoices.map((i) => [i.id, i])));
  const customers = await customersByNumber();
  const acc = await ledgerAccounts();
  for (const col of pending) {
    const invoice = invoices.get(col.invoiceId);
    const customer = invoice && customers.get(invoice.customerCode);
    if (!invoice || !customer) continue;
    if (!(await alreadyBooked(col))) {
      const line = { PostingDate: col.date, VatId: acc.noVat, Description: `Collected on invoice ${invoice.invoiceNo}` };
      try {
        await v2('POST', '/Vouchers/BankJournals', {
          VoucherDate: col.date,
          CurrencyCode: 'NOK',
          Description: `Settlement ${col.reference}`,
          ExternalImportReference: col.reference,
          VoucherLines: [
            { ...line, AccountId: customer.SubledgerAccountId, CurrencyAmount: -col.amount, InvoiceNo: String(invoice.invoiceNo) },
            { ...line, AccountId: acc.bank, CurrencyAmount: col.amount, Description: 'Payout from the agency' },
          ],
        });
      } catch (e) {
        // No answer: it may have been booked. Read back instead of posting again.
        if (!(e instanceof Lost)) throw e;
        log(`lost the answer to settlement ${col.reference}; reading back`);
        if (!(await alreadyBooked(col))) continue; // not booked: the next poll posts it again, same reference
      }
    }
    settled.add(col.reference);
    if (!costsSent.has(col.reference)) {
      // Costs are a booking suggestion the client approves (voucher reception), with input VAT.
      await v2('POST', '/JournalEntryVouchers/ManualJournals', {
        VoucherDate: col.date,
        CurrencyCode: 'NOK',
        Description: `Collection costs ${col.reference}`,
        ManualVoucherLines: [
          {
            DebitAccountId: acc.costs,
            DebitVatId: acc.inputVat,
            CreditAccountId: acc.bank,
            CurrencyAmount: nok(Math.round(ore(FEE) * 1.25)),
            Description: `Agency fee, invoice ${invoice.invoiceNo}`,
          },
        ],
      });
      costsSent.add(col.reference);
    }
    log(`settled ${col.reference}: ${col.amount} NOK on invoice ${invoice.invoiceNo}`);
  }
}

/** (2) What changed since the cursor: report balances, close what is paid; write-offs do not count. */
async function watch() {
  const from = cursor ? new Date(Date.parse(cursor) - OVERLAP_MS).toISOString() : '2000-01-01T00:00:00Z';
  const changed = (await v1('GET', `/DebtCollection/GetAllMatchedItems?fromDateTime=${encodeURIComponent(from)}`)) ?? [];
  let newest = cursor;
  const byCid = new Map();
  const fresh = [];
  for (const { matchedItems } of changed) {
    if (matchedItems[0]?.cid) byCid.set(matchedItems[0].cid, matchedItems);
    for (const m of matchedItems) {
      if (!newest || Date.parse(m.lastChanged) > Date.parse(newest)) newest = m.lastChanged;
      if (!seen.has(`${m.id}@${m.lastChanged}`)) fresh.push(m);
    }
  }
  const touched = new Set(fresh.map((m) => m.cid));
  if (touched.size) {
    const cases = ((await v1('GET', '/DebtCollection')) ?? []).filter(isActive);
    for (const kase of cases) {
      if (!kase.invoices.some((i) => i.cid && touched.has(i.cid))) continue;
      let outstanding = 0;
      for (const inv of kase.invoices) {
        const matches = (inv.cid && byCid.get(inv.cid)) || (await v1('GET', `/DebtCollection/MatchedItems/${inv.id}`)) || [];
        const paid = matches.filter((m) => !isWriteOff(m)).reduce((s, m) => s - ore(m.amount), 0);
        outstanding += Math.max(0, ore(inv.originalAmount) - paid);
      }
      if (outstanding === ore(kase.balanceAgency ?? 0)) continue;
      const closed = outstanding === 0;
      const statusText = closed
        ? 'All invoices settled: case closed'
        : `Payment received. Balance at agency ${nok(outstanding).toFixed(2)}`;
      await v1('POST', '/DebtCollection/UpdateStatus', {
        caseId: kase.id,
        statusText,
        updatedBalanceAgency: nok(outstanding),
        ...(closed ? { isCaseClosed: true } : {}),
      });
      log(`case ${kase.code}: ${statusText}`);
    }
  }
  // Only now, with every update through, does the cursor move on.
  cursor = newest;
  for (const m of fresh) seen.add(`${m.id}@${m.lastChanged}`);
}

let stopping = false;
process.on('SIGTERM', () => (stopping = true));
process.on('SIGINT', () => (stopping = true));

log(`polling every ${POLL_MS} ms: v1 ${V1}, v2 ${V2}`);
while (!stopping) {
  try {
    await pickUp();
    await settle();
    await watch();
  } catch (e) {
    log(`poll failed, will retry: ${e.message}`);
  }
  await sleep(POLL_MS);
}
log('stopped');
