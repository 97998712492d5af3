/**
 * The checks: each a rule an agency integration must keep, judged from what the run recorded (the request journal,
 * the event journal, the ledger, the cases after each step). Every result names its evidence and, when it fails,
 * what the developer should change.
 */
import { CREDIT_NOTE, DIRECT_PAYMENT, EXPECTED_OUTSTANDING, NO_ADDRESS_INVOICE, SETTLEMENT, STEPS, WRITE_OFF } from './timeline.js';
import type { CaseSnapshot, CheckResult, Evidence, JournalRecord, Verdict } from './types.js';

type Check = { id: string; title: string; rule: string; judge(e: Evidence): { verdict: Verdict; message: string; evidence: string[] } };

const ms = (instant: string) => Date.parse(instant);
const agencyCalls = (e: Evidence) => e.journal.filter((j) => j.face === 'v1' || j.face === 'v2' || j.face === 'auth');
const call = (j: JournalRecord) =>
  `#${j.seq} ${j.method} ${j.path} -> ${j.status}${j.sandboxTime ? ` at ${j.sandboxTime}` : ''}${j.problem ? ` (${j.problem})` : ''}`;
const stepIndex = (name: string) => STEPS.findIndex((s) => s.name === name);
const label = (e: Evidence, invoiceId: string) => e.invoices.find((i) => i.id === invoiceId)?.label ?? invoiceId;
const caseWith = (cases: CaseSnapshot[], invoiceId: string) => cases.find((c) => c.invoices.some((i) => i.id === invoiceId));
const pass = (message: string, evidence: string[] = []) => ({ verdict: 'pass' as const, message, evidence });
const fail = (message: string, evidence: string[] = []) => ({ verdict: 'fail' as const, message, evidence });
const skip = (message: string, evidence: string[] = []) => ({ verdict: 'skip' as const, message, evidence });
/** The timeline did not get as far as a check needs (a run cut short): the check is skipped, not failed. */
class NotPlayed extends Error {}
const invoiceOf = (e: Evidence, invoiceLabel: string) => {
  const found = e.invoices.find((i) => i.label === invoiceLabel);
  if (!found) throw new NotPlayed(`the timeline did not post invoice ${invoiceLabel}`);
  return found;
};
const nok = (n: number | null) => (n === null ? 'none' : `${n.toFixed(2)} NOK`);

/** What the agency should report for a case after a step: what the debtor still owes on its invoices. */
function expectedBalance(e: Evidence, kase: CaseSnapshot, step: number): number {
  return kase.invoices.reduce((sum, i) => sum + (EXPECTED_OUTSTANDING[label(e, i.id)]?.[step] ?? 0), 0);
}

/** The case holding an invoice after a step, with the balance the agency reported and the one expected. */
function reflected(e: Evidence, invoiceLabel: string, stepName: string, what: string, fix: string) {
  const step = stepIndex(stepName);
  const record = e.steps[step];
  const inv = invoiceOf(e, invoiceLabel);
  if (!record) return skip(`the timeline stopped before the ${stepName} step`);
  const kase = caseWith(record.cases, inv.id);
  if (!kase)
    return fail(
      `invoice ${inv.invoiceNo} (${invoiceLabel}) is in no case, so ${what} could not be reflected. Take approved invoices into cases ` +
        `first.`,
    );
  const expected = expectedBalance(e, kase, step);
  const after = kase.history.filter((h) => ms(h.at) >= ms(record.at));
  const evidence = [
    `case ${kase.code} after the ${stepName} step: status ${kase.status}, balance at agency ${nok(kase.balanceAgency)} (expected ` +
      `${nok(expected)})`,
    ...after.map((h) => `status update at ${h.at}: "${h.statusText}", balance ${nok(h.balanceAgency)}${h.isCaseClosed ? ', closed' : ''}`),
  ];
  if (!after.length)
    return fail(`${what} on invoice ${inv.invoiceNo} was not reported: case ${kase.code} got no status update after it. ${fix}`, evidence);
  if (kase.balanceAgency === null || Math.abs(kase.balanceAgency - expected) > 0.005)
    return fail(
      `case ${kase.code} reports ${nok(kase.balanceAgency)} at the agency after ${what}; the debtor owes ${nok(expected)}. ${fix}`,
      evidence,
    );
  return pass(`case ${kase.code} reported ${nok(expected)} after ${what}`, evidence);
}

