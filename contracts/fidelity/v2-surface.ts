/** Fidelity rows for the rest of the surface agencies use: reversal, journal entry vouchers, statements, v1 invoices. */
import type { FidelityRow } from '../fidelity.js';

const V2_2025 = 'stianwe/PowerOfficeGoV2 api/openapi.yaml (b9bc503, "API v2" APIM export, 2025-04)';
const V1_DOCS = 'PowerOffice/go-api-documentation (576c15bd) docs/api/reference/rest';

export const V2_SURFACE_ROWS: FidelityRow[] = [
  {
    id: 'v2-reverse-voucher-own-only',
    area: 'v2',
    vendor: 'POST /Vouchers/Reverse/{id} "Can only be used for vouchers the integration created using the POST /voucher endpoints"; Go then creates a reversal voucher that nullifies the original transactions, and the original\'s invoice number and ExternalImportReference may be reused on a corrected voucher.',
    source: `${V2_2025} paths./Vouchers/Reverse/{id}.post (operationId PostVoucherReversal, description)`,
    confidence: 'fact',
    sandboxDefault: 'a voucher this integration posted (POST /Vouchers/BankJournals) is reversed; any other id is 404 ProblemDetails; its ExternalImportReference and ImportedVoucherNo are free again',
  },
  {
    id: 'v2-reverse-voucher-answer',
    area: 'v2',
    vendor: 'Documents 202 "Accepted" and 200 "The voucher reverse was successfully", both without a body; 400 and 404 ProblemDetails; no 409. What a second reversal of the same voucher answers is not documented.',
    source: `${V2_2025} paths./Vouchers/Reverse/{id}.post.responses`,
    confidence: 'inferred',
    sandboxDefault: '202 with no body (the first documented success); a second reversal, or reversing a reversal voucher, is 400 naming id',
  },
  {
    id: 'v2-reverse-voucher-ledger',
    area: 'domain',
    vendor: 'The reversal voucher negates every line of the original. Its date is not a parameter; the sandbox assumes the original\'s date (so the voucher is nullified as of the day it took effect). Matched payments come off their invoices, which are open again.',
    source: `${V2_2025} PostVoucherReversal description ("nullify the original transactions"); the date is an assumption (no public source)`,
    confidence: 'unverified',
    sandboxDefault: 'ReversalVoucher dated as the original; each payment match it made is reversed (a negative paymentReversal match in the same ledger match), the invoice is owed again and re-enters the reminder flow; an unmatched customer line stops being an open item',
  },
];
