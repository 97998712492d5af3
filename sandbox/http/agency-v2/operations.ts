/**
 * The v2 subset an agency needs (PascalCase, paging, ProblemDetails). Each operation: parse, one domain command
 * or query, map to the wire. Lists answer through `page` (bare array, 204 when empty, X-Pagination).
 */
import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import { operation, type Operation } from '../core/types.js';
import { agencyRead, agencyWrite, json } from '../agency/caller.js';
import { ApimFailure, VendorProblemDetails as ProblemDetails } from '../../../contracts/schemas/common.js';
import * as S from '../../../contracts/schemas/v2.js';
import { openItems } from '../../domain/queries/ledger.js';
import { invoicesInOrder } from '../../domain/world.js';
import { postBankJournal, submitToVoucherReception } from '../../domain/commands/settlement.js';
import { CHART_OF_ACCOUNTS, VAT_CODES } from '../../domain/chart-of-accounts.js';
import { DomainRejection, isRejection, reject } from '../../domain/errors.js';
import type { RequestContext } from '../core/types.js';
import { warn } from '../core/warnings.js';
import { toMillis } from '../../domain/time.js';
import { page } from './paging.js';
import { cutOff, numberRanges, textList } from './filters.js';
import { VOUCHER_TYPES } from '../../../contracts/schemas/enums.js';
import type { Invoice, Voucher, World } from '../../domain/model.js';
import { voucherById } from '../../domain/ledger.js';
import {
  bankJournalInput,
  bankVoucherDto,
  balanceLastChanged,
  clientIntegrationInformationDto,
  customerBalanceDtos,
  customerDto,
  glAccountDto,
  ledgerItemLastChanged,
  sentAt,
  ledgerEntryDto,
  ledgerItemMatchingReference,
  manualJournalDto,
  manualJournalInput,
  outgoingInvoiceDto,
  outgoingInvoiceLineDtos,
  vatCodeDto,
} from './mappers.js';

const TAGS = {
  customers: ['v2 Customers'],
  ledger: ['v2 CustomerLedger'],
  invoices: ['v2 OutgoingInvoices'],
  vouchers: ['v2 Vouchers'],
  setup: ['v2 Accounts and VAT'],
};

const errors = {
  400: { description: 'Invalid request (ProblemDetails as application/json): `errors` names each field on a validation failure (e.g. PageSize over 20000)', schema: ProblemDetails },
  401: { description: 'Missing or invalid subscription key or access token (Azure API Management body)', schema: ApimFailure },
  403: { description: 'The integration lacks the privilege', schema: ProblemDetails },
  500: { description: 'Internal error', schema: ProblemDetails },
};
const notFound = { 404: { description: 'Unknown id', schema: ProblemDetails } };
const list = (what: string, item: TSchema) => ({
  200: {
    description: `${what}, one page (header X-Pagination: {"nextPageLink"}, absent on the last page; TotalCount, PageSize, CurrentPage, TotalPages only with settings.v2Wire.pagination 'extended', unverified)`,
    schema: Type.Array(item),
  },
  204: { description: 'The page is empty (no body)' },
});
const writeErrors = {
  409: { description: 'Only with settings.v2Wire.duplicateStatus 409 (a sandbox invention): a duplicate ExternalImportReference', schema: ProblemDetails },
};

/** A cut-off filter with the client's '+' handling; warns when the query lost an unencoded '+'. */
function cutOffIn(ctx: RequestContext, value: string | undefined, timeZone: string, field: string) {
  return cutOff(value, timeZone, field, {
    repairPlus: ctx.settings?.v2Wire.repairPlusInTimestamps ?? false,
    onUnencodedPlus: (message) => warn(ctx, 'unencoded-plus-in-timestamp', message),
  });
}

/** The property names of a list's item DTO: what Fields and OrderBy may name. */
const namesOf = (item: TObject) => Object.keys(item.properties);

/** An instant strictly after a cut-off (absent cut-off: everything); the vendor's filters are all "GreaterThan". */
const after = (cut: number | undefined, instant: string | null) => cut === undefined || (instant !== null && toMillis(instant) > cut);

