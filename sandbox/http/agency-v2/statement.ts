/**
 * v2 GET /Customerledger/Statement: every customer sub-ledger line posted between two dates (inclusive), each with its
 * balance as of toDate when that is before today (else today), with the OpenItems filters.
 */
import type { Operation } from '../core/types.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { agencyRead } from '../agency/caller.js';
import { statementEntries } from '../../domain/queries/statement.js';
import { today } from '../../domain/context.js';
import { numberRanges } from './filters.js';
import { v2Op } from './surface-common.js';
import { customerLedgerFilter, customerLedgerPage } from './customer-ledger.js';

export const v2StatementOperations: Operation[] = [
  v2Op(R.v2CustomerLedgerStatement, {
    summary: 'Every customer sub-ledger line posted between fromDate and toDate (inclusive), with its balance',
    description:
      'Invoices, credit notes, payments (matched or not), write-offs, reminder charges and reversals, in voucher order. Balance is ' +
      'what was still open of ' +
      'the line on toDate when that is before today, else today: a matched payment, credit note or write-off line is 0, an invoice is ' +
      'its amount less its matches, ' +
      'a reminder charge or unmatched line stays open until reversed. contactGroupIds matches nothing (no contact groups); ' +
      'subLedgerNumberSeriesIds matches series 1.',
    tags: ['v2 CustomerLedger'],
    answers: 'customer-ledger lines',
    respond: ({ query, request }, ctx) =>
      agencyRead(ctx, (world, integration) => {
        const asOf = query.toDate < today(world) ? query.toDate : today(world);
        const filter = customerLedgerFilter(ctx, world, integration, query);
        // No customer is in a contact group; every customer is in series 1.
        const inGroups = query.contactGroupIds === undefined;
        const inSeries = numberRanges(query.subLedgerNumberSeriesIds)(1);
        const rows = statementEntries(world, query.fromDate, query.toDate, asOf).filter(
          (item) =>
            inGroups &&
            inSeries &&
            filter(item) &&
            (!query.onlyBalancesLessThanAmount || Math.abs(item.balance) < Math.abs(item.line.amount)),
        );
        return customerLedgerPage(world, rows, query, request, ctx);
      }),
  }),
];
