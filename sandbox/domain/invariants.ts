/**
 * The invariants of domain.md that must never break. Tests check them after every write (the server does too
 * with --check-invariants); a breach is a bug and fails loudly.
 */
import type { World } from './model.js';
import { ACCOUNTS } from './chart-of-accounts.js';
import { accountBalance } from './queries/ledger.js';
import { laterMatches, openPart, PAYMENT_VOUCHER_TYPES, unmatchedPart, voucherById } from './ledger.js';
import { formatNok } from './money.js';

export function invariantBreaches(world: World): string[] {
  const breaches: string[] = [];
  for (const v of world.vouchers) {
    const sum = v.lines.reduce((s, l) => s + l.amount, 0);
    if (sum !== 0) breaches.push(`voucher ${v.voucherNo} does not balance: ${formatNok(sum)}`);
  }

  let ledgerTotal = 0;
  for (const inv of Object.values(world.invoices)) {
    if (inv.kind !== 'invoice') continue;
    const matched = inv.matches.reduce((s, m) => s + m.amount, 0);
    if (inv.openAmount !== inv.amount - matched)
      breaches.push(`invoice ${inv.invoiceNo}: open amount ${inv.openAmount} != original ${inv.amount} - matched ${matched}`);
    if (inv.openAmount < 0) breaches.push(`invoice ${inv.invoiceNo}: open amount below zero`);
    ledgerTotal += inv.openAmount;
    for (const r of inv.reminders) if (r.voucherId && !r.reversedByVoucherId) ledgerTotal += r.fee + r.interest;
    const c = inv.collection;
    if ((c.status === 'Exported') !== Boolean(c.caseId))
      breaches.push(`invoice ${inv.invoiceNo}: status ${c.status} with caseId ${c.caseId}`);
    if (c.caseId) {
      const kase = world.cases[c.caseId];
      if (!kase?.invoiceIds.includes(inv.id)) breaches.push(`invoice ${inv.invoiceNo}: its case ${c.caseId} does not list it`);
    }
  }
  // Unmatched items: what no invoice accounts for on a customer line (a prepayment, an unknown reference, a debit,
  // the excess of an overpayment, and their reversals) stays on the ledger as it is.
  for (const v of world.vouchers) {
    const matchedByLines = new Map<string, number>();
    for (const l of v.lines) {
      if (l.account !== ACCOUNTS.customerReceivables) continue;
      if (l.invoiceId === undefined) {
        if (l.customerId === undefined) breaches.push(`voucher ${v.voucherNo}: a customer-ledger line names no customer`);
        else if (!world.customers[String(l.customerId)]) breaches.push(`voucher ${v.voucherNo}: customer ${l.customerId} does not exist`);
      } else if (l.unmatched) {
        if (Math.sign(l.unmatched.amount) !== Math.sign(l.amount) || Math.abs(l.unmatched.amount) > Math.abs(l.amount))
          breaches.push(
            `voucher ${v.voucherNo}: the open part ${formatNok(l.unmatched.amount)}` +
              ` of a customer line is not within its amount ${formatNok(l.amount)}`,
          );
      }
      if (PAYMENT_VOUCHER_TYPES.has(v.type) && l.invoiceId !== undefined)
        matchedByLines.set(l.invoiceId, (matchedByLines.get(l.invoiceId) ?? 0) - (l.amount - unmatchedPart(l)));
      ledgerTotal += unmatchedPart(l);
    }
    // A bank journal's lines naming an invoice are matched against it for exactly what they do not leave open.
    for (const [invoiceId, byLines] of matchedByLines) {
      const inv = world.invoices[invoiceId];
      const byMatches = inv?.matches.filter((m) => m.voucherId === v.id && m.line === undefined).reduce((s, m) => s + m.amount, 0) ?? 0;
      if (byLines !== byMatches)
        breaches.push(
          `voucher ${v.voucherNo}: its lines match ${formatNok(byLines)} against invoice ${inv?.invoiceNo ?? invoiceId}, its matches ` +
            `say ${formatNok(byMatches)}`,
        );
    }
  }
  // Later entries matched with earlier open lines: each names a customer line of its invoice's customer that was
  // left open, and closes no more of it than was open (the line stays as posted; the match is what changed).
  for (const [key, later] of laterMatches(world)) {
    const { invoice, match } = later[0]!;
    const v = voucherById(world, match.voucherId);
    const l = v?.lines[match.line!];
    if (!v || !l || l.account !== ACCOUNTS.customerReceivables || l.customerId !== invoice.customerId) {
      breaches.push(
        `invoice ${invoice.invoiceNo}: its match ${match.id} names ${key}, which is no customer line of customer ${invoice.customerId}`,
      );
      continue;
    }
    const open = openPart(l, later);
    const before = unmatchedPart(l);
    if (open !== 0 && Math.sign(open) !== Math.sign(before))
      breaches.push(
        `voucher ${v.voucherNo} line ${match.line}` +
          `: later matches close ${formatNok(open - before)} of an open part of ${formatNok(before)}`,
      );
    ledgerTotal += open - before;
  }
  const receivables = accountBalance(world, ACCOUNTS.customerReceivables);
  if (receivables !== ledgerTotal)
    breaches.push(`customer ledger total ${formatNok(ledgerTotal)} != balance of 1500 ${formatNok(receivables)}`);

  const seen = new Set<string>();
  for (const kase of Object.values(world.cases)) {
    for (const id of kase.invoiceIds) {
      if (seen.has(id)) breaches.push(`invoice ${id} is in more than one case`);
      seen.add(id);
      const inv = world.invoices[id];
      if (!inv || inv.collection.caseId !== kase.id) breaches.push(`case ${kase.code} lists invoice ${id}, which is not in it`);
      else if (inv.customerId !== kase.customerId) breaches.push(`case ${kase.code} mixes customers`);
    }
  }

  for (let i = 1; i < world.events.length; i++)
    if (world.events[i]!.at < world.events[i - 1]!.at) {
      breaches.push(`event ${world.events[i]!.seq} is earlier than the one before it`);
      break;
    }
  const last = world.events.at(-1);
  if (last && last.at > world.clock.now) breaches.push('an event is later than the clock');
  return breaches;
}
