/** Fidelity rows for incremental polling on v2: the ...GreaterThan cut-offs, list filters, Fields and OrderBy. */
import type { FidelityRow } from '../fidelity.js';
import { V2_2025, V2_2026 } from './sources.js';

const SPECS = `${V2_2025}; ${V2_2026}`;

export const V2_POLLING_ROWS: FidelityRow[] = [
  {
    id: 'v2-filter-balance-last-changed',
    area: 'v2',
    vendor:
      'GET /OutgoingInvoices balanceLastChangedDateTimeOffsetGreaterThan: "last changed timestamp in balance (remaining amount to be ' +
      'paid) greater than the provided timestamp … a lightweight version of retrieving payment states … Timestamp not inclusive."',
    source: `${SPECS} (OutgoingInvoices GET parameters)`,
    confidence: 'fact',
    sandboxDefault:
      'exclusive cut-off on BalanceLastChangedDateTimeOffset, which is the posting time and then the sandbox time of each match that ' +
      'moves the balance (payment, credit note, write-off, their reversals); a reminder or collection step does not move it',
  },
  {
    id: 'v2-filter-sent',
    area: 'v2',
    vendor:
      'GET /OutgoingInvoices sentDateTimeOffsetGreaterThan: "The Sent timestamp of when the invoice was generated and sent from Go … ' +
      'only set on the invoices generated in Go, and blank if invoices was imported (using a file or the api) … Timestamp not ' +
      'inclusive."',
    source: `${SPECS} (OutgoingInvoices GET parameters)`,
    confidence: 'fact',
    sandboxDefault:
      'SentDateTimeOffset is the posting time of an invoice made in Go and null for an imported one; the filter is exclusive and ' +
      'never returns imported invoices',
  },
  {
    id: 'v2-filter-last-changed-created',
    area: 'v2',
    vendor:
      'lastChangedDateTimeOffsetGreaterThan on GET /Customers and /Customerledger/OpenItems; customerCreatedDateTimeOffsetGreaterThan ' +
      'on /Customers; createdDateTimeOffsetGreaterThan on OpenItems; all exclusive DateTimeOffsets.',
    source: `${SPECS} (Customers and Customerledger/OpenItems GET parameters)`,
    confidence: 'fact',
    sandboxDefault:
      "exclusive cut-offs on the DTO's own timestamps, written from the client's sandbox clock: a customer's LastChanged moves with " +
      "each card change; an open item's with its posting and every change of its invoice (a match, a collection step)",
  },
  {
    id: 'v2-open-item-last-changed',
    area: 'v2',
    vendor: "When an open item's LastChangedDateTimeOffset moves is not documented.",
    source: `${SPECS} (CustomerLedgerEntryDto.LastChangedDateTimeOffset has no description)`,
    confidence: 'inferred',
    sandboxDefault:
      "the later of the line's posting and its invoice's last change, so a poller on lastChangedDateTimeOffsetGreaterThan sees " +
      'payments and collection steps on the item',
  },
  {
    id: 'v2-filter-lists',
    area: 'v2',
    vendor:
      'invoiceIds ("Separate by comma"), voucherNos (numbers and ranges, "1-5, 7, 9-") on /OutgoingInvoices; voucherTypes on ' +
      'OpenItems; customMatchingReferences on both; externalImportReference on /Customers. Blank means the filter is not used.',
    source: `${SPECS}`,
    confidence: 'fact',
    sandboxDefault:
      "applied as documented; ids any case; voucherTypes by the vendor's enum names in any case, an unknown name is 400 naming " +
      'voucherTypes (inferred: enum binding). customMatchingReferences finds invoices made with a matching reference (control API ' +
      "customMatchingReference) and ledger lines a bank journal posted with one (and the invoice's own line); no sandbox customer has " +
      'an ExternalImportReference yet, so a non-blank list of those finds none',
  },
  {
    id: 'v2-filter-created-by-integration',
    area: 'v2',
    vendor:
      'onlyCreatedByCurrentIntegration: "invoices are considered created by an integration only if they are posted with the ' +
      'OutgoingInvoiceVoucher endpoint, or if the invoice was sent using the SalesOrders endpoint"; on OpenItems, the items the ' +
      'integration posted.',
    source: `${SPECS} (OutgoingInvoices and Customerledger/OpenItems GET parameters)`,
    confidence: 'inferred',
    sandboxDefault:
      'items whose voucher this integration posted with its token; the sandbox has neither invoice endpoint, so on /OutgoingInvoices ' +
      'it finds none',
  },
  {
    id: 'v2-resource-parameters-fields-orderby',
    area: 'paging',
    vendor:
      'ResourceParameters (flattened in the query): Fields (data shaping: only the chosen properties), OrderBy, PageNumber, PageSize ' +
      '(default 5000, MaxPageSize 20000). Names bind case-insensitively (ASP.NET).',
    source: `${SPECS} (ResourceParameters schema); vendor-fidelity.md "Paging"`,
    confidence: 'inferred',
    sandboxDefault:
      'Fields: comma-separated DTO property names in any case, each item carries only those; OrderBy: "Field" or "Field desc", ' +
      'several comma-separated, sorted before paging (nulls first, stable); an unknown name is 400 naming Fields or OrderBy (the ' +
      'exact vendor message is unverified)',
  },
];