export const CHECKS: Check[] = [
  {
    id: 'pickup-2h',
    title: 'Approved invoices picked up within 2 hours',
    rule:
      'Go flags an invoice still in Approved 2 hours after approval as an obstacle. The integration takes every approved invoice into a ' +
      'case (or rejects it) within 2 hours of sandbox time.',
    judge(e) {
      const approved = ms(e.steps[0]?.at ?? e.startedAt);
      const late: string[] = [];
      const evidence: string[] = [];
      for (const inv of e.invoices) {
        const taken = e.events.find((ev) => ev.type === 'case.invoiceAdded' && ev.refs.invoiceId === inv.id);
        if (!taken) late.push(`${inv.label} (invoice ${inv.invoiceNo}) was never taken into a case`);
        else {
          const minutes = Math.round((ms(taken.at) - approved) / 60_000);
          evidence.push(`${inv.label} (invoice ${inv.invoiceNo}) taken into a case at ${taken.at}, ${minutes} min after approval`);
          if (minutes > 120) late.push(`${inv.label} taken ${minutes} min after approval`);
        }
      }
      return late.length
        ? fail(
            `${late.join('; ')}. Poll GET /DebtCollection/Invoices/AvailableInvoices at least every hour and open a case (POST ` +
              `/DebtCollection) for what it returns.`,
            evidence,
          )
        : pass('every approved invoice was taken into a case within 2 hours', evidence);
    },
  },
  {
    id: 'one-case-per-customer',
    title: "One case for a customer's invoices",
    rule:
      'Invoices of one customer go into one case: a new invoice of a customer with an active case is added to it (POST ' +
      '/DebtCollection/AddInvoicesToCase), not given a case of its own.',
    judge(e) {
      const cases = e.steps.at(-1)?.cases ?? [];
      const byCustomer = new Map<number, CaseSnapshot[]>();
      for (const c of cases) if (c.customerId !== null) byCustomer.set(c.customerId, [...(byCustomer.get(c.customerId) ?? []), c]);
      const evidence = cases.map(
        (c) => `case ${c.code}: customer ${c.customerId}, invoices ${c.invoices.map((i) => label(e, i.id)).join(', ')}`,
      );
      const split = [...byCustomer.values()].filter(
        (list) => list.filter((c) => !c.closedAt || list.some((o) => o !== c && ms(o.createdAt) < ms(c.closedAt!))).length > 1,
      );
      if (!cases.length) return fail('no case was opened, so grouping could not be judged. Open cases for approved invoices.', evidence);
      return split.length
        ? fail(
            `${split.map((l) => `cases ${l.map((c) => c.code).join(', ')} hold invoices of one customer`).join('; ')}. Group the ` +
              `available invoices by customerCode and open one case per customer; add later invoices to the customer's active case.`,
            evidence,
          )
        : pass('each customer has one case', evidence);
    },
  },
  {
    id: 'status-updates',
    title: 'Status updates sent',
    rule:
      "When money comes in on a case (a payment, a credit note, the agency's own collection), the agency reports it back with POST " +
      '/DebtCollection/UpdateStatus: a status text and the balance it holds.',
    judge(e) {
      const changes = [
        { invoice: DIRECT_PAYMENT.invoice, step: 'direct-payment' },
        { invoice: CREDIT_NOTE.invoice, step: 'credit-note' },
        { invoice: SETTLEMENT.invoice, step: 'settlement' },
      ];
      const final = e.steps.at(-1)?.cases ?? [];
      const missing: string[] = [];
      const evidence: string[] = [];
      for (const ch of changes) {
        const record = e.steps[stepIndex(ch.step)];
        const inv = invoiceOf(e, ch.invoice);
        const kase = caseWith(final, inv.id);
        if (!record || !kase) {
          missing.push(`${ch.invoice}: in no case`);
          continue;
        }
        const update = kase.history.find((h) => ms(h.at) >= ms(record.at));
        if (update) evidence.push(`${ch.step}: case ${kase.code} updated at ${update.at}: "${update.statusText}"`);
        else missing.push(`${ch.step}: case ${kase.code} (invoice ${inv.invoiceNo}) got no status update`);
      }
      return missing.length
        ? fail(
            `${missing.join('; ')}. After every change you see on a case's invoices, send UpdateStatus with a statusText and ` +
              `updatedBalanceAgency.`,
            evidence,
          )
        : pass('every case with money in got a status update', evidence);
    },
  },
  {
    id: 'direct-payment',
    title: 'Direct payments reflected',
    rule:
      'A debtor who pays the client directly lowers what the agency collects: the case balance drops by the payment, and a case with ' +
      'nothing left is closed.',
    judge: (e) =>
      reflected(
        e,
        DIRECT_PAYMENT.invoice,
        'direct-payment',
        'the direct payment',
        'Watch GET /DebtCollection/GetAllMatchedItems?fromDateTime=… and send UpdateStatus with the new updatedBalanceAgency ' +
          '(isCaseClosed when nothing is left).',
      ),
  },
  {
    id: 'credit-note',
    title: 'Credit notes reflected',
    rule: 'A credit note matched against an invoice lowers what the debtor owes; the case balance drops by it.',
    judge: (e) =>
      reflected(
        e,
        CREDIT_NOTE.invoice,
        'credit-note',
        'the credit note',
        'A match with voucherType OutgoingCreditNote (5) lowers the claim: subtract it and report the balance.',
      ),
  },
  {
    id: 'write-off-not-payment',
    title: 'A write-off is not a payment',
    rule:
      "A write-off (match with isWriteOff: true) is the client's bookkeeping: the debtor still owes the money, so the case stays active " +
      'with its balance.',
    judge(e) {
      const step = stepIndex('write-off');
      const record = e.steps[step];
      const before = e.steps[step - 1];
      const inv = invoiceOf(e, WRITE_OFF.invoice);
      if (!record || !before) return skip('the timeline stopped before the write-off step');
      const kase = caseWith(record.cases, inv.id);
      if (!kase) return fail(`invoice ${inv.invoiceNo} (${WRITE_OFF.invoice}) is in no case; it should have been collected.`);
      const prior = caseWith(before.cases, inv.id);
      const evidence = [
        `case ${kase.code} before the write-off: ${prior?.status}, ${nok(prior?.balanceAgency ?? null)}` +
          `; after: ${kase.status}, ${nok(kase.balanceAgency)}`,
        ...kase.history
          .filter((h) => ms(h.at) >= ms(record.at))
          .map((h) => `status update at ${h.at}: "${h.statusText}", balance ${nok(h.balanceAgency)}`),
      ];
      const expected = expectedBalance(e, kase, step);
      if (kase.status !== 'Active')
        return fail(
          `case ${kase.code} was closed after the client wrote invoice ${inv.invoiceNo} off. Skip matches with isWriteOff: true when ` +
            `you sum payments; keep collecting.`,
          evidence,
        );
      if (kase.balanceAgency !== null && kase.balanceAgency + 0.005 < expected)
        return fail(
          `case ${kase.code} reports ${nok(kase.balanceAgency)} after the write-off; the debtor still owes ${nok(expected)}. Skip ` +
            `matches with isWriteOff: true when you sum payments.`,
          evidence,
        );
      return pass(`case ${kase.code} stayed active with ${nok(kase.balanceAgency)} after the write-off`, evidence);
    },
  },
  {
    id: 'rejected-case',
    title: 'Rejected cases handled',
    rule:
      'An invoice the agency will not collect (here: the debtor has no postal address) is handed back: its case is rejected (DELETE ' +
      '/DebtCollection/{id}) so the invoice is Rejected and back with the client, not kept in a case nobody works. The rejected case is ' +
      'not called again.',
    judge(e) {
      const inv = invoiceOf(e, NO_ADDRESS_INVOICE);
      const rejected = e.events.find((ev) => ev.type === 'invoice.rejected' && ev.refs.invoiceId === inv.id);
      const kase = caseWith(e.steps.at(-1)?.cases ?? [], inv.id);
      const caseId = rejected?.refs.caseId as string | undefined;
      const afterwards = caseId
        ? agencyCalls(e).filter(
            (j) => j.path.includes(caseId) && j.method !== 'DELETE' && rejected && j.sandboxTime && ms(j.sandboxTime) > ms(rejected.at),
          )
        : [];
      const evidence = [
        rejected
          ? `invoice ${inv.invoiceNo} rejected at ${rejected.at}`
          : `invoice ${inv.invoiceNo}: ${kase ? `in case ${kase.code} (${kase.status})` : 'not in a case'}`,
        ...afterwards.map(call),
      ];
      if (!rejected)
        return fail(
          `invoice ${inv.invoiceNo} (customer without a postal address) was ${kase ? `kept in case ${kase.code}` : 'left unhandled'}. ` +
            `Check the customer's MailAddress (GET /v2/Customers) and reject what you cannot collect: DELETE /DebtCollection/{id}.`,
          evidence,
        );
      if (afterwards.length)
        return fail(`the rejected case was called again after it was deleted. Forget a case once you reject it.`, evidence);
      return pass(`invoice ${inv.invoiceNo} was rejected back to the client`, evidence);
    },
  },
  {
    id: 'settlement-balanced',
    title: 'Settlement balanced',
    rule:
      'Money the agency collected is paid out with a bank journal that closes the receivable (a customer line matched to the invoice, ' +
      "the same amount to the bank); the agency's costs and their VAT go to the voucher reception as a draft the client approves, not " +
      'booked.',
    judge(e) {
      const inv = invoiceOf(e, SETTLEMENT.invoice);
      const journals = e.vouchers.filter(
        (v) =>
          v.type === 'BankJournal' &&
          v.lines.some((l) => l.invoiceId === inv.id && l.account === 1500 && Math.abs(l.amount + SETTLEMENT.amount) < 0.005),
      );
      const drafts = e.reception.filter((d) => d.integrationId === e.integrationId);
      const evidence = [
        ...journals.map(
          (v) =>
            `bank journal ${v.id} (${v.externalImportReference ?? 'no reference'}` +
            `): ${v.lines.map((l) => `${l.account} ${l.amount}`).join(', ')}`,
        ),
        ...drafts.map(
          (d) =>
            `voucher reception ${d.status}: ` +
            d.lines.map((l) => `${l.account} ${l.amount}${l.vatCode ? ` vat ${l.vatCode}` : ''}`).join(', '),
        ),
        `ledger check: ${e.ledger.ok ? 'ok' : JSON.stringify(e.ledger.breaches)}`,
      ];
      const problems: string[] = [];
      if (!journals.length)
        problems.push(
          `no bank journal closes ${SETTLEMENT.amount} NOK of invoice ${inv.invoiceNo}: POST /v2/Vouchers/BankJournals with a ` +
            `customer line (the customer's SubledgerAccountId, -amount, InvoiceNo) and a bank line`,
        );
      if (journals.length > 1)
        problems.push(
          `the collection was booked ${journals.length} times, so the receivable was closed by ${journals.length * SETTLEMENT.amount} ` +
            `NOK instead of ${SETTLEMENT.amount}`,
        );
      if (!e.ledger.ok) problems.push('the ledger invariants break');
      if (!drafts.length)
        problems.push(
          'no costs reached the voucher reception: POST /v2/JournalEntryVouchers/ManualJournals (it makes a draft the client approves)',
        );
      else if (!drafts.some((d) => d.lines.some((l) => l.vatCode)))
        problems.push('the costs in the voucher reception carry no VAT code: put the input VAT on the cost line (DebitVatId)');
      if (drafts.some((d) => d.status === 'Posted')) problems.push('costs were booked, not left as a draft');
      return problems.length
        ? fail(`${problems.join('; ')}.`, evidence)
        : pass('one bank journal closed the collected amount; costs with VAT wait in the voucher reception', evidence);
    },
  },
  {
    id: 'v1-success-false',
    title: 'v1: HTTP 200 with success:false is a failure',
    rule:
      'The v1 API answers business failures with HTTP 200 and {"success": false, "validation": {...}}. The integration treats that as a ' +
      'failure and tries again; it does not assume the write happened.',
    judge(e) {
      const calls = agencyCalls(e);
      const failed = calls.find(
        (j) => j.status === 200 && /injected fault/.test(j.problem ?? '') && /business failure/.test(j.problem ?? ''),
      );
      if (!failed)
        return skip('the integration sent no UpdateStatus after the direct payment, so the failure convention was not exercised');
      // The failure is served on the first UpdateStatus after the direct payment: the one for the paid invoice's case.
      const inv = invoiceOf(e, DIRECT_PAYMENT.invoice);
      const kase = caseWith(e.steps.at(-1)?.cases ?? [], inv.id);
      const later = kase?.history.find((h) => failed.sandboxTime && ms(h.at) >= ms(failed.sandboxTime));
      const evidence = [
        call(failed),
        kase
          ? later
            ? `case ${kase.code} updated at ${later.at}: "${later.statusText}"`
            : `case ${kase.code}: no status update after the failure`
          : `invoice ${inv.invoiceNo} is in no case`,
      ];
      return later
        ? pass('the failed UpdateStatus was sent again and went through', evidence)
        : fail(
            'UpdateStatus answered 200 with success:false and was never sent again: the integration took it for done. Check "success" ' +
              'in every v1 answer, not only the HTTP status, and retry (or alert) when it is false.',
            evidence,
          );
    },
  },
  {
    id: 'token-reuse',
    title: 'Tokens reused until they expire',
    rule:
      "An access token lives 10 (v1) or 20 (v2) minutes of the client's clock. The integration keeps it and asks for a new one when it " +
      'expires (or on a 401), not for every call.',
    judge(e) {
      const calls = agencyCalls(e);
      const tokens = calls.filter((j) => j.face === 'auth' && j.status === 200);
      const refused = calls.filter((j) => j.status === 401);
      // The sandbox clock stands still between steps, so a token cannot expire between two requests at the same
      // sandbox time: a second token for the same host at the same instant (no 401 between) was not needed.
      const seen = new Map<string, number>();
      const needless: JournalRecord[] = [];
      for (const t of tokens) {
        const host = t.path.toLowerCase();
        const key = `${host}|${t.sandboxTime}|${t.grantType ?? ''}|${refused.filter((r) => r.seq < t.seq).length}`;
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        // One token endpoint for both faces on older sandboxes: allow a v1 and a v2 token per instant there.
        const allowed = host.includes('poweroffice.net') ? 1 : 2;
        if (n > allowed) needless.push(t);
      }
      const evidence = [
        `${tokens.length} token(s) for ${calls.filter((j) => j.face !== 'auth').length} API call(s)`,
        ...needless.slice(0, 5).map(call),
      ];
      return needless.length
        ? fail(
            `${needless.length} token(s) were fetched while the previous one was still valid. Cache the access token with its expiry ` +
              `(expires_in, counted from the answer's Date header) and reuse it; fetch a new one only when it expires or a call answers ` +
              `401.`,
            evidence,
          )
        : pass('each token was reused until it expired', evidence);
    },
  },
  {
    id: 'v1-refresh',
    title: 'v1 refresh token used',
    rule: 'A v1 token comes with a refresh_token; when the access token expires the integration renews it with grant_type=refresh_token.',
    judge(e) {
      if (!e.v1RefreshOffered) return skip('this sandbox issues no v1 refresh_token, so its use cannot be judged');
      const refreshes = agencyCalls(e).filter((j) => j.face === 'auth' && j.grantType === 'refresh_token');
      return refreshes.length
        ? pass(`the v1 token was renewed with its refresh_token ${refreshes.length} time(s)`, refreshes.slice(0, 3).map(call))
        : fail(
            'the v1 token was never renewed with grant_type=refresh_token. Keep the refresh_token from the v1 token answer and use it ' +
              'when the access token expires.',
          );
    },
  },
  {
    id: 'retry-after',
    title: '429 answered after Retry-After',
    rule: 'A 429 (rate limit) carries Retry-After in seconds; the integration waits at least that long before its next call.',
    judge(e) {
      const calls = agencyCalls(e);
      const limited = calls.filter((j) => j.status === 429);
      if (!limited.length) return skip('no call was answered 429 (the injected one matched no call)');
      const early: string[] = [];
      const evidence: string[] = [];
      for (const r of limited) {
        const next = calls.find((j) => j.seq > r.seq && j.integrationId === r.integrationId);
        if (!next) continue;
        const gap = ms(next.at) - ms(r.at);
        const line = `${call(r)}; next call ${(gap / 1000).toFixed(2)} s later: ${next.method} ${next.path}`;
        evidence.push(line);
        if (gap < 900) early.push(line);
      }
      return early.length
        ? fail(
            `after ${early.length} of ${limited.length} 429 answer(s) the next call came before Retry-After (1 s). Read the ` +
              `Retry-After header and wait that many seconds before calling again.`,
            evidence.slice(0, 6),
          )
        : pass('every 429 was followed by a pause of at least Retry-After', evidence.slice(0, 6));
    },
  },
  {
    id: 'read-back-after-drop',
    title: 'After a lost answer, read back before posting again',
    rule:
      'When a BankJournals POST gets no answer (the connection dropped), the voucher may have been booked. The integration reads back ' +
      '(e.g. GET /DebtCollection/MatchedItems/{id} or the ledger) before it posts again, so nothing is booked twice.',
    judge(e) {
      const calls = agencyCalls(e);
      const dropped = calls.find((j) => j.operationId === 'v2PostBankJournal' && /answer lost/.test(j.problem ?? ''));
      if (!dropped) return skip('the integration posted no bank journal, so the lost answer was never served');
      const next = calls.find((j) => j.seq > dropped.seq && j.face !== 'auth');
      const inv = invoiceOf(e, SETTLEMENT.invoice);
      const booked = e.vouchers.filter(
        (v) =>
          v.type === 'BankJournal' &&
          v.lines.some((l) => l.invoiceId === inv.id && l.account === 1500 && Math.abs(l.amount + SETTLEMENT.amount) < 0.005),
      );
      const evidence = [call(dropped), ...(next ? [`next: ${call(next)}`] : []), `bank journals for the collection: ${booked.length}`];
      if (booked.length > 1)
        return fail(
          `the collection was booked ${booked.length} times after the lost answer. Before posting again, read back: GET ` +
            `/DebtCollection/MatchedItems/{invoiceId} shows a match with your ExternalImportReference when the first post went through.`,
          evidence,
        );
      if (next && next.operationId === 'v2PostBankJournal')
        return fail(
          'the integration posted the bank journal again right after the lost answer, without reading back. Read back first (GET ' +
            "/DebtCollection/MatchedItems/{invoiceId}), and send ExternalImportReference so the vendor's duplicate check catches a " +
            'resend.',
          evidence,
        );
      return pass('the integration read back after the lost answer and booked the collection once', evidence);
    },
  },
  {
    id: 'changed-since',
    title: 'Polling by "changed since"',
    rule:
      'The integration asks what changed since its last poll (GET /DebtCollection/GetAllMatchedItems?fromDateTime=…, or the v2 ' +
      '…GreaterThan filters) with a cursor that moves forward, rather than reading every invoice again on each poll.',
    judge(e) {
      const calls = agencyCalls(e);
      const cursorReads = calls.filter((j) => j.operationId?.startsWith('getAllMatchedItems') || /GreaterThan=/i.test(j.path));
      const cursors = new Set(cursorReads.map((j) => cursorOf(j)).filter(Boolean));
      const perInvoice = calls.filter((j) => j.operationId === 'getMatchedItems');
      const limit = 4 * e.invoices.length;
      const evidence = [
        `${cursorReads.length} changed-since read(s) with ${cursors.size} distinct cursor(s)`,
        `${perInvoice.length} per-invoice MatchedItems read(s)`,
        ...cursorReads.slice(-3).map(call),
      ];
      if (!cursorReads.length)
        return fail(
          'the integration never asked what changed since a time. Poll GET /DebtCollection/GetAllMatchedItems?fromDateTime=<your ' +
            'cursor> and move the cursor to the newest lastChanged you received.',
          evidence,
        );
      if (cursors.size < 2)
        return fail(
          'every changed-since read used the same cursor, which is a full read each time. Move the cursor forward to the newest ' +
            'lastChanged you received.',
          evidence,
        );
      if (perInvoice.length > limit)
        return fail(
          `the integration read single invoices' matches ${perInvoice.length} times (${e.invoices.length} invoices). Use ` +
            `GetAllMatchedItems?fromDateTime= to learn what changed and read only those.`,
          evidence,
        );
      return pass('the integration polls what changed since a moving cursor', evidence);
    },
  },
  {
    id: 'sandbox-clock',
    title: 'Cursor from the data, not the machine clock',
    rule:
      'The "changed since" cursor comes from the data (the newest lastChanged received) or the answers\' Date header, never from the ' +
      "integration's own clock: in the sandbox (and after any clock skew) the two differ, and changes are missed.",
    judge(e) {
      const reads = agencyCalls(e).filter(
        (j) => (j.operationId?.startsWith('getAllMatchedItems') || /GreaterThan=/i.test(j.path)) && j.sandboxTime,
      );
      if (!reads.length) return skip('no changed-since read to judge (or the sandbox does not journal its time)');
      const ahead = reads.filter((j) => {
        const c = cursorOf(j);
        return c !== undefined && Number.isFinite(ms(c)) && ms(c) > ms(j.sandboxTime!) + 60_000;
      });
      const evidence = ahead
        .slice(0, 4)
        .map(
          (j) =>
            `${call(j)}: cursor ${cursorOf(j)} is ${Math.round((ms(cursorOf(j)!) - ms(j.sandboxTime!)) / 86_400_000)} day(s) after ` +
            `the sandbox time`,
        );
      return ahead.length
        ? fail(
            `${ahead.length} changed-since read(s) asked for changes after a time later than the sandbox's own: the cursor comes from ` +
              `the machine clock. Take it from the newest lastChanged in the data (or the Date / X-Sandbox-Time header of the answer); ` +
              `for a Node integration you cannot change, run certify with --shim-clock.`,
            evidence,
          )
        : pass('every cursor was at or before the sandbox time of its request', reads.slice(-2).map(call));
    },
  },
  {
    id: 'portability',
    title: 'No portability warnings',
    rule:
      'The sandbox warns where a request works here only because the sandbox is lenient or relies on unverified behaviour (journal ' +
      'entry warnings, X-Sandbox-Warning). A portable integration gets none.',
    judge(e) {
      const warned = agencyCalls(e).filter((j) => j.warnings?.length);
      const evidence = warned.slice(0, 8).flatMap((j) => j.warnings!.map((w) => `${call(j)}: ${w.code}: ${w.message}`));
      return warned.length
        ? fail(`${warned.length} request(s) drew portability warnings; each says what production would do differently.`, evidence)
        : pass('no request drew a portability warning');
    },
  },
];

