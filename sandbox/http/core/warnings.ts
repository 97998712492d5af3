/**
 * Portability warnings: a request that works here only because the sandbox is lenient, or that relies on something
 * no vendor source confirms. The sandbox still answers as the vendor would; the warning goes to the request journal,
 * the X-Sandbox-Warning header and `verify` reports. Face-agnostic: v1, v2 and the token endpoint all use it.
 */
import type { RequestContext } from './types.js';

export type WarningCode =
  | 'repeated-query-key'
  | 'unknown-query-parameter'
  | 'unsupported-query-parameter'
  | 'unencoded-plus-in-timestamp'
  | 'unknown-body-field'
  | 'post-retried-without-read-back'
  | 'unverified-behaviour'
  | 'sandbox-invention'
  | 'vendor-would-post';

export interface PortabilityWarning {
  code: WarningCode;
  message: string;
  /** Why we believe the vendor behaves otherwise: a source or the fidelity-ledger row. */
  evidence: string;
}

const V2_SPEC = 'stianwe/PowerOfficeGoV2 api/openapi.yaml (b9bc503); anders2606/crm docs/poweroffice-apiv2-demo.json';

/** The evidence behind each kind of warning (the fidelity ledger has the full rows). */
export const WARNING_EVIDENCE: Record<WarningCode, string> = {
  'repeated-query-key':
    `ASP.NET binds a string parameter from the first value of a repeated key; every v2 filter is one comma-separated string ` +
    `(${V2_SPEC}). Fidelity row v2-filter-repeated-key.`,
  'unknown-query-parameter':
    'ASP.NET model binding ignores query parameters no action parameter names, so a misspelt or unsupported filter silently returns ' +
    'everything. Fidelity row wire-unknown-query-parameter.',
  'unsupported-query-parameter':
    `A parameter the vendor's v2 API applies (a filter such as contactGroupIds or departmentCodes) that the sandbox does not apply yet: ` +
    `the real API answers a narrower or reshaped list (${V2_SPEC}). Fidelity row wire-unknown-query-parameter.`,
  'unencoded-plus-in-timestamp':
    `A '+' in a query string decodes to a space; ASP.NET's DateTimeOffset binding does not put it back and answers 400 (the vendor's ` +
    `own example "2021-09-25 08:03:00.123456+00:00" needs %2B). Fidelity row v2-timestamp-filter-plus.`,
  'unknown-body-field':
    `The vendor's v2 request DTOs are additionalProperties:false (${V2_SPEC}); v1 (Newtonsoft) ignores unknown fields, so the field ` +
    `does nothing. Fidelity row v2-unknown-body-fields.`,
  'post-retried-without-read-back':
    'The vendor has no idempotency key on ManualJournals drafts and ImportedVoucherNo is not unique: a blind retry after a timeout ' +
    'can post twice. Read back first (GET the list) or rely on ExternalImportReference on bank journals. Fidelity row v2-post-retry.',
  'unverified-behaviour':
    'No vendor source shows this behaviour; the sandbox offers it only because a client setting turned it on. Fidelity ledger, GET ' +
    '/_sandbox/fidelity.',
  'sandbox-invention': 'A client setting turned on a sandbox invention the vendor does not have. Fidelity ledger, GET /_sandbox/fidelity.',
  'vendor-would-post':
    `The vendor "tries to match" a bank-journal customer line by InvoiceNo, Cid or CustomMatchingReference and posts it either way ` +
    `(${V2_SPEC}, BankVoucherLinePostDto); the sandbox does too, and refuses an overpayment only when the client setting ` +
    `paymentMatching.overpayment is 'refuse'. Fidelity row v2-bank-journal-unmatched-lines.`,
};

/** v2 query parameters the vendor documents that the sandbox does not apply (lower-case). */
export const VENDOR_V2_QUERY_PARAMETERS = new Set(
  [
    'Fields',
    'OrderBy',
    'UseDatabaseValidation',
    'contactGroupIds',
    'customerCreatedDateTimeOffsetGreaterThan',
    'externalImportReference',
    'externalNos',
    'createdDateTimeOffsetGreaterThan',
    'customMatchingReferences',
    'departmentCodes',
    'includeSubProject',
    'lastChangedDateTimeOffsetGreaterThan',
    'onlyBalancesLessThanAmount',
    'onlyCreatedByCurrentIntegration',
    'projectCodes',
    'subLedgerNumberSeriesIds',
    'voucherTypes',
    'balanceLastChangedDateTimeOffsetGreaterThan',
    'invoiceIds',
    'sentDateTimeOffsetGreaterThan',
    'voucherNos',
    'agricultureDepartments',
    'isActive',
    'includeExpired',
  ].map((p) => p.toLowerCase()),
);

export function warn(ctx: Pick<RequestContext, 'warnings'>, code: WarningCode, message: string): void {
  if (ctx.warnings.some((w) => w.code === code && w.message === message)) return;
  ctx.warnings.push({ code, message, evidence: WARNING_EVIDENCE[code] });
}

/** Header-safe text: ASCII only, no quotes or line breaks, bounded. */
function headerText(s: string): string {
  const ascii = s
    .normalize('NFKD')
    .replace(/[æÆ]/g, (c) => (c === 'æ' ? 'ae' : 'AE'))
    .replace(/[øØ]/g, (c) => (c === 'ø' ? 'o' : 'O'))
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/["\\]/g, "'");
  return ascii.length > 200 ? `${ascii.slice(0, 197)}...` : ascii;
}

/**
 * X-Sandbox-Warning: one field line per warning, `<code> "<short message>"` (the quoted form of the old HTTP Warning
 * header, so lines a client library folds into one comma-joined value still split cleanly). Lines are separated by
 * '\n' here; the transports turn that into separate header lines.
 */
export function warningHeader(warnings: readonly PortabilityWarning[]): string | undefined {
  if (!warnings.length) return undefined;
  return warnings.map((w) => `${w.code} "${headerText(w.message)}"`).join('\n');
}

/** Parse X-Sandbox-Warning back (for reports): works on separate lines and on one comma-joined value. */
export function parseWarningHeader(value: string | string[] | undefined | null): Array<{ code: string; message: string }> {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(', ') : value;
  return [...text.matchAll(/([a-z][a-z-]*) "([^"]*)"/g)].map((m) => ({ code: m[1]!, message: m[2]! }));
}
