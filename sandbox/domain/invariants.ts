/**
 * The invariants of domain.md that must never break. Tests check them after every write (the server does too
 * with --check-invariants); a breach is a bug and fails loudly.
 */
import type { World } from './model.js';
import { ACCOUNTS } from './chart-of-accounts.js';
import { accountBalance } from './queries/ledger.js';
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
    if (inv.openAmount !== inv.amount - matched) breaches.push(`invoice ${inv.invoiceNo}: open amount ${inv.openAmount} != original ${inv.amount} - matched ${matched}`);
    if (inv.openAmount < 0) breaches.push(`invoice ${inv.invoiceNo}: open amount below zero`);
    ledgerTotal += inv.openAmount;
    for (const r of inv.reminders) if (r.voucherId && !r.reversedByVoucherId) ledgerTotal += r.fee + r.interest;
    const c = inv.collection;
    if ((c.status === 'Exported') !== Boolean(c.caseId)) breaches.push(`invoice ${inv.invoiceNo}: status ${c.status} with caseId ${c.caseId}`);
    if (c.caseId) {
      const kase = world.cases[c.caseId];
      if (!kase?.invoiceIds.includes(inv.id)) breaches.push(`invoice ${inv.invoiceNo}: its case ${c.caseId} does not list it`);
    }
  }
  // Unmatched items: customer lines a bank journal could not match (and their reversals) stay on the ledger as they are.
  for (const v of world.vouchers)
    for (const l of v.lines) {
      if (l.account !== ACCOUNTS.customerReceivables || l.invoiceId !== undefined) continue;
      if (l.customerId === undefined) breaches.push(`voucher ${v.voucherNo}: a customer-ledger line names no customer`);
      else if (!world.customers[String(l.customerId)]) breaches.push(`voucher ${v.voucherNo}: customer ${l.customerId} does not exist`);
      ledgerTotal += l.amount;
    }
  const receivables = accountBalance(world, ACCOUNTS.customerReceivables);
  if (receivables !== ledgerTotal) breaches.push(`customer ledger total ${formatNok(ledgerTotal)} != balance of 1500 ${formatNok(receivables)}`);

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
    if (world.events[i]!.at < world.events[i - 1]!.at) { breaches.push(`event ${world.events[i]!.seq} is earlier than the one before it`); break; }
  const last = world.events.at(-1);
  if (last && last.at > world.clock.now) breaches.push('an event is later than the clock');
  return breaches;
}
