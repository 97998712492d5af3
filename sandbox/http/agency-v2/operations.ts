/**
 * The v2 subset an agency needs (PascalCase, paging, ProblemDetails). Each operation: parse, one domain command
 * or query, map to the wire. Lists answer through `page` (bare array, 204 when empty, X-Pagination).
 */
import type { TObject } from '@sinclair/typebox';
import type { Operation } from '../core/types.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { agencyRead, agencyWrite } from '../agency/caller.js';
import { after, byIntegration, cutOffIn, v2Op } from './surface-common.js';
import { VendorProblemDetails as ProblemDetails } from '../../../contracts/schemas/common.js';
import * as S from '../../../contracts/schemas/v2.js';
import { openItems } from '../../domain/queries/ledger.js';
import { invoicesInOrder } from '../../domain/world.js';
import { postBankJournal, submitToVoucherReception } from '../../domain/commands/settlement.js';
import { CHART_OF_ACCOUNTS, VAT_CODES } from '../../domain/chart-of-accounts.js';
import { DomainRejection, isRejection, reject } from '../../domain/errors.js';
import type { RequestContext } from '../core/types.js';
import { warn } from '../core/warnings.js';
import { page } from './paging.js';
import { numberRanges, textList } from './filters.js';
import type { Invoice, Voucher, World } from '../../domain/model.js';
import { voucherById } from '../../domain/ledger.js';
import {
  bankJournalInput,
  bankJournalField,
  bankVoucherDto,
  balanceLastChanged,
  clientIntegrationInformationDto,
  customerBalanceDtos,
  customerDto,
  glAccountDto,
  sentAt,
  manualJournalDto,
  manualJournalInput,
  manualJournalField,
  outgoingInvoiceDto,
  outgoingInvoiceLineDtos,
  vatCodeDto,
} from './mappers.js';
import { customerLedgerFilter, customerLedgerPage } from './customer-ledger.js';

const TAGS = {
  customers: ['v2 Customers'],
  ledger: ['v2 CustomerLedger'],
  invoices: ['v2 OutgoingInvoices'],
  vouchers: ['v2 Vouchers'],
  setup: ['v2 Accounts and VAT'],
};

const notFound = { 404: { description: 'Unknown id', schema: ProblemDetails } };
const writeErrors = {
  409: {
    description: 'Only with settings.v2Wire.duplicateStatus 409 (a sandbox invention): a duplicate ExternalImportReference',
    schema: ProblemDetails,
  },
};

/** The property names of a list's item DTO: what Fields and OrderBy may name. */
const namesOf = (item: TObject) => Object.keys(item.properties);

/** Posted through the API by this integration (an agency's token), not by the ERP user or the clock. */
const invoiceVoucher = (world: World, inv: Invoice) => voucherById(world, inv.voucherId);

/**
 * The vendor's answers to a bank journal the sandbox refuses, in the wire's field names (`wireField` renames the
 * domain's): a duplicate ExternalImportReference is 400 (409 by setting); a customer line the sandbox cannot match is
 * 400 with a warning, since the vendor would post it. Also the scenario runner's, whose agency steps expect the status
 * the agency would see (and keep the domain's field names: a scenario's lines are domain lines).
 */
export function asVendorRefusal(
  error: unknown,
  ctx: Pick<RequestContext, 'settings' | 'warnings'>,
  wireField: (path: string) => string = (path) => path,
): unknown {
  if (!isRejection(error)) return error;
  const e = error.renamed(wireField);
  if (e.kind === 'duplicate') {
    if ((ctx.settings?.v2Wire.duplicateStatus ?? 400) === 409) {
      warn(
        ctx,
        'sandbox-invention',
        'a duplicate answered 409 (setting v2Wire.duplicateStatus); the vendor documents no 409 on this endpoint',
      );
      return e;
    }
    return new DomainRejection('invalid', e.message, e.details.field ? { field: e.details.field } : {});
  }
  if (e.details.unmatched) {
    warn(
      ctx,
      'vendor-would-post',
      `${e.details.field ?? 'a customer line'}: the vendor tries to match and posts the line anyway, leaving a credit on the ` +
        `customer; the sandbox refuses an overpayment instead (setting paymentMatching.overpayment 'refuse')`,
    );
    return new DomainRejection('invalid', e.message, {
      ...(e.details.field ? { field: e.details.field } : {}),
      ...(e.details.current ? { current: e.details.current } : {}),
    });
  }
  return e;
}

