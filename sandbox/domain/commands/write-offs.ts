/**
 * ERP user: "Avskriv" on the customer ledger. The user picks lines of one customer's ledger and a date (today or
 * later); the amount is the open amount and cannot be changed. It posts a loss voucher (debit 7830, VAT
 * correction on 2700, credit 1500), matches the ledger items and marks the matches isWriteOff, so the agency can
 * ignore them while it keeps collecting. Money that comes in later needs the write-off reversed by hand.
 */
import type { CommandContext } from '../context.js';
import { emit, today } from '../context.js';
import type { Invoice, Voucher } from '../model.js';
import { reject } from '../errors.js';
import { getInvoice } from '../world.js';
import { addMatch, postVoucher, reversalOf, reverseVoucher, voucherById, type VoucherDraft } from '../ledger.js';
import { ACCOUNTS, accountExists, vatCode as findVatCode } from '../chart-of-accounts.js';
import { formatNok, splitVat } from '../money.js';
import type { LocalDate } from '../time.js';
import { afterOpenAmountChange } from './flow.js';

export interface NewWriteOff {
  invoiceIds: string[];
  date?: LocalDate;
  account?: number;
  vatCode?: string;
  departmentCode?: string | null;
  projectCode?: string | null;
  description?: string;
  attachmentName?: string | null;
}

export function writeOff(ctx: CommandContext, input: NewWriteOff): Voucher {
  const world = ctx.world;
  const date = input.date ?? today(world);
  if (date < today(world))
    throw reject.conflict(`a write-off is dated today or later; ${date} is before today (${today(world)})`, {
      field: 'date',
      current: today(world),
      allowed: [`${today(world)} or later`],
    });
  const account = input.account ?? ACCOUNTS.lossOnReceivables;
  if (!accountExists(account)) throw reject.invalid('account', `${account} does not exist in the chart of accounts`);
  const vatCodeName = input.vatCode ?? '0';
  const vat = findVatCode(vatCodeName);
  if (!vat) throw reject.invalid('vatCode', `'${vatCodeName}' is not a VAT code`);
  if (input.invoiceIds.length === 0) throw reject.invalid('invoiceIds', 'needs at least one invoice');
  if (new Set(input.invoiceIds).size !== input.invoiceIds.length) throw reject.invalid('invoiceIds', 'lists an invoice twice');

  const invoices: Invoice[] = input.invoiceIds.map((id, i) => getInvoice(world, id, `invoiceIds[${i}]`));
  const customerId = invoices[0]!.customerId;
  for (const [i, inv] of invoices.entries()) {
    if (inv.customerId !== customerId)
      throw reject.invalid(`invoiceIds[${i}]`, `belongs to another customer; a write-off takes lines of one customer's ledger`);
    if (inv.openAmount === 0)
      throw reject.conflict(`invoice ${inv.invoiceNo} has nothing left to write off`, {
        field: `invoiceIds[${i}]`,
        current: 'open amount 0.00 NOK',
      });
  }

  const total = invoices.reduce((s, inv) => s + inv.openAmount, 0);
  const { net, vat: vatAmount } = splitVat(total, vat.direction === 'output' ? vat.rateBasisPoints : 0);
  const dims = { departmentCode: input.departmentCode ?? null, projectCode: input.projectCode ?? null };
  const lines: VoucherDraft['lines'] = [{ account, amount: net, vatCode: vatCodeName, description: input.description ?? null, ...dims }];
  if (vatAmount) lines.push({ account: ACCOUNTS.outputVat, amount: vatAmount, vatCode: vatCodeName, ...dims });
  for (const inv of invoices)
    lines.push({ account: ACCOUNTS.customerReceivables, amount: -inv.openAmount, customerId, invoiceId: inv.id, ...dims });
  const voucher = postVoucher(ctx, {
    type: 'ManualJournal',
    date,
    description:
      input.description ??
      `Write-off (avskrivning) of ${invoices.map((i) => i.invoiceNo).join(', ')}` +
        (input.attachmentName ? ` [${input.attachmentName}]` : ''),
    lines,
  });
  for (const inv of invoices) {
    const amount = inv.openAmount;
    addMatch(ctx, inv, { kind: 'writeOff', voucher, amount });
    emit(
      ctx,
      'writeOff.posted',
      `invoice ${inv.invoiceNo} written off (${formatNok(amount)} to account ${account}); the agency may keep collecting`,
      {
        invoiceId: inv.id,
        customerId,
        voucherId: voucher.id,
      },
      { amount, account, vatCode: vatCodeName, date },
    );
    afterOpenAmountChange(ctx, inv, 'written off');
  }
  return voucher;
}

/** Reverse a write-off by hand (money came in after all): a reversal voucher re-opens the invoices. */
export function reverseWriteOff(ctx: CommandContext, voucherId: string, date?: LocalDate): Voucher {
  const world = ctx.world;
  const voucher = voucherById(world, voucherId);
  const matched = Object.values(world.invoices).flatMap((inv) =>
    inv.matches.filter((m) => m.voucherId === voucherId && m.kind === 'writeOff').map((m) => ({ inv, m })),
  );
  if (!voucher || matched.length === 0) throw reject.notFound('write-off voucher', voucherId, 'voucherId');
  if (reversalOf(world, voucher.id))
    throw reject.conflict(`write-off voucher ${voucher.voucherNo} is already reversed`, { field: 'voucherId', current: 'reversed' });
  const on = date ?? today(world);
  if (on < voucher.date) throw reject.invalid('date', `is before the write-off's date ${voucher.date}`);
  const reversal = reverseVoucher(ctx, voucher, on, `Reversal of write-off ${voucher.voucherNo}`);
  for (const { inv, m } of matched) {
    m.reversedByVoucherId = reversal.id;
    addMatch(ctx, inv, { kind: 'writeOffReversal', voucher: reversal, amount: -m.amount });
    emit(
      ctx,
      'writeOff.reversed',
      `write-off of invoice ${inv.invoiceNo} reversed: ${formatNok(m.amount)} open again`,
      {
        invoiceId: inv.id,
        customerId: inv.customerId,
        voucherId: reversal.id,
      },
      { amount: m.amount },
    );
    afterOpenAmountChange(ctx, inv, 'reopened');
  }
  return reversal;
}
