/**
 * One error constructor per face, so every failure answers in the format its face promises:
 * v1 the vendor's failure envelope, v2 and the control API RFC 9457 ProblemDetails, the token endpoint OAuth's.
 */
import { createHash } from 'node:crypto';
import type { DomainRejection, RejectionKind } from '../../domain/errors.js';
import type { Face, SandboxResponse } from './types.js';
import type { FieldError } from './validation.js';

export interface Problem {
  status: number;
  title: string;
  detail: string;
  fields?: FieldError[];
  current?: string;
  allowed?: string[];
  /** v1 only: the vendor's exception name, when the caller knows it better than `v1Exception` would. */
  exception?: string;
  /** What kind of refusal a business failure is (a domain rejection or a validation); unset for transport failures. */
  kind?: RejectionKind;
  /** A missing privilege (or integration): HTTP 403 on v1 whatever the client's settings. */
  privilege?: boolean;
  headers?: Record<string, string>;
}

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

export function titleOf(status: number): string {
  return TITLES[status] ?? 'Error';
}

const KIND_STATUS: Record<RejectionKind, number> = { invalid: 400, notFound: 404, conflict: 409, forbidden: 403, duplicate: 409 };

export function problemFromRejection(e: DomainRejection): Problem {
  const status = KIND_STATUS[e.kind];
  return {
    status,
    title: e.kind === 'duplicate' ? 'Duplicate' : titleOf(status),
    detail: e.message,
    ...(e.details.field ? { fields: [{ field: e.details.field, reason: e.message }] } : {}),
    ...(e.details.current ? { current: e.details.current } : {}),
    ...(e.details.allowed ? { allowed: e.details.allowed } : {}),
    kind: e.kind,
    ...(e.details.privilege ? { privilege: true } : {}),
  };
}

export function problemFromFields(fields: FieldError[], what = 'request'): Problem {
  const detail = fields.map((f) => `${f.field} ${f.reason}`).join('; ');
  return { status: 400, title: titleOf(400), detail: `invalid ${what}: ${detail}`, fields, kind: 'invalid' };
}

// ---- v1 ------------------------------------------------------------------------------------------------------

export type V1ErrorStatuses = 'vendor' | 'http';

/** The action arguments of the vendor's v1 controller: one missing is an ArgumentNullException there. */
const V1_ARGUMENTS = new Set(['(body)', 'fromDateTime', 'id', 'debtCollectionInvoiceId', 'request', 'options']);

/** A business failure (validation, unknown id, wrong state, duplicate, forbidden by state), not transport or privilege. */
function isBusiness(p: Problem): boolean {
  if (p.kind) return !(p.kind === 'forbidden' && p.privilege);
  return p.status === 400;
}

/**
 * The vendor's exception name, as its wire shows them (the .NET type without "Exception": "Go", "ArgumentNull",
 * "OData", "ApiUniqueConstraint"). A refusal by state where the vendor documents a SecurityException is "Security".
 */
export function v1Exception(p: Problem): string {
  if (p.exception) return p.exception;
  if (p.kind === 'duplicate') return 'ApiUniqueConstraint';
  if (p.kind === 'forbidden') return p.privilege ? 'Authorization' : 'Security';
  const fields = p.fields ?? [];
  if (fields.length && fields.every((f) => f.field.startsWith('$') || f.field === 'options')) return 'OData';
  if (fields.some((f) => V1_ARGUMENTS.has(f.field) && (f.field === '(body)' || f.field === 'request' || /^is required/.test(f.reason))))
    return 'ArgumentNull';
  return 'Go';
}

/** The status the sandbox gave before it answered the vendor's way (the 'http' setting). */
function httpStatusOf(p: Problem): number {
  if (!p.kind) return p.status;
  return { invalid: 400, notFound: 404, conflict: 409, forbidden: 403, duplicate: 409 }[p.kind];
}

