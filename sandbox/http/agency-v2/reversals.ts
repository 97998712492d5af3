/**
 * v2 POST /Vouchers/Reverse/{id}: the integration reverses a voucher it posted. The vendor answers without a body
 * (202 Accepted); the agency reads the result back (GET /Vouchers/BankJournals/{id}: IsReversed).
 */
import type { Operation } from '../core/types.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { agencyWrite } from '../agency/caller.js';
import { reverseOwnVoucher } from '../../domain/commands/reversal.js';
import { v2NotFound, v2Op } from './surface-common.js';

export const v2ReversalOperations: Operation[] = [
  v2Op(R.v2ReverseVoucher, {
    summary: 'Reverse a voucher this integration posted: a reversal voucher nullifies it, and the payments it matched are owed again',
    description:
      'As at the vendor, only vouchers the calling integration posted through the API (POST /Vouchers/BankJournals) can be reversed; ' +
      'any other id is 404. ' +
      'The reversal voucher (VoucherType ReversalVoucher) is dated as the original (client setting paymentMatching.reversalDate ' +
      '"today": the day it is reversed) and negates each line; invoices the original paid are open again ' +
      "(balance, BalanceLastChangedDateTimeOffset, OpenItems), unmatched customer lines stop being open items, and the original's " +
      'ExternalImportReference (and ImportedVoucherNo) may be used again. Reversing a voucher twice, or a reversal voucher, is 400. ' +
      'The answer is 202 with no body, as the vendor documents it first (it also lists 200 without a body).',
    tags: ['v2 Vouchers'],
    answers: 'Accepted: the voucher is reversed (no body)',
    responses: v2NotFound,
    handle: ({ params }, ctx) =>
      agencyWrite(ctx, (c, integration) => {
        reverseOwnVoucher(c, integration.id, params.id);
      }),
  }),
];
