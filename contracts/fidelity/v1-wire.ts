/**
 * Fidelity rows for the v1 wire (issue 12 items 3-5): the failure envelope, exception names, enums, and the smaller
 * v1 semantics, each with the setting that switches it where one exists.
 */
import type { FidelityRow } from '../fidelity.js';

const DOCS = 'PowerOffice/go-api-documentation';

export const V1_WIRE_ROWS: FidelityRow[] = [
  {
    id: 'v1-business-failure-200',
    area: 'v1',
    vendor:
      'A well-formed v1 request that business logic refuses (validation, unknown id, wrong state, duplicate) is answered HTTP 200 ' +
      'with {success: false, validation: {...}}.',
    source:
      `${DOCS} docs/api/rest/apicalls.md ("All well formed request should return HTTP 200 OK"), docs/api/rest/examples.md (a failed ` +
      `delete, HTTP/1.1 200 OK); PowerOffice/go-api issue #2 (a live api-demo answer)`,
    confidence: 'fact',
    sandboxDefault: 'HTTP 200 with success false for every business failure, including an unknown id and a malformed id or body',
    setting: 'v1ErrorStatuses',
    alternative:
      "'http': the sandbox's older statuses (400 invalid, 404 unknown id, 409 wrong state or duplicate, 403 refused by state) with " +
      'the full validation object',
  },
  {
    id: 'v1-kept-statuses',
    area: 'v1',
    vendor:
      '401 for a bad or expired token, 403 for a missing privilege or module subscription, 429 over the rate limit; no source shows ' +
      '404 or 409 on v1.',
    source:
      `${DOCS} docs/api/common/limitations.md (403, 429), docs/api/common/knownissues.md (403); guilty-as/poweroffice ` +
      `src/Services/PowerofficeService.php (401); changelog 2.15.0 (AuthorizationApiException)`,
    confidence: 'fact',
    sandboxDefault:
      '401 (ASP.NET {Message}), 403 in the v1 envelope for a missing DebtCollection / DebtCollection_Full privilege (exception ' +
      '"Authorization", inferred), 429 (APIM body); an unknown route keeps 404 and injected faults their status',
  },
  {
    id: 'v1-null-keys-omitted',
    area: 'v1',
    vendor:
      'Properties whose value is null are left out of v1 answers: live failures carry only errorLogReference, summary and exception ' +
      'of ApiValidationResult {errorLogReference, summary, exception, exceptionDetails, fields, batchItemErrors}.',
    source:
      `${DOCS} docs/api/rest/filtering.md ("All properties with value (not NULL) will always be returned"), openapi/swagger.json ` +
      `f1f97fe4 (ApiValidationResult); PowerOffice/go-api issue #2`,
    confidence: 'fact',
    sandboxDefault:
      'validation has errorLogReference (the request id), summary and exception only; the field, current state and allowed states go ' +
      'to the X-Sandbox-Detail header and the request journal entry (detail)',
    setting: 'v1ErrorStatuses',
    alternative: '\'http\': all six keys, with exceptionDetails "current state: …; allowed from: …" and fields {field: reason}',
  },
  {
    id: 'v1-sandbox-detail-header',
    area: 'v1',
    vendor: 'The vendor sends no detail beyond the validation object (no field names in the live answer to a missing case code).',
    source: "PowerOffice/go-api issue #2 (a live answer naming no field); the header is the sandbox's own, where no client reads it",
    confidence: 'fact',
    sandboxDefault:
      'X-Sandbox-Detail: JSON, non-ASCII escaped: {httpStatus, kind, exception, fields?, currentState?, allowed?, privilege?}; the ' +
      'same object as detail on the journal entry; the SDK exposes it as ApiError.sandboxDetail',
  },
  {
    id: 'v1-exception-names',
    area: 'v1',
    vendor:
      'exception is the .NET exception type without "Exception": "Go" for a business rule (missing case code), "ArgumentNull" (a ' +
      'request argument that did not bind), "OData" for a bad $filter, "ApiUniqueConstraint" for a duplicate.',
    source:
      `PowerOffice/go-api issue #2 ("Go", "ArgumentNull"); ` +
      `PowerOffice/go-api Documentation/Details/ApiCalls.md ("OData", history); ${DOCS} ` +
      `docs/api/common/changelog.md 2.16.0 ("ApiUniqueConstraint exception") and 2.11.0 (ApiUniqueConstraintException)`,
    confidence: 'inferred',
    sandboxDefault:
      'Go for validation, unknown ids and wrong states (a missing or empty case code with the vendor\'s summary "Debt collection case ' +
      'code must be provided."); ArgumentNull for a missing or unparseable body or a missing action argument (fromDateTime, id); ' +
      "OData for $filter/$orderby/$skip/$top; ApiUniqueConstraint for a duplicate case code (the uniqueness itself is the sandbox's)",
  },
  {
    id: 'v1-no-new-cases-security',
    area: 'v1',
    vendor:
      'When IsActiveDebtCollection is false, GetAvailableInvoices and Save (create case) "will throw a SecurityException"; how it ' +
      'reaches the wire is not shown.',
    source:
      `${DOCS} docs/api/reference/rest/route_get_debtcollection_isactivedebtcollection_.md and the SDK page ` +
      `GoApi.DebtCollection.DebtCollectionService.IsActiveDebtCollection`,
    confidence: 'inferred',
    sandboxDefault:
      'like every exception the API catches: HTTP 200, success false, exception "Security" (AvailableInvoices, POST /DebtCollection, ' +
      'AddInvoicesToCase)',
    setting: 'v1ErrorStatuses',
    alternative: "'http': 403",
  },
  {
    id: 'v1-enums-numbers',
    area: 'v1',
    vendor:
      'v1 enums are integers: DebtCollectionCaseStatus Active 0, Closed 10; VoucherType OutgoingInvoice 4, OutgoingCreditNote 5, ' +
      'IncomingOcrGiro 9, ManualJournal 11, BankJournal 19, OutgoingPaymentReminder 71, OutgoingNoticeOfDebtCollection 72, ' +
      'OutgoingPaymentDemand 73, ReversalVoucher 99; DebtCollectionStatus None 0 … Rejected 10. Only the older swagger (GoApi ' +
      '3.0.0.0) gave names; no live answer with an enum was found.',
    source:
      `${DOCS} docs/api/reference/rest/type_debtcollectioncasestatus.md, type_vouchertype.md, type_debtcollectionstatus.md (576c15bd, ` +
      `"number (Enum)"); openapi/swagger.json f1f97fe4 (GoApi 3.0.1.0: integer enums) versus 2810435a (3.0.0.0: names); ` +
      `spysystem/poweroffice-go poweroffice-go.yaml (voucherType integer)`,
    confidence: 'inferred',
    sandboxDefault: 'numbers for status, voucherType and lastReminderVoucherType; OData compares against the wire form',
    setting: 'enumFormat',
    alternative: "'names' (Active, Closed, BankJournal, …)",
  },
  {
    id: 'v1-imported-voucher-no-number',
    area: 'v1',
    vendor: 'DebtCollectionInvoiceMatch.importedVoucherNo is a number (MatchedItems and GetAllMatchedItems signatures).',
    source:
      `${DOCS} docs/api/reference/rest/route_get_debtcollection_matcheditems__debtcollectioninvoiceid__.md and ` +
      `route_get_debtcollection_getallmatcheditems_fromdatetime__fromdatetime_.md (576c15bd)`,
    confidence: 'fact',
    sandboxDefault: 'a number when the voucher was posted with a whole-number ImportedVoucherNo (v2 takes it as sent), null otherwise',
  },
  {
    id: 'v1-update-status-without-flag',
    area: 'v1',
    vendor:
      'UpdateStatus "will by default set the status of a debt collection case to Active, but can also close or reject cases by ' +
      'setting flags"; only isCaseClosed is documented. The vendor\'s 2025 demo sends StatusText = "Closed" with no flag and prints ' +
      '"Updated case status to Closed" without reading the answer.',
    source:
      `${DOCS} docs/api/reference/rest/route_post_debtcollection_updatestatus_.md and the SDK page DebtCollectionService.UpdateStatus; ` +
      `PowerOffice/go-api Examples/DebtCollectionDemo/Program.cs (81b28d2)`,
    confidence: 'inferred',
    sandboxDefault:
      'without isCaseClosed the case is (again) Active, whatever statusText says: the documented contract; the demo does not show the ' +
      'server closing it',
    setting: 'v1StatusTextCloses',
    alternative: 'true: a statusText "Closed" (any case) without the flag closes the case, as the demo reads',
  },
  {
    id: 'v1-merge-cases-id',
    area: 'v1',
    vendor:
      'MergeCases "merges a collection of debt collection cases by their ids to a single debt collection case with a given code"; ' +
      'which id the merged case has is not documented. The vendor demo names its request arguments (targetCaseId, sourceCaseIds).',
    source:
      `${DOCS} docs/api/reference/rest/route_post_debtcollection_mergecases_.md; PowerOffice/go-api ` +
      `Examples/DebtCollectionDemo/Program.cs (step 12)`,
    confidence: 'unverified',
    sandboxDefault:
      'the first case in caseIds survives with its id (the demo\'s "target"), takes caseNo and every invoice; the others are deleted',
    setting: 'v1MergeCasesId',
    alternative: "'new': the merged case gets a new id; every merged case's id is gone",
  },
  {
    id: 'v1-delete-body',
    area: 'v1',
    vendor:
      'DELETE /DebtCollection/{id} answers the envelope with a Success object as data: {"data": {"data", "success", "validation", ' +
      '"count"}, "success"}.',
    source: `${DOCS} docs/api/reference/rest/route_delete_debtcollection__id__.md (576c15bd)`,
    confidence: 'inferred',
    sandboxDefault: '{"data": {"success": true}, "success": true} (the inner Success with its null keys left out)',
    setting: 'v1DeleteBody',
    alternative: '\'boolean\': {"data": true, "success": true}',
  },
  {
    id: 'v1-older-forms',
    area: 'v1',
    vendor:
      'Older route forms: GET DebtCollection/?options=<options> and DebtCollection/Invoices/AvailableInvoices?options=<options> ' +
      '("filtered by a oData query"); POST DebtCollection/{AddInvoicesToCase|MergeCases|UpdateStatus}?request=<request>. How options ' +
      'and request are encoded is not shown.',
    source:
      `${DOCS} docs/api/reference/rest/route_get_debtcollection__options__options_.md, ` +
      `Route_GET_DebtCollection_Invoices_AvailableInvoices_options__options_.md, and the route pages "POST ` +
      `DebtCollection/AddInvoicesToCase?request=<request>", "…/MergeCases?request=<request>", "…/UpdateStatus?request=<request>" ` +
      `(576c15bd)`,
    confidence: 'unverified',
    sandboxDefault:
      'options: a URL-encoded $filter/$orderby/$skip/$top query string, or a bare $filter expression (a $-parameter sent directly ' +
      'wins); request: the request object as JSON, read when the body is empty, bound case-insensitively',
  },
  {
    id: 'v1-null-properties-in-answers',
    area: 'v1',
    vendor:
      'The same page says of every v1 result: "All properties with value (not NULL) will always be returned in the response", so a ' +
      'null cid, externalCaseUrl or lastReminder* is most likely left out of case, invoice and match objects too. No live success ' +
      'answer with a null field was found to confirm it.',
    source: `${DOCS} docs/api/rest/filtering.md (576c15bd)`,
    confidence: 'unverified',
    sandboxDefault:
      'success answers send null properties as null (every documented key present); only the failure envelope leaves nulls out. A ' +
      'client should treat a missing key and null alike',
  },
];