/** JSON for a header: non-ASCII escaped, long reasons cut, so it survives any HTTP stack. */
function headerJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The sandbox's richer account of a v1 failure: the X-Sandbox-Detail header and the journal entry's `detail`. */
export function v1Detail(p: Problem): Record<string, unknown> {
  const cut = (t: string) => (t.length > 300 ? `${t.slice(0, 300)}…` : t);
  const fields: Record<string, string> = Object.create(null);
  for (const f of (p.fields ?? []).slice(0, 20)) fields[cut(f.field)] ??= cut(f.reason);
  return {
    httpStatus: httpStatusOf(p),
    kind: p.kind ?? (p.status === 400 ? 'invalid' : 'transport'),
    exception: v1Exception(p),
    ...(p.privilege ? { privilege: true } : {}),
    ...(p.fields?.length ? { fields: { ...fields } } : {}),
    ...(p.current ? { currentState: p.current } : {}),
    ...(p.allowed ? { allowed: p.allowed } : {}),
  };
}

/** The vendor's own summary where a live answer shows it for the same refusal (PowerOffice/go-api issue #2). */
function vendorSummary(p: Problem): string {
  const only = p.fields?.length === 1 ? p.fields[0]! : undefined;
  if (only?.field === 'code' && /^(code )?(is required|must not be empty|must NOT have fewer than 1)/.test(only.reason))
    return 'Debt collection case code must be provided.';
  return p.detail;
}

const V1_PROBLEMS = new WeakMap<SandboxResponse, { p: Problem; ref: string }>();

/**
 * v1 failure envelope. 'vendor' (default): a business failure is HTTP 200 with success false, and the validation
 * object carries only errorLogReference, summary and exception ("All properties with value (not NULL) will always be
 * returned"). 'http': the sandbox's older statuses and its full validation object. 401/403 (privilege)/429 and
 * transport failures keep their status either way.
 */
export function v1Error(p: Problem, errorLogReference: string, mode: V1ErrorStatuses = 'vendor'): SandboxResponse {
  const detail = v1Detail(p);
  const business = isBusiness(p);
  const validation =
    mode === 'vendor'
      ? { errorLogReference, summary: vendorSummary(p), exception: detail.exception }
      : {
          errorLogReference,
          summary: p.detail,
          exception: detail.exception,
          exceptionDetails: p.current ? `current state: ${p.current}${p.allowed ? `; allowed from: ${p.allowed.join(', ')}` : ''}` : null,
          fields: Object.fromEntries((p.fields ?? []).map((f) => [f.field, f.reason])),
          batchItemErrors: [],
        };
  let header = headerJson(detail);
  if (header.length > 4000)
    header = headerJson({ httpStatus: detail.httpStatus, kind: detail.kind, exception: detail.exception, truncated: true });
  const response: SandboxResponse = {
    status: business ? (mode === 'vendor' ? 200 : httpStatusOf(p)) : p.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-sandbox-detail': header, ...p.headers },
    body: { success: false, validation },
  };
  V1_PROBLEMS.set(response, { p, ref: errorLogReference });
  return response;
}

/** The same v1 failure in the client's chosen form (the dispatcher knows the client only after answering). */
export function v1ErrorAs(response: SandboxResponse, mode: V1ErrorStatuses): SandboxResponse {
  const known = V1_PROBLEMS.get(response);
  if (!known || mode === 'vendor') return response;
  const again = v1Error(known.p, known.ref, mode);
  return { ...again, headers: { ...response.headers, ...again.headers } };
}

/** ProblemDetails (v2 and control API). */
export function problemDetails(p: Problem, instance: string, traceId: string): SandboxResponse {
  // No prototype: a client may name a field "__proto__" or "constructor".
  const errors: Record<string, string[]> = Object.create(null);
  for (const f of p.fields ?? []) (errors[f.field] ??= []).push(f.reason);
  return {
    status: p.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...p.headers },
    body: {
      type: `https://inkasso-sandbox.dev/problems/${p.status}`,
      title: p.title,
      status: p.status,
      detail: p.detail,
      instance,
      traceId,
      ...(p.fields?.length ? { errors } : {}),
      ...(p.current ? { currentState: p.current } : {}),
      ...(p.allowed ? { allowed: p.allowed } : {}),
    },
  };
}