/** VoucherType names, as the vendor's enum spells them (any case); an unknown one is 400 naming voucherTypes. */
function voucherTypesIn(value: string | undefined): Set<string> | undefined {
  const names = textList(value);
  if (!names) return undefined;
  return new Set(
    names.map((n) => {
      const found = VOUCHER_TYPES.find((t) => t.toLowerCase() === n.toLowerCase());
      if (!found) throw reject.invalid('voucherTypes', `'${n}' is not a VoucherType (${VOUCHER_TYPES.join(', ')})`);
      return found;
    }),
  );
}

/** Posted through the API by this integration (an agency's token), not by the ERP user or the clock. */
const byIntegration = (voucher: Voucher | undefined, integrationId: string) => voucher?.actor.kind === 'agency' && voucher.actor.integrationId === integrationId;
const invoiceVoucher = (world: World, inv: Invoice) => voucherById(world, inv.voucherId);

/**
 * The vendor's answers to a bank journal the sandbox refuses: a duplicate ExternalImportReference is 400 (409 by
 * setting); a customer line the sandbox cannot match is 400 with a warning, since the vendor would post it.
 */
function asVendorRefusal(e: unknown, ctx: RequestContext): unknown {
  if (!isRejection(e)) return e;
  if (e.kind === 'duplicate') {
    if ((ctx.settings?.v2Wire.duplicateStatus ?? 400) === 409) {
      warn(ctx, 'sandbox-invention', 'a duplicate answered 409 (setting v2Wire.duplicateStatus); the vendor documents no 409 on this endpoint');
      return e;
    }
    return new DomainRejection('invalid', e.message, e.details.field ? { field: e.details.field } : {});
  }
  if (e.details.unmatched) {
    warn(ctx, 'vendor-would-post', `${e.details.field ?? 'a customer line'}: the vendor tries to match and posts the line anyway, leaving a credit on the customer; the sandbox refuses an overpayment instead (setting paymentMatching.overpayment 'refuse')`);
    return new DomainRejection('invalid', e.message, { ...(e.details.field ? { field: e.details.field } : {}), ...(e.details.current ? { current: e.details.current } : {}) });
  }
  return e;
}

