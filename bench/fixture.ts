/** The bench world, made through the control and agency APIs of a running sandbox at `base`. */
import { createServer } from 'node:net';

export interface Target {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A write changes state: each run adds vouchers. */
  kind: 'read' | 'write';
}

export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

async function token(
  base: string,
  integration: { applicationKey: string; clientKey: string; subscriptionKey: string },
  v2: boolean,
): Promise<string> {
  const res = await fetch(`${base}/OAuth/Token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${integration.applicationKey}:${integration.clientKey}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      ...(v2 ? { 'ocp-apim-subscription-key': integration.subscriptionKey } : {}),
    },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) throw new Error(`token ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Three clients: 'bench' (100 approved invoices available, 100 more in 20 cases with a payment each), 'ledger'
 * (1,000 open items), 'writes' (bank vouchers posted to it). Everything through the control and agency APIs. */
export async function setUp(base: string): Promise<Target[]> {
  const noLimits = { rateLimits: { enabled: false } };
  const bench = await call(base, 'POST', '/_sandbox/clients', {
    id: 'bench',
    name: 'Bench AS',
    startDate: '2026-01-05',
    settings: noLimits,
  });
  const customers: number[] = [];
  for (let i = 0; i < 20; i++)
    customers.push(
      (
        await call(base, 'POST', '/_sandbox/clients/bench/customers', {
          name: `Kunde ${i} AS`,
          emailAddress: `post@kunde${i}.no`,
          mailAddress: { addressLine1: `Storgata ${i}`, zipCode: '0155', city: 'Oslo', countryCode: 'NO' },
        })
      ).id,
    );
  const invoices: string[] = [];
  for (let i = 0; i < 200; i++)
    invoices.push(
      (
        await call(base, 'POST', '/_sandbox/clients/bench/invoices', {
          customerId: customers[i % 20],
          invoiceDate: '2025-12-01',
          dueDate: '2025-12-20',
          amount: 1000 + i * 7.5,
        })
      ).id,
    );
  await call(base, 'POST', '/_sandbox/clients/bench/clock/advance', { to: '2026-02-10' });
  await call(base, 'POST', '/_sandbox/clients/bench/collection/approve', { invoiceIds: invoices });
  // The contract lists the subscription key on v1 too (Prism insists on it); the sandbox ignores it there.
  const v1 = {
    authorization: `Bearer ${await token(base, bench.integrations[0], false)}`,
    'ocp-apim-subscription-key': bench.integrations[0].subscriptionKey,
  };
  // A case holds one customer's invoices: 20 cases of 5.
  for (let k = 0; k < 20; k++)
    await call(base, 'POST', '/DebtCollection', { code: `B-${k}`, invoices: invoices.filter((_, i) => i >= 100 && i % 20 === k) }, v1);
  for (const id of invoices.slice(100)) await call(base, 'POST', '/_sandbox/clients/bench/payments', { invoiceId: id, amount: 100 });

  const ledger = await call(base, 'POST', '/_sandbox/clients', {
    id: 'ledger',
    name: 'Ledger AS',
    startDate: '2026-01-05',
    settings: noLimits,
  });
  await call(base, 'POST', '/_sandbox/clients/ledger/seed', { customers: 100, invoices: 1000, creditNoteShare: 0 });
  const v2Ledger = {
    authorization: `Bearer ${await token(base, ledger.integrations[0], true)}`,
    'ocp-apim-subscription-key': ledger.integrations[0].subscriptionKey,
  };

  const writes = await call(base, 'POST', '/_sandbox/clients', {
    id: 'writes',
    name: 'Writes AS',
    startDate: '2026-01-05',
    settings: noLimits,
  });
  const v2Writes = {
    authorization: `Bearer ${await token(base, writes.integrations[0], true)}`,
    'ocp-apim-subscription-key': writes.integrations[0].subscriptionKey,
  };
  const accounts = (await call(base, 'GET', '/v2/GeneralLedgerAccounts', undefined, v2Writes)) as Array<{ Id: number; AccountNo: number }>;
  const account = (no: number) => accounts.find((a) => a.AccountNo === no)!.Id;
  const voucher = {
    VoucherDate: '2026-01-05',
    CurrencyCode: 'NOK',
    Description: 'Bankgebyr',
    VoucherLines: [
      { AccountId: account(7770), PostingDate: '2026-01-05', VatId: null, CurrencyAmount: 1.5, Description: 'Gebyr' },
      { AccountId: account(1920), PostingDate: '2026-01-05', VatId: null, CurrencyAmount: -1.5, Description: 'Bank' },
    ],
  };
  return [
    { name: 'v1 AvailableInvoices (100)', kind: 'read', method: 'GET', path: '/DebtCollection/Invoices/AvailableInvoices', headers: v1 },
    {
      name: 'v1 GetAllMatchedItems (200)',
      kind: 'read',
      method: 'GET',
      path: '/DebtCollection/GetAllMatchedItems?fromDateTime=2026-01-01',
      headers: v1,
    },
    { name: 'v2 OpenItems (1,000)', kind: 'read', method: 'GET', path: '/v2/Customerledger/OpenItems?date=2026-01-05', headers: v2Ledger },
    {
      name: 'v2 BankJournals (write)',
      kind: 'write',
      method: 'POST',
      path: '/v2/Vouchers/BankJournals',
      headers: { ...v2Writes, 'content-type': 'application/json' },
      body: JSON.stringify(voucher),
    },
  ];
}

/** A TCP port free on 127.0.0.1 just now. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}