/** The cursor of a changed-since read: its fromDateTime (query or path form) or a …GreaterThan filter value. */
export function cursorOf(j: JournalRecord): string | undefined {
  const q = j.path.indexOf('?');
  const path = q < 0 ? j.path : j.path.slice(0, q);
  // URLSearchParams turns an unencoded '+' into a space; put it back for the offset.
  const query = new URLSearchParams(q < 0 ? '' : j.path.slice(q + 1));
  for (const [k, v] of query) if (/^fromDateTime$|GreaterThan$/i.test(k)) return v.replace(' ', '+');
  const m = /GetAllMatchedItems\/([^/?]+)/i.exec(path);
  return m ? decodeURIComponent(m[1]!).replace(' ', '+') : undefined;
}

export function judge(e: Evidence): CheckResult[] {
  return CHECKS.map((c) => {
    try {
      return { id: c.id, title: c.title, rule: c.rule, ...c.judge(e) };
    } catch (err) {
      if (err instanceof NotPlayed)
        return { id: c.id, title: c.title, rule: c.rule, verdict: 'skip' as const, message: err.message, evidence: [] };
      return {
        id: c.id,
        title: c.title,
        rule: c.rule,
        verdict: 'fail' as const,
        message: `the check itself failed: ${(err as Error).message}`,
        evidence: [],
      };
    }
  });
}