export const v2Operations: Operation[] = [
  operation({
    operationId: 'v2ListCustomers',
    face: 'v2',
    method: 'GET',
    path: '/v2/Customers',
    summary: 'Customer cards',
    tags: TAGS.customers,
    auth: 'agency',
    query: S.CustomersQuery,
    responses: { ...list('customers', S.CustomerDto), ...errors },
    handle: ({ query, request }, ctx) =>
      agencyRead(ctx, (world) => {
        const since = cutOffIn(ctx, query.lastChangedDateTimeOffsetGreaterThan, world.timeZone, 'lastChangedDateTimeOffsetGreaterThan');
        const createdSince = cutOffIn(ctx, query.customerCreatedDateTimeOffsetGreaterThan, world.timeZone, 'customerCreatedDateTimeOffsetGreaterThan');
        const inRange = numberRanges(query.customerNos);
        // Sandbox customers are made by the ERP user, never imported with a reference: the filter finds none.
        const reference = query.externalImportReference?.trim() || undefined;
        const rows = Object.values(world.customers)
          .filter((c) => inRange(c.number) && after(since, c.lastChanged) && after(createdSince, c.createdAt) && reference === undefined)
          .sort((a, b) => a.id - b.id);
        return page(rows.map((c) => customerDto(world, c)), query, request, ctx, namesOf(S.CustomerDto));
      }),
  }),
  operation({
    operationId: 'v2GetCustomer',
    face: 'v2',
    method: 'GET',
    path: '/v2/Customers/{id}',
    summary: 'A customer card',
    tags: TAGS.customers,
    auth: 'agency',
    params: S.CustomerIdParam,
    responses: { 200: { description: 'the customer', schema: S.CustomerDto }, ...errors, ...notFound },
    handle: ({ params }, ctx) =>
      agencyRead(ctx, (world) => {
        const customer = world.customers[String(params.id)];
        if (!customer) throw reject.notFound('customer', params.id, 'id');
        return json(S.CustomerDto, customerDto(world, customer));
      }),
  }),
  operation({
    operationId: 'v2CustomerLedgerOpenItems',
    face: 'v2',
    method: 'GET',
    path: '/v2/Customerledger/OpenItems',
    summary: 'Customer-ledger items open on a date (invoices with money owed, reminder charges)',
    tags: TAGS.ledger,
    auth: 'agency',
    query: S.OpenItemsQuery,
    responses: { ...list('open items', S.CustomerLedgerEntryDto), ...errors },
    handle: ({ query, request }, ctx) =>
      agencyRead(ctx, (world, integration) => {
        const customerIn = numberRanges(query.customerNos);
        const invoiceIn = numberRanges(query.invoiceNos);
        const createdSince = cutOffIn(ctx, query.createdDateTimeOffsetGreaterThan, world.timeZone, 'createdDateTimeOffsetGreaterThan');
        const since = cutOffIn(ctx, query.lastChangedDateTimeOffsetGreaterThan, world.timeZone, 'lastChangedDateTimeOffsetGreaterThan');
        const types = voucherTypesIn(query.voucherTypes);
        const references = textList(query.customMatchingReferences);
        const rows = openItems(world, query.date).filter(
          (item) =>
            customerIn(world.customers[String(item.line.customerId)]?.number) &&
            invoiceIn(item.invoice?.invoiceNo) &&
            after(createdSince, item.voucher.postedAt) &&
            after(since, ledgerItemLastChanged(item)) &&
            (!types || types.has(item.voucher.type)) &&
            (!references || references.includes(ledgerItemMatchingReference(item) ?? '')) &&
            (!query.onlyCreatedByCurrentIntegration || byIntegration(item.voucher, integration.id)),
        );
        return page(rows.map((item) => ledgerEntryDto(world, item)), query, request, ctx, namesOf(S.CustomerLedgerEntryDto));
      }),
  }),
  operation({
    operationId: 'v2ListOutgoingInvoices',
    face: 'v2',
    method: 'GET',
    path: '/v2/OutgoingInvoices',
    summary: 'Outgoing invoices and credit notes (no lines)',
    tags: TAGS.invoices,
    auth: 'agency',
    query: S.OutgoingInvoicesQuery,
    responses: { ...list('invoices', S.OutgoingInvoiceDto), ...errors },
    handle: ({ query, request }, ctx) =>
      agencyRead(ctx, (world, integration) => {
        const invoiceIn = numberRanges(query.invoiceNos);
        const customerIn = numberRanges(query.customerNos);
        const voucherIn = numberRanges(query.voucherNos);
        const ids = textList(query.invoiceIds)?.map((id) => id.toLowerCase());
        const balanceSince = cutOffIn(ctx, query.balanceLastChangedDateTimeOffsetGreaterThan, world.timeZone, 'balanceLastChangedDateTimeOffsetGreaterThan');
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
        return page(rows.map((inv) => outgoingInvoiceDto(world, inv)), query, request, ctx, namesOf(S.OutgoingInvoiceDto));
      }),
  }),
  operation({
    operationId: 'v2GetOutgoingInvoice',
    face: 'v2',
    method: 'GET',
    path: '/v2/OutgoingInvoices/{id}',
    summary: 'An outgoing invoice or credit note',
    tags: TAGS.invoices,
    auth: 'agency',
    params: S.OutgoingInvoiceIdParam,
    responses: { 200: { description: 'the invoice', schema: S.OutgoingInvoiceDto }, ...errors, ...notFound },
    handle: ({ params }, ctx) =>
      agencyRead(ctx, (world) => {
        const invoice = world.invoices[params.id];
        if (!invoice) throw reject.notFound('outgoing invoice', params.id, 'id');
        return json(S.OutgoingInvoiceDto, outgoingInvoiceDto(world, invoice));
      }),
  }),
  operation({
    operationId: 'v2PostBankJournal',
    face: 'v2',
    method: 'POST',
    path: '/v2/Vouchers/BankJournals',
    summary: 'Post a settlement as a bank voucher; a customer line with InvoiceNo, Cid or CustomMatchingReference is matched to that invoice',
    description:
      'AccountId is a GeneralLedgerAccountDto.Id or a CustomerDto.SubledgerAccountId. CurrencyAmount: positive debits, negative credits ' +
      '(a payment is a negative customer line and a positive bank line). Every line needs the keys PostingDate and VatId (VatId may be null). ' +
      'A repeated ExternalImportReference is refused (400; 409 by setting); ImportedVoucherNo is not unique unless a setting makes it so. ' +
      'A customer line is matched by InvoiceNo, then Cid, then CustomMatchingReference (an invoice with that reference and the opposite open amount); settings.paymentMatching changes the order\'s fall-back and the amounts. ' +
      'A line naming no invoice of that customer (no or unknown references: a prepayment), or a debit, is posted unmatched: an open item on the customer\'s ledger (GET /v2/Customerledger/OpenItems, InvoiceNo null). ' +
      'An overpayment settles the invoice and leaves the excess as a credit open item (Balance negative); setting paymentMatching.overpayment "refuse" brings back the old 400.',
    tags: TAGS.vouchers,
    auth: 'agency',
    write: true,
    body: S.BankVoucherPostDto,
    responses: { 201: { description: 'the posted voucher', schema: S.BankVoucherDto }, ...errors, ...writeErrors },
    handle: async ({ body }, ctx) => {
      try {
        return await agencyWrite(ctx, (c, integration) => {
          const voucher = postBankJournal(c, integration.id, bankJournalInput(c.world, body), { uniqueImportedVoucherNo: c.world.settings.v2Wire.uniqueImportedVoucherNo });
          return json(S.BankVoucherDto, bankVoucherDto(c.world, voucher, body), 201);
        });
      } catch (e) {
        throw asVendorRefusal(e, ctx);
      }
    },
  }),
  operation({
    operationId: 'v2PostManualJournal',
    face: 'v2',
    method: 'POST',
    path: '/v2/JournalEntryVouchers/ManualJournals',
    summary: 'Send costs, VAT or interest as a manual journal draft to the voucher reception, for the ERP user to approve',
    description:
      'Each line debits CurrencyAmount on DebitAccountId and credits it on CreditAccountId; a VatId splits the gross amount into net and VAT on approval. ' +
      'As at the vendor, the draft has no ExternalImportReference or ImportedVoucherNo (unknown fields are 400): a retry posts a second draft. ' +
      'settings.v2Wire.manualJournalImportReferences brings back the sandbox\'s old duplicate check on them.',
    tags: TAGS.vouchers,
    auth: 'agency',
    write: true,
    body: S.ManualJournalEntryVoucherPostDto,
    bodyFor: (settings) => (settings.v2Wire.manualJournalImportReferences ? S.ManualJournalEntryVoucherPostDtoWithReferences : undefined),
    responses: { 201: { description: 'the draft', schema: S.ManualJournalEntryVoucherDto }, ...errors, ...writeErrors },
    handle: async ({ body }, ctx) => {
      const sent = body as typeof body & { ExternalImportReference?: string | null; ImportedVoucherNo?: number | null };
      if (sent.ExternalImportReference || sent.ImportedVoucherNo)
        warn(ctx, 'sandbox-invention', 'ExternalImportReference/ImportedVoucherNo on a ManualJournals draft (setting v2Wire.manualJournalImportReferences): the vendor\'s DTO has neither and refuses them');
      try {
        return await agencyWrite(ctx, (c, integration) => {
          const draft = submitToVoucherReception(c, integration.id, manualJournalInput(c.world, sent));
          return json(S.ManualJournalEntryVoucherDto, manualJournalDto(c.world, draft, sent), 201);
        });
      } catch (e) {
        throw asVendorRefusal(e, ctx);
      }
    },
  }),
  operation({
    operationId: 'v2ListGeneralLedgerAccounts',
    face: 'v2',
    method: 'GET',
    path: '/v2/GeneralLedgerAccounts',
    summary: 'The chart of accounts; Id is the AccountId voucher lines use',
    tags: TAGS.setup,
    auth: 'agency',
    query: S.GeneralLedgerAccountsQuery,
    responses: { ...list('accounts', S.GeneralLedgerAccountDto), ...errors },
    handle: ({ query, request }, ctx) =>
      agencyRead(ctx, () => {
        const inRange = numberRanges(query.accountNos);
        return page(CHART_OF_ACCOUNTS.filter((a) => inRange(a.accountNo)).map(glAccountDto), query, request, ctx, namesOf(S.GeneralLedgerAccountDto));
      }),
  }),
  operation({
    operationId: 'v2ListVatCodes',
    face: 'v2',
    method: 'GET',
    path: '/v2/VatCodes',
    summary: 'VAT codes; Id is the VatId voucher lines use',
    tags: TAGS.setup,
    auth: 'agency',
    query: S.PagingQuery,
    responses: { ...list('VAT codes', S.VatCodeDto), ...errors },
    handle: ({ query, request }, ctx) => agencyRead(ctx, () => page(VAT_CODES.map(vatCodeDto), query, request, ctx, namesOf(S.VatCodeDto))),
  }),
  operation({
    operationId: 'v2GetBankJournal',
    face: 'v2',
    method: 'GET',
    path: '/v2/Vouchers/BankJournals/{id}',
    summary: 'A bank voucher this integration posted: the read-back after a timeout',
    description: 'As at the vendor, only vouchers the calling integration posted through POST /Vouchers/BankJournals are found; any other id is 404.',
    tags: TAGS.vouchers,
    auth: 'agency',
    params: S.VoucherIdParam,
    responses: { 200: { description: 'the voucher', schema: S.BankVoucherDto }, ...errors, ...notFound },
    handle: ({ params }, ctx) =>
      agencyRead(ctx, (world, integration) => {
        const voucher = voucherById(world, params.id);
        if (!voucher || voucher.type !== 'BankJournal' || voucher.actor.integrationId !== integration.id) throw reject.notFound('bank voucher', params.id, 'id');
        return json(S.BankVoucherDto, bankVoucherDto(world, voucher));
      }),
  }),
  operation({
    operationId: 'v2ListOutgoingInvoiceLines',
    face: 'v2',
    method: 'GET',
    path: '/v2/OutgoingInvoices/{id}/Lines',
    summary: "An outgoing invoice's (or credit note's) lines",
    tags: TAGS.invoices,
    auth: 'agency',
    params: S.OutgoingInvoiceIdParam,
    query: S.PagingQuery,
    responses: { ...list('invoice lines', S.OutgoingInvoiceLineDto), ...errors, ...notFound },
    handle: ({ params, query, request }, ctx) =>
      agencyRead(ctx, (world) => {
        const invoice = world.invoices[params.id];
        if (!invoice) throw reject.notFound('outgoing invoice', params.id, 'id');
        return page(outgoingInvoiceLineDtos(world, invoice), query, request, ctx, namesOf(S.OutgoingInvoiceLineDto));
      }),
  }),
  operation({
    operationId: 'v2CustomerBalances',
    face: 'v2',
    method: 'GET',
    path: '/v2/Customerledger/CustomerBalances',
    summary: 'Customer-ledger balance per customer as of a date (customers without ledger entries are not shown)',
    tags: TAGS.ledger,
    auth: 'agency',
    query: S.CustomerBalancesQuery,
    responses: { ...list('balances', S.CustomerBalanceDto), ...errors },
    handle: ({ query, request }, ctx) =>
      agencyRead(ctx, (world) => {
        // No contact groups exist in the sandbox, and every customer is in the one sub-ledger number series (1).
        const inGroups = query.contactGroupIds === undefined;
        const inSeries = numberRanges(query.subLedgerNumberSeriesIds)(1);
        const rows = inGroups && inSeries ? customerBalanceDtos(world, query.date, query.includeOnlyOpenItems ?? false) : [];
        return page(rows, query, request, ctx, namesOf(S.CustomerBalanceDto));
      }),
  }),
  operation({
    operationId: 'v2ClientIntegrationInformation',
    face: 'v2',
    method: 'GET',
    path: '/v2/ClientIntegrationInformation',
    summary: "The client and the integration's valid and invalid privileges",
    tags: TAGS.setup,
    auth: 'agency',
    responses: { 200: { description: 'the information', schema: S.ClientIntegrationInformationDto }, ...errors },
    handle: (_input, ctx) => agencyRead(ctx, (world, integration) => json(S.ClientIntegrationInformationDto, clientIntegrationInformationDto(world, integration))),
  }),
];
