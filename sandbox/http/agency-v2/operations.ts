/**
 * The v2 subset an agency needs (PascalCase, paging, ProblemDetails). Each operation: parse, one domain command
 * or query, map to the wire. Lists answer through `page` (bare array, 204 when empty, X-Pagination).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { operation, type Operation } from '../core/types.js';
import { agencyRead, agencyWrite, json } from '../agency/caller.js';
import { ApimFailure, ProblemDetails } from '../../../contracts/schemas/common.js';
import * as S from '../../../contracts/schemas/v2.js';
import { openItems } from '../../domain/queries/ledger.js';
import { invoicesInOrder } from '../../domain/world.js';
import { postBankJournal, submitToVoucherReception } from '../../domain/commands/settlement.js';
import { CHART_OF_ACCOUNTS, VAT_CODES } from '../../domain/chart-of-accounts.js';
import { reject } from '../../domain/errors.js';
import { toMillis } from '../../domain/time.js';
import { page } from './paging.js';
import { cutOff, numberRanges } from './filters.js';
import {
  bankJournalInput,
  bankVoucherDto,
  customerDto,
  glAccountDto,
  ledgerEntryDto,
  manualJournalDto,
  manualJournalInput,
  outgoingInvoiceDto,
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
  400: { description: 'Invalid request: `errors` names each field (e.g. PageSize over 20000)', schema: ProblemDetails },
  401: { description: 'Missing or invalid subscription key or access token (Azure API Management body)', schema: ApimFailure },
  403: { description: 'The integration lacks the privilege', schema: ProblemDetails },
  500: { description: 'Internal error', schema: ProblemDetails },
};
const notFound = { 404: { description: 'Unknown id', schema: ProblemDetails } };
const list = (what: string, item: TSchema) => ({
  200: { description: `${what}, one page (header X-Pagination: {"TotalCount","PageSize","CurrentPage","TotalPages","nextPageLink"}; no nextPageLink on the last page)`, schema: Type.Array(item) },
  204: { description: 'The page is empty (no body)' },
});
const writeErrors = {
  404: { description: 'A referenced invoice (InvoiceNo, Cid) does not exist', schema: ProblemDetails },
  409: { description: 'Duplicate ExternalImportReference / ImportedVoucherNo (title "Duplicate"), or a payment over the open amount', schema: ProblemDetails },
};

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
        const since = cutOff(query.lastChangedDateTimeOffsetGreaterThan, world.timeZone, 'lastChangedDateTimeOffsetGreaterThan');
        const inRange = numberRanges(query.customerNos);
        const rows = Object.values(world.customers)
          .filter((c) => inRange(c.number) && (since === undefined || toMillis(c.lastChanged) > since))
          .sort((a, b) => a.id - b.id);
        return page(rows.map((c) => customerDto(world, c)), query, request);
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
      agencyRead(ctx, (world) => {
        const customerIn = numberRanges(query.customerNos);
        const invoiceIn = numberRanges(query.invoiceNos);
        const rows = openItems(world, query.date).filter(
          (item) => customerIn(world.customers[String(item.line.customerId)]?.number) && invoiceIn(item.invoice?.invoiceNo),
        );
        return page(rows.map((item) => ledgerEntryDto(world, item)), query, request);
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
      agencyRead(ctx, (world) => {
        const invoiceIn = numberRanges(query.invoiceNos);
        const customerIn = numberRanges(query.customerNos);
        const rows = invoicesInOrder(world).filter(
          (inv) =>
            invoiceIn(inv.invoiceNo) &&
            customerIn(world.customers[String(inv.customerId)]?.number) &&
            (!query.onlyUnpaidInvoices || (inv.kind === 'invoice' && inv.openAmount !== 0)) &&
            (!query.fromDate || inv.invoiceDate >= query.fromDate) &&
            (!query.toDate || inv.invoiceDate <= query.toDate),
        );
        return page(rows.map((inv) => outgoingInvoiceDto(world, inv)), query, request);
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
    summary: 'Post a settlement as a bank voucher; a customer line with InvoiceNo or Cid is matched to that invoice',
    description:
      'AccountId is a GeneralLedgerAccountDto.Id or a CustomerDto.SubledgerAccountId. CurrencyAmount: positive debits, negative credits ' +
      '(a payment is a negative customer line and a positive bank line). A repeated ExternalImportReference or ImportedVoucherNo is refused (409).',
    tags: TAGS.vouchers,
    auth: 'agency',
    write: true,
    body: S.BankVoucherPostDto,
    responses: { 201: { description: 'the posted voucher', schema: S.BankVoucherDto }, ...errors, ...writeErrors },
    handle: ({ body }, ctx) =>
      agencyWrite(ctx, (c, integration) => {
        const voucher = postBankJournal(c, integration.id, bankJournalInput(c.world, body));
        return json(S.BankVoucherDto, bankVoucherDto(c.world, voucher, body), 201);
      }),
  }),
  operation({
    operationId: 'v2PostManualJournal',
    face: 'v2',
    method: 'POST',
    path: '/v2/JournalEntryVouchers/ManualJournals',
    summary: 'Send costs, VAT or interest as a manual journal draft to the voucher reception, for the ERP user to approve',
    description:
      'Each line debits CurrencyAmount on DebitAccountId and credits it on CreditAccountId; a VatId splits the gross amount into net and VAT on approval.',
    tags: TAGS.vouchers,
    auth: 'agency',
    write: true,
    body: S.ManualJournalEntryVoucherPostDto,
    responses: { 201: { description: 'the draft', schema: S.ManualJournalEntryVoucherDto }, ...errors, ...writeErrors },
    handle: ({ body }, ctx) =>
      agencyWrite(ctx, (c, integration) => {
        const draft = submitToVoucherReception(c, integration.id, manualJournalInput(c.world, body));
        return json(S.ManualJournalEntryVoucherDto, manualJournalDto(c.world, draft, body), 201);
      }),
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
        return page(CHART_OF_ACCOUNTS.filter((a) => inRange(a.accountNo)).map(glAccountDto), query, request);
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
    handle: ({ query, request }, ctx) => agencyRead(ctx, () => page(VAT_CODES.map(vatCodeDto), query, request)),
  }),
];
