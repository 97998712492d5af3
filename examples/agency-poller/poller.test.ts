/**
 * The poller's story, told once and run twice: against a started sandbox server and in msw mode (the sandbox
 * in-process, no port). Both runs return a normalized summary; the last test asserts the two are identical.
 * Against the server the agency uses the four URLs the client lists (the sandbox's host prefixes); in msw mode it
 * uses PowerOffice's production URLs themselves, which msw answers with the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createAgencyClient, createSandbox, endpointsOf, POWEROFFICE, type AgencyEndpoints } from '../../sdk/index.js';
import { sandboxHandlers, type SandboxHandlers } from '../../sdk/msw/index.js';
// Only the test starts a server; the poller itself knows nothing but the SDK.
import { startServer, type RunningServer } from '../../sandbox/server.js';
import { AgencyPoller, type PollReport } from './poller.js';

const SANDBOX_OPTIONS = { memory: true, strict: true, validateResponses: true } as const;

async function story({ baseUrl, agencyUrls }: { baseUrl: string; agencyUrls?: AgencyEndpoints }) {
  // ---- the ERP side: a client, three customers (one without a postal address), overdue invoices ----------
  const control = createSandbox({ baseUrl });
  const client = await control.clients.create({ name: 'Poller AS', startDate: '2026-01-05' });
  const address = { addressLine1: 'Storgata 1', zipCode: '0155', city: 'Oslo', countryCode: 'NO' };
  const alfa = await client.customers.create({ name: 'Alfa AS', mailAddress: address });
  const beta = await client.customers.create({ name: 'Beta AS', mailAddress: { ...address, addressLine1: 'Kirkegata 2' } });
  const gamma = await client.customers.create({ name: 'Gamma AS' });
  const labels = new Map<number, string>();
  const customers = new Map([alfa, beta, gamma].map((c) => [c.number, c.name]));
  const invoice = async (label: string, customerId: number, amount: number, invoiceDate = '2025-12-22', dueDate = '2026-01-05') => {
    const inv = await client.invoices.create({ customerId, amount, invoiceDate, dueDate });
    labels.set(inv.invoiceNo, label);
    return inv;
  };
  const a1 = await invoice('A1', alfa.id, 1000);
  const a2 = await invoice('A2', alfa.id, 2500);
  const b1 = await invoice('B1', beta.id, 1800);
  await invoice('G1', gamma.id, 700);

  // No reminder steps: drafts 14 days after the due date; the ERP user approves them all.
  await client.clock.advance({ days: 14 });
  expect((await client.collection.lists()).draft).toHaveLength(4);
  await client.collection.approve({ all: true });

  const connection = endpointsOf(client.view);
  const agency = createAgencyClient({ ...connection, endpoints: agencyUrls ?? connection.endpoints });
  const poller = new AgencyPoller(agency);
  const reports: PollReport[] = [];
  const poll = async () => {
    const report = await poller.poll();
    reports.push(report);
    return report;
  };
  const caseOf = async (code: string) => {
    const lists = await client.collection.lists();
    return [...lists.open, ...lists.archived].find((c) => c.code === code)!;
  };
  const alfaCase = `KR-${alfa.number}-1`;
  const betaCase = `KR-${beta.number}-1`;

  // ---- 1. pick up: one case per customer; the customer without an address is skipped and reported --------
  const first = await poll();
  expect(first.opened).toEqual([
    { code: alfaCase, invoiceNos: [a1.invoiceNo, a2.invoiceNo] },
    { code: betaCase, invoiceNos: [b1.invoiceNo] },
  ]);
  expect(first.skipped).toEqual([
    { customerCode: gamma.number, invoiceNos: [expect.any(Number)], missing: ['AddressLine1', 'ZipCode', 'City'] },
  ]);
  expect((await caseOf(alfaCase)).externalCaseUrl).toBe(`https://agency.example/cases/${alfaCase}`);

  // ---- 2. a later invoice of the same customer joins its active case -------------------------------------
  await client.clock.advance({ days: 1 });
  const a3 = await invoice('A3', alfa.id, 700, '2026-01-06', '2026-01-19');
  await client.collection.override({ invoiceIds: [a3.id] });
  await client.collection.approve({ invoiceIds: [a3.id] });
  const second = await poll();
  expect(second.opened).toEqual([]);
  expect(second.extended).toEqual([{ code: alfaCase, invoiceNos: [a3.invoiceNo] }]);
  expect((await caseOf(alfaCase)).balanceAgency).toBe(4200);

  // ---- 3. the debtor pays A1 directly to the client: the poll reports it, the case stays active ----------
  await client.clock.advance({ days: 1 });
  await client.payment({ invoiceId: a1.id, amount: 1000 });
  const third = await poll();
  expect(third.statusUpdates).toEqual([
    {
      code: alfaCase,
      statusText: `Invoice ${a1.invoiceNo} paid in full (paid directly to the creditor). Balance at agency 3200.00`,
      balance: 3200,
      closed: false,
    },
  ]);

  // ---- 4. the client writes B1 off: the agency ignores it and keeps collecting ---------------------------
  await client.clock.advance({ days: 1 });
  const betaBefore = await caseOf(betaCase);
  await client.writeOffs.create({ invoiceIds: [b1.id] });
  const fourth = await poll();
  expect(fourth.ignoredWriteOffs).toEqual([{ code: betaCase, invoiceNo: b1.invoiceNo, amount: 1800 }]);
  expect(fourth.statusUpdates).toEqual([]);
  const betaAfter = await caseOf(betaCase);
  expect(betaAfter).toMatchObject({ status: 'Active', balanceAgency: 1800 });
  expect(betaAfter.history).toEqual(betaBefore.history);

  // ---- 5. the agency collects A2 and A3 and settles: bank journals, costs to the reception, case closed --
  await client.clock.advance({ days: 1 });
  const { today } = await client.clock.get();
  poller.collect(a2.id, 2500, today, 'A2-1');
  poller.collect(a3.id, 700, today, 'A3-1');
  const saved = poller.state; // as persisted before the poll: a crash after posting loses what followed
  const fifth = await poll();
  expect(fifth.settlements.map((s) => [s.reference, s.outcome, s.costs])).toEqual([
    ['KR-P-A2-1', 'posted', 'posted'],
    ['KR-P-A3-1', 'posted', 'posted'],
  ]);
  expect(fifth.statusUpdates).toEqual([
    { code: alfaCase, statusText: expect.stringContaining('All invoices settled: case closed'), balance: 0, closed: true },
  ]);
  expect((await caseOf(alfaCase)).status).toBe('Closed');

  // ---- 6. restarted from the saved state, the poller resends: the bank journals are refused as duplicates, and
  // the costs are not sent again (a voucher-reception draft has no duplicate check at the vendor) --
  const restarted = new AgencyPoller(agency, { state: saved });
  const replay = await restarted.poll();
  reports.push(replay);
  expect(replay.settlements.map((s) => [s.outcome, s.costs])).toEqual([
    ['duplicate', undefined],
    ['duplicate', undefined],
  ]);
  expect(replay.statusUpdates).toEqual([]);
  expect(restarted.state.collections.map((c) => c.status)).toEqual(['booked', 'booked']);

  // ---- the ERP's view afterwards --------------------------------------------------------------------------
  const ledger = await client.checkLedger();
  expect(ledger.ok).toBe(true);
  const drafts = await client.voucherReception.list();
  expect(drafts.map((d) => d.status)).toEqual(['Draft', 'Draft']);
  // The debtor's direct payment is a bank journal too; the agency's are the ones carrying its references.
  const bankJournals = (await client.vouchers()).filter((v) => v.type === 'BankJournal');
  expect(bankJournals.map((v) => v.externalImportReference)).toEqual([null, 'KR-P-A2-1', 'KR-P-A3-1']);

  // ---- the summary: what both modes must agree on (labels instead of ids, no timestamps) ----------------
  const name = (invoiceNo: number) => labels.get(invoiceNo) ?? `#${invoiceNo}`;
  const text = (s: string) => s.replace(/\b\d{4,}\b/g, (n) => labels.get(Number(n)) ?? n);
  const lists = await client.collection.lists();
  return {
    polls: reports.map((r) => ({
      active: r.active,
      opened: r.opened.map((o) => `${o.code}: ${o.invoiceNos.map(name).join(', ')}`),
      extended: r.extended.map((o) => `${o.code}: ${o.invoiceNos.map(name).join(', ')}`),
      skipped: r.skipped.map(
        (s) => `${customers.get(s.customerCode)}: ${s.invoiceNos.map(name).join(', ')} (missing ${s.missing.join(', ')})`,
      ),
      settlements: r.settlements.map((s) => `${s.reference} ${name(s.invoiceNo)} ${s.amount}: ${s.outcome}/${s.costs ?? '-'}`),
      statusUpdates: r.statusUpdates.map((u) => `${u.code}: ${text(u.statusText)} [balance ${u.balance}${u.closed ? ', closed' : ''}]`),
      ignoredWriteOffs: r.ignoredWriteOffs.map((w) => `${w.code}: ${name(w.invoiceNo)} ${w.amount}`),
    })),
    cases: [...lists.open, ...lists.archived].map((c) => ({
      code: c.code,
      status: c.status,
      balanceAgency: c.balanceAgency,
      invoices: c.invoices.map((i) => `${name(i.invoiceNo)} ${i.status} open ${i.openAmount}`),
      history: c.history.map((h) => `${text(h.statusText)}${h.isCaseClosed ? ' [closed]' : ''} (balance ${h.balanceAgency})`),
    })),
    stillApproved: lists.approved.map((a) => `${name(a.invoice.invoiceNo)}: ${a.obstacle?.reason ?? 'no obstacle'}`),
    invoices: (await client.invoices.list()).map((i) => `${name(i.invoiceNo)} ${i.status} open ${i.openAmount} ${i.caseCode ?? '-'}`),
    bankJournals: bankJournals.map((v) => ({
      reference: v.externalImportReference,
      lines: v.lines.map((l) => `${l.account} ${l.amount}`),
    })),
    reception: drafts.map((d) => ({
      status: d.status,
      description: d.description,
      reference: d.externalImportReference,
      lines: d.lines.map((l) => `${l.account} ${l.amount}${l.vatCode ? ` vat ${l.vatCode}` : ''}`),
    })),
    ledger: { ok: ledger.ok, receivables: ledger.receivables, customerLedgerTotal: ledger.customerLedgerTotal },
  };
}

type Summary = Awaited<ReturnType<typeof story>>;
const summaries: { server?: Summary; msw?: Summary } = {};

describe('against a started server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ ...SANDBOX_OPTIONS, port: 0 });
  });
  afterAll(() => server.close());

  it('runs the whole story', async () => {
    summaries.server = await story({ baseUrl: server.url });
  });
});

describe('in msw mode', () => {
  let sandbox: SandboxHandlers;
  let msw: ReturnType<typeof setupServer>;
  beforeAll(async () => {
    sandbox = await sandboxHandlers(SANDBOX_OPTIONS);
    msw = setupServer(...sandbox.handlers);
    msw.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(async () => {
    msw.close();
    await sandbox.close();
  });

  it('runs the whole story', async () => {
    summaries.msw = await story({ baseUrl: sandbox.baseUrl, agencyUrls: POWEROFFICE });
  });
});

describe('both modes', () => {
  it('end with identical summaries', () => {
    expect(summaries.server).toBeDefined();
    expect(summaries.msw).toEqual(summaries.server);
  });
});