/** ASP.NET Core's ProblemDetails defaults (ProblemDetailsDefaults): type URI and title per status. */
const ASPNET_DEFAULTS: Record<number, [string, string]> = {
  400: ['https://tools.ietf.org/html/rfc9110#section-15.5.1', 'Bad Request'],
  401: ['https://tools.ietf.org/html/rfc9110#section-15.5.2', 'Unauthorized'],
  403: ['https://tools.ietf.org/html/rfc9110#section-15.5.4', 'Forbidden'],
  404: ['https://tools.ietf.org/html/rfc9110#section-15.5.5', 'Not Found'],
  405: ['https://tools.ietf.org/html/rfc9110#section-15.5.6', 'Method Not Allowed'],
  409: ['https://tools.ietf.org/html/rfc9110#section-15.5.10', 'Conflict'],
  413: ['https://tools.ietf.org/html/rfc9110#section-15.5.14', 'Content Too Large'],
  500: ['https://tools.ietf.org/html/rfc9110#section-15.6.1', 'An error occurred while processing your request.'],
  502: ['https://tools.ietf.org/html/rfc9110#section-15.6.3', 'Bad Gateway'],
  503: ['https://tools.ietf.org/html/rfc9110#section-15.6.4', 'Service Unavailable'],
};

/** A W3C trace id as ASP.NET puts it in ProblemDetails; its span part is the request id, so the two can be joined. */
export function traceIdOf(requestId: string): string {
  const span = requestId
    .replace(/[^0-9a-f]/gi, '')
    .padStart(16, '0')
    .slice(-16);
  const trace = createHash('sha256').update(requestId).digest('hex').slice(0, 32);
  return `00-${trace}-${span}-00`;
}

/** The sandbox's own detail about a refusal, for the X-Sandbox-Detail header and the journal (never the body). */
export function sandboxDetailOf(p: Problem): Record<string, unknown> | undefined {
  const detail: Record<string, unknown> = {};
  if (p.current) detail.currentState = p.current;
  if (p.allowed) detail.allowed = p.allowed;
  if (p.exception) detail.exception = p.exception;
  return Object.keys(detail).length ? detail : undefined;
}

/** JSON as an ASCII-only header value. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** v2 ProblemDetails as the vendor's ASP.NET API answers: application/json, the vendor's keys only. */
export function vendorProblemDetails(p: Problem, requestId: string): SandboxResponse {
  const errors: Record<string, string[]> = Object.create(null);
  for (const f of p.fields ?? []) (errors[f.field] ??= []).push(f.reason);
  const [type, title] = ASPNET_DEFAULTS[p.status] ?? [undefined, p.title];
  const validation = p.status === 400 && (p.fields?.length ?? 0) > 0;
  const detail = sandboxDetailOf(p);
  return {
    status: p.status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(detail ? { 'x-sandbox-detail': asciiJson(detail) } : {}),
      ...p.headers,
    },
    body: {
      ...(type ? { type } : {}),
      title: validation ? 'One or more validation errors occurred.' : title,
      status: p.status,
      detail: p.detail,
      traceId: traceIdOf(requestId),
      ...(validation ? { errors } : {}),
    },
  };
}

/** OAuth 2 error (RFC 6749 §5.2) for the token endpoint. */
export function oauthError(error: string, description: string, status = 400, headers: Record<string, string> = {}): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: { error, error_description: description },
  };
}

export function faceError(face: Face, p: Problem, instance: string, requestId: string): SandboxResponse {
  if (face === 'v1') return v1Error(p, requestId);
  // The problem's own headers (Retry-After on a 503 or 429) go out as on every other face.
  if (face === 'auth') return oauthError(p.status === 400 ? 'invalid_request' : 'server_error', p.detail, p.status, p.headers);
  if (face === 'v2') return vendorProblemDetails(p, requestId);
  return problemDetails(p, instance, requestId);
}
