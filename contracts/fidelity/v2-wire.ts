/** Fidelity rows for the v2 wire: errors, vouchers, filters, paging, timestamps and the portability warnings. */
import type { FidelityRow } from '../fidelity.js';

/** The vendor-generated v2 OpenAPI, as copied into public repositories (2025-04 and about 2026-09). */
const V2_2025 = 'stianwe/PowerOfficeGoV2 api/openapi.yaml (b9bc503, "API v2" APIM export, 2025-04)';
const V2_2026 = 'anders2606/crm docs/poweroffice-apiv2-demo.json ("API v2 DEMO" APIM export, about 2026-09)';

export const V2_WIRE_ROWS: FidelityRow[] = [
  {
    id: 'v2-problem-details-content-type',
    area: 'errors',
    vendor:
      'v2 errors are ProblemDetails declared as application/json (never problem+json); every 2xx is application/json too, i.e. a ' +
      'global [Produces("application/json")], which ASP.NET applies to ProblemDetails.',
    source: `${V2_2025}: every 400/404 "content": {"application/json": {"schema": ProblemDetails}}; ${V2_2026} the same`,
    confidence: 'inferred',
    sandboxDefault: 'Content-Type: application/json; charset=utf-8 on every v2 error',
  },
  {
    id: 'v2-problem-details-keys',
    area: 'errors',
    vendor:
      'ASP.NET Core ProblemDetails: type (RFC 9110 section URI), title, status, detail, traceId (W3C 00-trace-span-00); `errors` ' +
      '(field -> reasons) only on validation failures (ValidationProblemDetails, title "One or more validation errors occurred.").',
    source:
      `${V2_2025} components.schemas.ProblemDetails (Type, Title, Status, Detail, Instance; examples lowercase title/detail); ASP.NET ` +
      `Core ProblemDetailsDefaults and ValidationProblemDetails (learn.microsoft.com/aspnet/core/web-api/handle-errors)`,
    confidence: 'inferred',
    sandboxDefault:
      "exactly those keys; the sandbox's own detail (current state, allowed transitions, exception) goes to the X-Sandbox-Detail " +
      'header and the request journal, never the body',
  },
  {
    id: 'v2-sandbox-headers',
    area: 'errors',
    vendor:
      'Sends no X-Sandbox-Warning or X-Sandbox-Detail header (sandbox additions; a client that ignores unknown headers is unaffected).',
    source: '/work/shared/spec/vendor-fidelity.md "Sandbox inventions" (no vendor source names them); issue 12 items 3 and 7',
    confidence: 'fact',
    sandboxDefault:
      'X-Sandbox-Warning (one line per portability warning: code "message") and X-Sandbox-Detail (ASCII JSON) where they apply',
  },
  {
    id: 'v2-unknown-body-fields',
    area: 'v2',
    vendor:
      'Request DTOs are additionalProperties:false: an unknown body field is refused (400). Property names bind case-insensitively ' +
      '(System.Text.Json web defaults).',
    source:
      `${V2_2025}: BankVoucherPostDto, BankVoucherLinePostDto, ManualJournalEntryVoucherPostDto, ManualJournalEntryVoucherLinePostDto ` +
      `all "additionalProperties": false`,
    confidence: 'fact',
    sandboxDefault:
      '400 ValidationProblemDetails naming the field ("is not a known field") plus an unknown-body-field warning; every field of the ' +
      'vendor DTO is accepted (those the sandbox does not model are ignored)',
  },
  {
    id: 'v2-manual-journal-draft-fields',
    area: 'v2',
    vendor:
      'POST /JournalEntryVouchers/ManualJournals takes ManualJournalEntryVoucherPostDto {Comment, CurrencyCode*, VoucherDate*, ' +
      'Description, DepartmentId, ProjectId, LocationId, Dim1-3Id, ManualVoucherLines}: no ExternalImportReference, no ' +
      'ImportedVoucherNo, so no duplicate check on drafts (the directly posted ManualVoucherDto has both).',
    source: `${V2_2025} and ${V2_2026}: components.schemas.ManualJournalEntryVoucherPostDto`,
    confidence: 'fact',
    sandboxDefault: 'both fields refused (400 naming the field, unknown-body-field warning); a resend posts a second draft',
    setting: 'v2Wire.manualJournalImportReferences',
    alternative: 'true: the sandbox invention, both fields accepted and a repeat refused as a duplicate (sandbox-invention warning)',
  },
  {
    id: 'v2-manual-journal-draft-response',
    area: 'v2',
    vendor:
      'The draft answer (ManualJournalEntryVoucherDto) has Id, CurrencyCode, Description, VoucherDate, dimensions, ManualVoucherLines ' +
      '(with their Created/LastChangedDateTimeOffset) and Pages; Comment "will not be returned in API-calls".',
    source: `${V2_2025} components.schemas.ManualJournalEntryVoucherDto and ManualJournalEntryVoucherPostDto.Comment description`,
    confidence: 'fact',
    sandboxDefault:
      'Id, VoucherDate, CurrencyCode, Description, ManualVoucherLines; no Comment and no header timestamps (dimensions and Pages are ' +
      'not modelled)',
  },
  {
    id: 'v2-bank-journal-line-required-keys',
    area: 'v2',
    vendor:
      'BankVoucherLinePostDto requires the keys AccountId, PostingDate and VatId; VatId (and AccountId) are nullable, so VatId: null ' +
      'is valid.',
    source: `${V2_2025} and ${V2_2026}: BankVoucherLinePostDto "required": ["AccountId","PostingDate","VatId"]`,
    confidence: 'fact',
    sandboxDefault:
      'a line without the PostingDate or VatId key is 400 naming VoucherLines[i].PostingDate / .VatId; VatId null is accepted',
  },
  {
    id: 'v2-bank-journal-duplicate-status',
    area: 'v2',
    vendor:
      'ExternalImportReference on BankVoucherPostDto is a documented duplicate check ("only one instance of the reference can exist ' +
      'on the client"); the operation documents 201, 400, 404, 401, 403, 429 and default, no 409 (while 409 is used elsewhere in the ' +
      'same spec), so a duplicate is most likely 400.',
    source:
      `${V2_2025} paths./Vouchers/BankJournals.post.responses and BankVoucherPostDto.ExternalImportReference; ${V2_2026} uses 409 only ` +
      `on /Offboarding/RemoveIntegration and document folders`,
    confidence: 'inferred',
    sandboxDefault: '400 ValidationProblemDetails naming ExternalImportReference',
    setting: 'v2Wire.duplicateStatus',
    alternative: '409 (the old sandbox answer; with a sandbox-invention warning)',
  },
  {
    id: 'v2-bank-journal-imported-voucher-no',
    area: 'v2',
    vendor: 'ImportedVoucherNo is "the external voucher number … visible in various reports"; nothing says it is unique.',
    source: `${V2_2025} BankVoucherPostDto.ImportedVoucherNo description`,
    confidence: 'inferred',
    sandboxDefault: 'not unique: two bank journals may carry the same ImportedVoucherNo',
    setting: 'v2Wire.uniqueImportedVoucherNo',
    alternative: 'true: a repeat is refused like a duplicate ExternalImportReference (sandbox invention)',
  },
  {
    id: 'v2-bank-journal-unmatched-lines',
    area: 'v2',
    vendor:
      'A customer line with InvoiceNo: "the system will try to match"; Cid or CustomMatchingReference match "with opposite amounts". ' +
      'Nothing documents a refusal of an unknown InvoiceNo/Cid, an overpayment or a debit on the customer: the vendor posts them ' +
      '(unmatched, or leaving a credit).',
    source: `${V2_2025} BankVoucherLinePostDto.InvoiceNo, .Cid and .CustomMatchingReference descriptions; responses list no 409`,
    confidence: 'inferred',
    sandboxDefault:
      'every customer line is posted: one naming no invoice of its customer (no, or unknown, references: a prepayment) or a debit is ' +
      "an unmatched open item on the customer's ledger (OpenItems with InvoiceNo null, the references it was posted with kept for the " +
      'read-back) until its voucher is reversed; an overpayment settles the invoice and leaves the excess as a credit open item (rows ' +
      'payment-matching-*); GET /_sandbox/clients/{id}/ledger/items/{itemId}/explain says why an item is unmatched; a VatId with a ' +
      'rate above 0 is refused (the sandbox does not split VAT on bank journals), which is stricter than the vendor and breaks ' +
      'nothing',
  },
  {
    id: 'v2-filters-comma-string',
    area: 'v2',
    vendor:
      'Every list filter is one string, comma-separated ("10000-11000, 12000, 13000-"), no style/explode: ranges are documented for ' +
      'Customers customerNos, OpenItems customerNos, OutgoingInvoices invoiceNos/customerNos/voucherNos and GeneralLedgerAccounts ' +
      'accountNos. "If null or whitespace, the filter is not used."',
    source:
      `${V2_2025} paths./Customers, /Customerledger/OpenItems, /OutgoingInvoices, /GeneralLedgerAccounts get.parameters (schema {type: ` +
      `string}); ${V2_2026} the same style (accountNos)`,
    confidence: 'fact',
    sandboxDefault: 'each filter is one string (type: string in openapi.json) checked by a pattern; blank means no filter',
  },
  {
    id: 'v2-openitems-invoice-nos-plain',
    area: 'v2',
    vendor: 'OpenItems invoiceNos documents a plain comma list ("1337, 69420"), no ranges.',
    source: `${V2_2025} paths./Customerledger/OpenItems get.parameters invoiceNos (example "1337, 69420")`,
    confidence: 'inferred',
    sandboxDefault: 'a range there is 400 naming invoiceNos (what the vendor does with one is unknown)',
  },
  {
    id: 'v2-filter-repeated-key',
    area: 'v2',
    vendor:
      'A repeated query key bound to a string parameter gives ASP.NET the first value; the rest are dropped silently (a client ' +
      'generated with array/explode sends customerNos=1&customerNos=2 and filters on 1 only).',
    source:
      'ASP.NET Core model binding of simple types from a StringValues (learn.microsoft.com/aspnet/core/mvc/models/model-binding); the ' +
      'parameters are type string per ' +
      V2_2025,
    confidence: 'inferred',
    sandboxDefault: 'the first value binds; a repeated-query-key warning names the key and the dropped values',
  },
  {
    id: 'wire-unknown-query-parameter',
    area: 'v2',
    vendor:
      'ASP.NET ignores query parameters no action parameter names: a misspelt or unsupported filter silently returns everything. ' +
      'Applies to v1 too. The APIM subscription-key query parameter is accepted on v2.',
    source:
      `ASP.NET Core model binding (learn.microsoft.com/aspnet/core/mvc/models/model-binding); ${V2_2026} securitySchemes ` +
      `(subscription-key in query)`,
    confidence: 'inferred',
    sandboxDefault:
      'ignored, with an unknown-query-parameter warning (v1 and v2); a v2 parameter the vendor documents but the sandbox does not ' +
      'apply yet (contactGroupIds, departmentCodes, projectCodes, …) gets unsupported-query-parameter instead; subscription-key is ' +
      'not flagged',
  },
  {
    id: 'v2-timestamp-filter-plus',
    area: 'v2',
    vendor:
      'A ...DateTimeOffsetGreaterThan filter is a date-time string; a "+" sent unencoded decodes to a space, and ASP.NET\'s ' +
      'DateTimeOffset binding does not repair it: "2026-01-05T08:00:00 01:00" fails to bind and the [ApiController] answers 400 ("The ' +
      'value \'…\' is not valid."). A space between date and time (the vendor\'s own example "2021-09-25 08:03:00.123456+00:00") ' +
      'parses.',
    source:
      `${V2_2025} lastChangedDateTimeOffsetGreaterThan (format date-time, example "2021-09-25 08:03:00.123456+00:00"); .NET ` +
      `DateTimeOffset.Parse`,
    confidence: 'inferred',
    sandboxDefault: '400 naming the filter, with an unencoded-plus-in-timestamp warning',
    setting: 'v2Wire.repairPlusInTimestamps',
    alternative: 'true: the space is read as "+" (the old sandbox leniency), still with the warning',
  },
  {
    id: 'v2-timestamps-format',
    area: 'v2',
    vendor: '*DateTimeOffset fields come in UTC with 7 fractional digits, e.g. 2021-09-30T08:03:00.0000000+00:00.',
    source:
      `${V2_2025} examples (e.g. CreatedDateTimeOffset 2024-08-26T11:05:00.1234567Z); /work/shared/spec/vendor-fidelity.md ` +
      `"Timestamps"`,
    confidence: 'inferred',
    sandboxDefault: 'UTC with 7 fractional digits and +00:00',
    setting: 'v2Wire.timestamps',
    alternative: "'local': the client's zone offset without fractions (the old sandbox form)",
  },
  {
    id: 'v2-pagination-header',
    area: 'paging',
    vendor: 'X-Pagination carries nextPageLink; a client pages until it is absent. Whether it also carries counts is not shown anywhere.',
    source: 'grasp-labs/ds-provider-powerofficego-py-lib dataset/powerofficego.py (reads X-Pagination, stops when nextPageLink is absent)',
    confidence: 'fact',
    sandboxDefault: 'X-Pagination: {"nextPageLink": …} on a page with a next page, {} on the last',
    setting: 'v2Wire.pagination',
    alternative:
      "'extended': also TotalCount, PageSize, CurrentPage, TotalPages (unverified; every list answer then carries an " +
      'unverified-behaviour warning)',
  },
  {
    id: 'v2-post-retry',
    area: 'v2',
    vendor:
      'No idempotency key on ManualJournals drafts and ImportedVoucherNo is not unique: resending a POST after a timeout can post ' +
      "twice; only a bank journal's ExternalImportReference is checked.",
    source: `${V2_2025} ManualJournalEntryVoucherPostDto (no reference fields) and BankVoucherPostDto.ExternalImportReference`,
    confidence: 'inferred',
    sandboxDefault:
      'the resend is answered as the vendor would (a second draft, or a duplicate 400), with a post-retried-without-read-back warning ' +
      'when the same body was POSTed to the same path by the same integration with no GET in between',
  },
  {
    id: 'v2-customer-person-fields',
    area: 'v2',
    vendor:
      'CustomerDto carries IsPerson (default false), FirstName/LastName ("relevant and required if the customer is a person"), Name ' +
      'and OrganizationNumber (companies), NationalIdNumber, DateOfBirth ("relevant only if the customer is a person"), PhoneNumber, ' +
      'InvoiceEmailAddress, PaymentReminderEmailAddress, ReminderDeliveryType and NoticeOfDebtCollectionDeliveryType (PdfByEmail | ' +
      'Print, nullable; PdfByEmail "can only be used if the customer have an e-mail address registered (either eMailAddress or ' +
      'paymentReminderEmailAddress)"); every field nullable.',
    source: `${V2_2025} components.schemas.CustomerDto, ReminderDeliveryType, NoticeOfDebtCollectionDeliveryType`,
    confidence: 'fact',
    sandboxDefault:
      'served on GET /v2/Customers and /v2/Customers/{id}; a person\'s Name is "FirstName LastName" (inferred: the vendor\'s GUI ' +
      'shows persons by full name)',
  },
  {
    id: 'v2-customer-national-id-hidden',
    area: 'v2',
    vendor:
      "CustomerDto.NationalIdNumber: \"For privacy reasons queries returns 'hidden' if this field has a value and null if empty. " +
      'Access to retrieving the value must be granted by the api team by a special privilege."',
    source: `${V2_2025} components.schemas.CustomerDto.properties.NationalIdNumber.description`,
    confidence: 'fact',
    sandboxDefault: "'hidden' when the card has a number, null when not",
    setting: 'v2Wire.nationalIdNumber',
    alternative: "'value': the number itself, as for an integration granted the privilege",
  },
  {
    id: 'customer-person-validation',
    area: 'domain',
    vendor:
      'The national id number "is validated for the correct syntax when set"; a person needs first and last name; the organisation ' +
      'number is for companies, date of birth for persons.',
    source:
      `${V2_2025} CustomerDto/CustomerPostDto descriptions (NationalIdNumber, FirstName, LastName, OrganizationNumber, DateOfBirth); ` +
      `Skatteetaten's fødselsnummer rules (two MOD11 check digits K1 and K2, D-number day + 40)`,
    confidence: 'inferred',
    sandboxDefault:
      'a fødselsnummer or D-number (also test numbers with month + 40 or + 80) with both check digits and a real date; dateOfBirth is ' +
      'filled from it and must agree; an organizationNumber on a person, or person fields on a company, are refused naming the field',
  },
  {
    id: 'v2-bank-voucher-read-back',
    area: 'v2',
    vendor:
      'GET /Vouchers/BankJournals/{id} answers a BankVoucherDto; "a response will only be produced for vouchers the integration have ' +
      'created using POST operations with the bank voucher endpoint"; 404 ProblemDetails otherwise.',
    source: `${V2_2025} paths./Vouchers/BankJournals/{id}.get`,
    confidence: 'fact',
    sandboxDefault:
      "the calling integration's own bank vouchers, as the POST answered them (a line's PostingDate read back is the voucher date); " +
      'any other id is 404',
  },
  {
    id: 'v2-customer-balances',
    area: 'v2',
    vendor:
      'GET /Customerledger/CustomerBalances?date= (inclusive, required): the sum of accounts receivable per customer; "Customers ' +
      'without any ledger entries are not shown"; includeOnlyOpenItems true leaves out zero balances; contactGroupIds and ' +
      'subLedgerNumberSeriesIds filter.',
    source: `${V2_2025} paths./Customerledger/CustomerBalances.get and CustomerBalanceDto`,
    confidence: 'inferred',
    sandboxDefault:
      'customers with ledger lines on or before the date, zero balances included unless includeOnlyOpenItems; no contact groups exist ' +
      '(any contactGroupIds matches nothing) and every customer is in sub-ledger series 1',
  },
  {
    id: 'v2-client-integration-information',
    area: 'v2',
    vendor:
      'GET /ClientIntegrationInformation: ClientId, ClientName, ActiveClientSubscriptions, ValidPrivileges and InvalidPrivileges (by ' +
      "the client's active Go subscriptions); the privilege names are the auth roles in the operation summaries (Customer, " +
      'CustomerLedger, OutgoingInvoice, BankVoucher_Full, JournalEntryVoucher_Full, ...).',
    source: `${V2_2025} ClientIntegrationInformationDto; "(Auth roles: ...)" in each operation summary`,
    confidence: 'inferred',
    sandboxDefault:
      "ValidPrivileges: the read roles the sandbox's v2 surface uses if the integration can read, BankVoucher_Full and " +
      'JournalEntryVoucher_Full if it can write; the rest InvalidPrivileges; subscriptions Accounting and Invoicing (unverified)',
  },
];
