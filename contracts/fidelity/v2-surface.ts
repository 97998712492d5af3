/** Fidelity rows for the rest of the surface agencies use: reversal, journal entry vouchers, statements, v1 invoices. */
import type { FidelityRow } from '../fidelity.js';

const V2_2025 = 'stianwe/PowerOfficeGoV2 api/openapi.yaml (b9bc503, "API v2" APIM export, 2025-04)';
const V1_DOCS = 'PowerOffice/go-api-documentation (576c15bd) docs/api/reference/rest';

export const V2_SURFACE_ROWS: FidelityRow[] = [
  {
    id: 'v2-reverse-voucher-own-only',
    area: 'v2',
    vendor:
      'POST /Vouchers/Reverse/{id} "Can only be used for vouchers the integration created using the POST /voucher endpoints"; Go then ' +
      "creates a reversal voucher that nullifies the original transactions, and the original's invoice number and " +
      'ExternalImportReference may be reused on a corrected voucher.',
    source: `${V2_2025} paths./Vouchers/Reverse/{id}.post (operationId PostVoucherReversal, description)`,
    confidence: 'fact',
    sandboxDefault:
      'a voucher this integration posted (POST /Vouchers/BankJournals) is reversed; any other id is 404 ProblemDetails; its ' +
      'ExternalImportReference and ImportedVoucherNo are free again',
  },
  {
    id: 'v2-reverse-voucher-answer',
    area: 'v2',
    vendor:
      'Documents 202 "Accepted" and 200 "The voucher reverse was successfully", both without a body; 400 and 404 ProblemDetails; no ' +
      '409. What a second reversal of the same voucher answers is not documented.',
    source: `${V2_2025} paths./Vouchers/Reverse/{id}.post.responses`,
    confidence: 'inferred',
    sandboxDefault:
      '202 with no body (the first documented success); a second reversal, or reversing a reversal voucher, is 400 naming id',
  },
  {
    id: 'v2-reverse-voucher-ledger',
    area: 'domain',
    vendor:
      "The reversal voucher negates every line of the original. Its date is not a parameter; the sandbox assumes the original's date " +
      '(so the voucher is nullified as of the day it took effect). Matched payments come off their invoices, which are open again.',
    source:
      `${V2_2025} PostVoucherReversal description ("nullify the original transactions"); the date is an assumption (no public ` +
      `source)`,
    confidence: 'unverified',
    sandboxDefault:
      'ReversalVoucher dated as the original; each payment match it made is reversed (a negative paymentReversal match in the same ' +
      'ledger match), the invoice is owed again and re-enters the reminder flow; an unmatched customer line stops being an open item; ' +
      'a payment a later invoice had matched by CustomMatchingReference comes off that invoice too (its reversal dated no earlier ' +
      'than that match)',
    setting: 'paymentMatching.reversalDate',
    alternative:
      "'today': the ReversalVoucher and the paymentReversal matches are dated the day of the reversal, so OpenItems, CustomerBalances " +
      'and the Statement as of the days between still show the payment (and an unmatched line open)',
  },
  {
    id: 'v2-journal-entry-vouchers-list',
    area: 'v2',
    vendor:
      "GET /JournalEntryVouchers lists the client's journal entry vouchers as lightweight JournalEntryVoucherListItem {Id, " +
      'VoucherType, CreatedDateTimeOffset, LastChangedDateTimeOffset, InApprovalWorkflow, IsPosted, IsCreatedByCurrentIntegration, ' +
      'OriginatedFromEhf}, filtered by createdDateTimeOffsetGreaterThan, lastChangedDateTimeOffsetGreaterThan, inApprovalWorkflow and ' +
      "isPosted; the details come from the endpoint of the voucher's type.",
    source: `${V2_2025} paths./JournalEntryVouchers.get and components.schemas.JournalEntryVoucherListItem`,
    confidence: 'fact',
    sandboxDefault:
      'every draft sent to the voucher reception (by any integration; IsCreatedByCurrentIntegration tells which), waiting or posted; ' +
      'rejected and deleted drafts are gone; no approval workflow (InApprovalWorkflow false); LastChanged moves when a page is ' +
      'attached or the draft is posted',
  },
  {
    id: 'v2-journal-entry-voucher-access',
    area: 'v2',
    vendor:
      'GET /JournalEntryVouchers/ManualJournals/{id} and DELETE /JournalEntryVouchers/{id}: "The integration only has access to ' +
      'vouchers that it has created or is the current approver of"; delete "can only be done if the voucher is unposted and not in an ' +
      'approval workflow state": 200 without a body, 404, 409 "Voucher with id = … is already posted." (title "Object conflict").',
    source: `${V2_2025} paths./JournalEntryVouchers/ManualJournals/{id}.get (GetManualJournalById) and /JournalEntryVouchers/{id}.delete`,
    confidence: 'fact',
    sandboxDefault:
      "only the calling integration's drafts (others 404); a posted draft is still readable; delete answers 200 with no body and " +
      'frees any import references; a posted draft is 409',
  },
  {
    id: 'v2-manual-journal-draft-read-back-lines',
    area: 'v2',
    vendor: 'The read-back ManualJournalEntryVoucherDto carries ManualVoucherLines as debit/credit pairs, as posted.',
    source:
      `${V2_2025} components.schemas.ManualJournalEntryVoucherLineDto (DebitAccountId, CreditAccountId, DebitVatId, CreditVatId, ` +
      `CurrencyAmount)`,
    confidence: 'inferred',
    sandboxDefault:
      "pairs re-formed from the reception's one-sided lines (a debit followed by its equal credit with the same description is one " +
      'line); PostingDate is the voucher date. Two one-sided lines of equal amount and description read back as one pair (the same ' +
      'booking)',
  },
  {
    id: 'v2-voucher-pages-upload',
    area: 'v2',
    vendor:
      'POST /JournalEntryVouchers/{id}/VoucherPages takes multipart/form-data with one binary part `file` ("A FormFile") and answers ' +
      "201 without a body; 400, 409 for a posted voucher or one in approval at another user; the page shows in the draft's Pages as " +
      'VoucherPage {Id (int64), VoucherId, CreatedDateTimeOffset}. Which file types it accepts is not documented.',
    source:
      `${V2_2025} paths./JournalEntryVouchers/{id}/VoucherPages.post, ` +
      `components.schemas._JournalEntryVouchers__id__VoucherPages_post_request and VoucherPage`,
    confidence: 'inferred',
    sandboxDefault:
      'a PDF, PNG, JPEG or TIFF recognised by its bytes (anything else, or no `file` part, is 400 naming file); the sandbox keeps the ' +
      "page's name, type, size and SHA-256, not its bytes; page ids count from 11001 per client",
  },
  {
    id: 'v2-customer-ledger-statement',
    area: 'v2',
    vendor:
      'GET /Customerledger/Statement: "all customer sub-ledger transactions between two dates (inclusive)" by posted date; fromDate ' +
      'and toDate required; "If date is less then the current date (today); the balance displayed on all entries will be the balance ' +
      'the entry was on that date"; filters contactGroupIds, createdDateTimeOffsetGreaterThan, customerNos, customMatchingReferences, ' +
      'departmentCodes, externalNos, includeSubProject, invoiceNos, lastChangedDateTimeOffsetGreaterThan, onlyBalancesLessThanAmount ' +
      '(absolute values), onlyCreatedByCurrentIntegration, projectCodes, subLedgerNumberSeriesIds, voucherTypes; answers ' +
      'CustomerLedgerEntryDto[] (204 when empty).',
    source: `${V2_2025} paths./Customerledger/Statement.get`,
    confidence: 'fact',
    sandboxDefault:
      'every 1500 line of a customer posted in the period, in voucher order, Balance as of min(toDate, today): an invoice less its ' +
      'matches; a matched payment, credit note or write-off 0; a reminder charge or unmatched line its amount until reversed; a ' +
      'reversed voucher and its reversal 0. Department, project, external-number filters are not modelled (ignored with a warning)',
  },
  {
    id: 'v1-outgoing-invoice-collection-status',
    area: 'v1',
    vendor:
      'GET OutgoingInvoice/List (OData) and OutgoingInvoice/{id} answer the v1 envelope with, per invoice, ' +
      'invoiceDebtCollectionStatus (DebtCollectionStatus), debtCollectionCaseStatus (DebtCollectionCaseStatus) and ' +
      'debtCollectionCode, besides status (OutgoingInvoiceStatus: Draft 0, Approved 1, Sent 2, Paid 3, Archived 4), amounts, balance, ' +
      'dates and (on {id}) outgoingInvoiceLines (lineType VoucherLineType, Normal 0).',
    source:
      `${V1_DOCS}/route_get_outgoinginvoice_list_.md, route_get_outgoinginvoice__id__.md, type_outgoinginvoicestatus.md, ` +
      `type_voucherlinetype.md`,
    confidence: 'fact',
    sandboxDefault:
      'every documented field; those the sandbox does not keep (orders, delivery, dimensions, references, branding) are null; enums ' +
      'as numbers unless enumFormat is names; an unknown id is HTTP 200 success false',
  },
  {
    id: 'v1-outgoing-invoice-status-choice',
    area: 'v1',
    vendor:
      'Which OutgoingInvoiceStatus a posted invoice shows is documented only by name ("Sent: delivered to the customer", "Paid: paid ' +
      'fully by the customer"); a written-off or credited invoice is not described.',
    source: `${V1_DOCS}/type_outgoinginvoicestatus.md`,
    confidence: 'unverified',
    sandboxDefault:
      'Sent while money is owed, and for credit notes; Paid once payments and credit notes cover it; Sent again after a write-off (it ' +
      'was not paid). paymentTerms is the days from invoice date to due date; sentDate and invoiceDeliveryDate the posting day (null ' +
      'for an imported invoice)',
  },
  {
    id: 'v2-response-nullability',
    area: 'v2',
    vendor:
      'Almost every response field is nullable: true (directly, or through a nullable enum or object it $refs); only ids, amounts, ' +
      'voucher numbers and dates, and the *DateTimeOffset stamps are not. Newtonsoft/System.Text.Json write a null rather than leave ' +
      'a key out.',
    source: `${V2_2025} components.schemas.<Dto>.properties[*].nullable, per DTO in contracts/vendor/v2-fields.json "nullable"`,
    confidence: 'fact',
    sandboxDefault:
      "each served v2 DTO declares exactly the vendor's nullable fields (test/contracts/vendor-fields.test.ts fails on a difference) " +
      'and serves every key, null where there is no value; the sandbox still fills the values it has',
  },
  {
    id: 'v2-request-nullability',
    area: 'v2',
    vendor:
      'The request DTOs mark most fields nullable: true: on BankVoucherPostDto everything but VoucherDate (CurrencyCode, Description, ' +
      'ExternalImportReference, ImportedVoucherNo, SaftBatchId, SaftSourceId, VoucherLines); on BankVoucherLinePostDto everything but ' +
      'PostingDate and CurrencyAmount (AccountId and VatId included); on ManualJournalEntryVoucherPostDto everything (VoucherDate and ' +
      'ManualVoucherLines included); on its lines everything but CurrencyAmount, Accrual and AgricultureDetails. What the vendor ' +
      'answers to a null where it needs a value (a line without an account) is not documented.',
    source: `${V2_2025} components.schemas.<PostDto>.properties[*].nullable, per DTO in contracts/vendor/v2-fields.json "nullable"`,
    confidence: 'fact',
    sandboxDefault:
      "each accepted v2 request body takes null where the vendor's DTO does (test/contracts/vendor-fields.test.ts; Accrual and " +
      'AgricultureDetails are ignored whatever they hold); a null CurrencyCode means NOK, a null optional field is absent; a null the ' +
      "sandbox cannot book (a bank line's AccountId, a draft's VoucherDate) is a 400 ProblemDetails naming the field, as its absence " +
      'would be. VoucherLines and ManualVoucherLines refuse null in the request validation (also a 400 naming the field; the lines ' +
      'stay a plain array for the case-insensitive binding and per-line error names). A null in a field the vendor does not mark ' +
      "nullable (VoucherDate of a bank journal, PostingDate, CurrencyAmount) is a 400 from the request's validation",
  },
];
