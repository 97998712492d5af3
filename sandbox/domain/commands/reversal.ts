/**
 * Agency integration: reverse a voucher it posted itself (a settlement posted wrongly). Go posts a reversal voucher
 * that nullifies every line of the original, on the original's date (settings.paymentMatching.reversalDate 'today':
 * on the day it is reversed). Payments the original had matched come off
 * their invoices, which are owed again and go back into the flow; unmatched customer lines stop being open items;
 * and the original's ExternalImportReference and ImportedVoucherNo may be used again on a corrected voucher.
 */
import type { CommandContext } from '../context.js';
import { emit, today } from '../context.js';
import type { Voucher } from '../model.js';
import { reject } from '../errors.js';
import { integrationWithRight } from '../world.js';
import { addMatch, importReferenceKeys, reversalOf, reverseVoucher, voucherById } from '../ledger.js';
import { formatNok } from '../money.js';
import { afterOpenAmountChange } from './flow.js';

export function reverseOwnVoucher(ctx: CommandContext, integrationId: string, voucherId: string): Voucher {
  const world = ctx.world;
  integrationWithRight(world, integrationId, 'write');
  const voucher = voucherById(world, voucherId);
  // Only vouchers this integration posted through the API can be reversed by it; any other is not found.
  if (!voucher || voucher.actor.kind !== 'agency' || voucher.actor.integrationId !== integrationId)
    throw reject.notFound('voucher', voucherId, 'id');
  if (voucher.type === 'ReversalVoucher') throw reject.invalid('id', `is reversal voucher ${voucher.voucherNo}; it cannot be reversed`);
  const earlier = reversalOf(world, voucher.id);
  if (earlier)
    throw reject.invalid(
      'id',
      `voucher ${voucher.voucherNo} is already reversed by voucher ${voucherById(world, earlier)?.voucherNo ?? earlier}`,
    );

  // Dated as the original (nullified as of the day it took effect) unless the client's setting says the day of reversal.
  const date = (world.settings.paymentMatching.reversalDate ?? 'original') === 'today' ? today(world) : voucher.date;
  const reversal = reverseVoucher(ctx, voucher, date, `Reversal of voucher ${voucher.voucherNo}`);
  for (const key of importReferenceKeys(voucher)) if (world.importReferences[key] === voucher.id) delete world.importReferences[key];
  emit(
    ctx,
    'voucher.reversed',
    `voucher ${voucher.voucherNo} reversed by the agency (reversal voucher ${reversal.voucherNo})`,
    { voucherId: reversal.id, integrationId },
    {
      reversedVoucherId: voucher.id,
      voucherNo: voucher.voucherNo,
      reversalVoucherNo: reversal.voucherNo,
    },
  );
  for (const invoice of Object.values(world.invoices)) {
    const reversed = invoice.matches.filter((m) => m.voucherId === voucher.id && !m.reversedByVoucherId);
    for (const m of reversed) {
      m.reversedByVoucherId = reversal.id;
      // Dated with the reversal, or with the match when that is later (an earlier open line matched by a later
      // invoice): the invoice is never shown owed twice on a date between.
      addMatch(ctx, invoice, {
        kind: 'paymentReversal',
        voucher: reversal,
        amount: -m.amount,
        ...(m.date > reversal.date ? { date: m.date } : {}),
      });
      emit(
        ctx,
        'payment.reversed',
        `payment of ${formatNok(m.amount)} on invoice ${invoice.invoiceNo} reversed with voucher ${voucher.voucherNo}: owed again`,
        {
          invoiceId: invoice.id,
          customerId: invoice.customerId,
          voucherId: reversal.id,
          integrationId,
        },
        { amount: m.amount, openAmount: invoice.openAmount },
      );
    }
    if (reversed.length) afterOpenAmountChange(ctx, invoice, 'reopened');
  }
  return reversal;
}