export const v2Operations: Operation[] = [
  v2Op(R.v2ListCustomers, {
    summary: 'Customer cards',
    tags: TAGS.customers,
    answers: 'customers',
    respond: ({ query, request }, ctx) =>
      agencyRead(ctx, (world) => {
        const since = cutOffIn(ctx, query.lastChangedDateTimeOffsetGreaterThan, world.timeZone, 'lastChangedDateTimeOffsetGreaterThan');
        const createdSince = cutOffIn(
          ctx,
          query.customerCreatedDateTimeOffsetGreaterThan,
          world.timeZone,
          'customerCreatedDateTimeOffsetGreaterThan',
        );
        const inRange = numberRanges(query.customerNos);
        // Sandbox customers are made by the ERP user, never imported with a reference: the filter finds none.
        const reference = query.externalImportReference?.trim() || undefined;
        const rows = Object.values(world.customers)
          .filter((c) => inRange(c.number) && after(since, c.lastChanged) && after(createdSince, c.createdAt) && reference === undefined)
          .sort((a, b) => a.id - b.id);
        return page(
          rows.map((c) => customerDto(world, c)),
          query,
          request,
          ctx,
          namesOf(S.CustomerDto),
        );
      }),
  }),
  v2Op(R.v2GetCustomer, {
    summary: 'A customer card',
    tags: TAGS.customers,
    answers: 'the customer',
    responses: notFound,
    handle: ({ params }, ctx) =>
      agencyRead(ctx, (world) => {
        const customer = world.customers[String(params.id)];
        if (!customer) throw reject.notFound('customer', params.id, 'id');
        return customerDto(world, customer);
      }),
  }),
  v2Op(R.v2CustomerLedgerOpenItems, {
    summary: 'Customer-ledger items open on a date (invoices with money owed, reminder charges)',
    tags: TAGS.ledger,
    answers: 'open items',
    respond: ({ query, request }, ctx) =>
      agencyRead(ctx, (world, integration) => {
        const rows = openItems(world, query.date).filter(customerLedgerFilter(ctx, world, integration, query));
        return customerLedgerPage(world, rows, query, request, ctx);
      }),
  }),
  v2Op(R.v2ListOutgoingInvoices, {
    summary: 'Outgoing invoices and credit notes (no lines)',
    tags: TAGS.invoices,
    answers: 'invoices',
    respond: ({ query, request }, ctx) =>
      agencyRead(ctx, (world, integration) => {
        const invoiceIn = numberRanges(query.invoiceNos);
        const customerIn = numberRanges(query.customerNos);
        const voucherIn = numberRanges(query.voucherNos);
        const ids = textList(query.invoiceIds)?.map((id) => id.toLowerCase());
        const balanceSince = cutOffIn(
          ctx,
          query.balanceLastChangedDateTimeOffsetGreaterThan,
          world.timeZone,
          'balanceLastChangedDateTimeOffsetGreaterThan',
        );
        const sentSince = cutOffIn(ctx, query.sentDateTimeOffsetGreaterThan, world.timeZone, 'sentDateTimeOffsetGreaterThan');
        const references = textList(query.customMatchingReferences);
        const rows = invoicesInOrder(world).filter(
          (inv) =>
            invoiceIn(inv.invoiceNo) &&
            voucherIn(invoiceVoucher(world, inv)?.voucherNo) &&
            (!ids || ids.includes(inv.id.toLowerCase())) &&
            after(balanceSince, balanceLastChanged(inv)) &&
            after(sentSince, sentAt(inv)) &&
            (!references || (inv.matchingReference !== undefined && references.includes(inv.matchingReference))) &&
            (!query.onlyCreatedByCurrentIntegration || byIntegration(invoiceVoucher(world, inv), integration.id)) &&
            customerIn(world.customers[String(inv.customerId)]?.number) &&
            (!query.onlyUnpaidInvoices || (inv.kind === 'invoice' && inv.openAmount !== 0)) &&
            (!query.fromDate || inv.invoiceDate >= query.fromDate) &&
            (!query.toDate || inv.invoiceDate <= query.toDate),
        );
        return page(
          rows.map((inv) => outgoingInvoiceDto(world, inv)),
          query,
          request,
          ctx,
          namesOf(S.OutgoingInvoiceDto),
        );
      }),
  }),
  v2Op(R.v2GetOutgoingInvoice, {
    summary: 'An outgoing invoice or credit note',
    tags: TAGS.invoices,
    answers: 'the invoice',
    responses: notFound,
    handle: ({ params }, ctx) =>
      agencyRead(ctx, (world) => {
        const invoice = world.invoices[params.id];
        if (!invoice) throw reject.notFound('outgoing invoice', params.id, 'id');
        return outgoingInvoiceDto(world, invoice);
      }),
  }),
  v2Op(R.v2PostBankJournal, {
    summary:
      'Post a settlement as a bank voucher; a customer line with InvoiceNo, Cid or CustomMatchingReference is matched to that invoice',
    description:
      'AccountId is a GeneralLedgerAccountDto.Id or a CustomerDto.SubledgerAccountId. CurrencyAmount: positive debits, negative credits ' +
      '(a payment is a negative customer line and a positive bank line). Every line needs the keys PostingDate and VatId (VatId may ' +
      'be null). ' +
      'A repeated ExternalImportReference is refused (400; 409 by setting); ImportedVoucherNo is not unique unless a setting makes it ' +
      'so. ' +
      'A customer line is matched by InvoiceNo, then Cid, then CustomMatchingReference (an invoice with that reference and the ' +
      "opposite open amount); settings.paymentMatching changes the order's fall-back and the amounts. " +
      'A line naming no invoice of that customer (no or unknown references: a prepayment), or a debit, is posted unmatched: an open ' +
      "item on the customer's ledger (GET /v2/Customerledger/OpenItems, InvoiceNo null). " +
      'An overpayment settles the invoice and leaves the excess as a credit open item (Balance negative); setting ' +
      'paymentMatching.overpayment "refuse" brings back the old 400.',
    tags: TAGS.vouchers,
    answers: 'the posted voucher',
    responses: writeErrors,
    handle: async ({ body }, ctx) => {
      try {
        return await agencyWrite(ctx, (c, integration) => {
          const voucher = postBankJournal(c, integration.id, bankJournalInput(c.world, body), {
            uniqueImportedVoucherNo: c.world.settings.v2Wire.uniqueImportedVoucherNo,
          });
          return bankVoucherDto(c.world, voucher, body);
        });
      } catch (e) {
        throw asVendorRefusal(e, ctx, bankJournalField);
      }
    },
  }),
  v2Op(R.v2PostManualJournal, {
    summary: 'Send costs, VAT or interest as a manual journal draft to the voucher reception, for the ERP user to approve',
    description:
      'Each line debits CurrencyAmount on DebitAccountId and credits it on CreditAccountId; a VatId splits the gross amount into net ' +
      'and VAT on approval. ' +
      'As at the vendor, the draft has no ExternalImportReference or ImportedVoucherNo (unknown fields are 400): a retry posts a ' +
      'second draft. ' +
      "settings.v2Wire.manualJournalImportReferences brings back the sandbox's old duplicate check on them.",
    tags: TAGS.vouchers,
    bodyFor: (settings) => (settings.v2Wire.manualJournalImportReferences ? S.ManualJournalEntryVoucherPostDtoWithReferences : undefined),
    answers: 'the draft',
    responses: writeErrors,
    handle: async ({ body }, ctx) => {
      const sent = body as typeof body & { ExternalImportReference?: string | null; ImportedVoucherNo?: number | null };
      if (sent.ExternalImportReference || sent.ImportedVoucherNo)
        warn(
          ctx,
          'sandbox-invention',
          'ExternalImportReference/ImportedVoucherNo on a ManualJournals draft (setting v2Wire.manualJournalImportReferences): the ' +
            "vendor's DTO has neither and refuses them",
        );
      try {
        return await agencyWrite(ctx, (c, integration) => {
          const draft = submitToVoucherReception(c, integration.id, manualJournalInput(c.world, sent));
          return manualJournalDto(c.world, draft, sent);
        });
      } catch (e) {
        throw asVendorRefusal(e, ctx, manualJournalField(sent));
      }
    },
  }),
  v2Op(R.v2ListGeneralLedgerAccounts, {
    summary: 'The chart of accounts; Id is the AccountId voucher lines use',
    tags: TAGS.setup,
    answers: 'accounts',
    respond: ({ query, request }, ctx) =>
      agencyRead(ctx, () => {
        const inRange = numberRanges(query.accountNos);
        return page(
          CHART_OF_ACCOUNTS.filter((a) => inRange(a.accountNo)).map(glAccountDto),
          query,
          request,
          ctx,
          namesOf(S.GeneralLedgerAccountDto),
        );
      }),
  }),
  v2Op(R.v2ListVatCodes, {
    summary: 'VAT codes; Id is the VatId voucher lines use',
    tags: TAGS.setup,
    answers: 'VAT codes',
    respond: ({ query, request }, ctx) =>
      agencyRead(ctx, () => page(VAT_CODES.map(vatCodeDto), query, request, ctx, namesOf(S.VatCodeDto))),
  }),
  v2Op(R.v2GetBankJournal, {
    summary: 'A bank voucher this integration posted: the read-back after a timeout',
    description:
      'As at the vendor, only vouchers the calling integration posted through POST /Vouchers/BankJournals are found; any other id is 404.',
    tags: TAGS.vouchers,
    answers: 'the voucher',
    responses: notFound,
    handle: ({ params }, ctx) =>
      agencyRead(ctx, (world, integration) => {
        const voucher = voucherById(world, params.id);
        if (!voucher || voucher.type !== 'BankJournal' || voucher.actor.integrationId !== integration.id)
          throw reject.notFound('bank voucher', params.id, 'id');
        return bankVoucherDto(world, voucher);
      }),
  }),
  v2Op(R.v2ListOutgoingInvoiceLines, {
    summary: "An outgoing invoice's (or credit note's) lines",
    tags: TAGS.invoices,
    answers: 'invoice lines',
    responses: notFound,
    respond: ({ params, query, request }, ctx) =>
      agencyRead(ctx, (world) => {
        const invoice = world.invoices[params.id];
        if (!invoice) throw reject.notFound('outgoing invoice', params.id, 'id');
        return page(outgoingInvoiceLineDtos(world, invoice), query, request, ctx, namesOf(S.OutgoingInvoiceLineDto));
      }),
  }),
  v2Op(R.v2CustomerBalances, {
    summary: 'Customer-ledger balance per customer as of a date (customers without ledger entries are not shown)',
    tags: TAGS.ledger,
    answers: 'balances',
    respond: ({ query, request }, ctx) =>
      agencyRead(ctx, (world) => {
        // No contact groups exist in the sandbox, and every customer is in the one sub-ledger number series (1).
        const inGroups = query.contactGroupIds === undefined;
        const inSeries = numberRanges(query.subLedgerNumberSeriesIds)(1);
        const rows = inGroups && inSeries ? customerBalanceDtos(world, query.date, query.includeOnlyOpenItems ?? false) : [];
        return page(rows, query, request, ctx, namesOf(S.CustomerBalanceDto));
      }),
  }),
  v2Op(R.v2ClientIntegrationInformation, {
    summary: "The client and the integration's valid and invalid privileges",
    tags: TAGS.setup,
    answers: 'the information',
    handle: (_input, ctx) => agencyRead(ctx, (world, integration) => clientIntegrationInformationDto(world, integration)),
  }),
];
