/**
 * One error constructor per face, so every failure answers in the format its face promises:
 * v1 the vendor's failure envelope, v2 and the control API RFC 9457 ProblemDetails, the token endpoint OAuth's.
 */
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
  /** v1 only: the vendor's exception name ("OData", "UniqueConstraint"). */
  exception?: string;
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
    ...(e.kind === 'duplicate' ? { exception: 'UniqueConstraintViolation' } : {}),
  };
}

export function problemFromFields(fields: FieldError[], what = 'request'): Problem {
  const detail = fields.map((f) => `${f.field} ${f.reason}`).join('; ');
  return { status: 400, title: titleOf(400), detail: `invalid ${what}: ${detail}`, fields };
}

/** v1 failure envelope. A duplicate import reference is HTTP 200 with success false, as the vendor answers it. */
export function v1Error(p: Problem, errorLogReference: string): SandboxResponse {
  const status = p.exception === 'UniqueConstraintViolation' ? 200 : p.status;
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...p.headers },
    body: {
      success: false,
      validation: {
        errorLogReference,
        summary: p.detail,
        exception: p.exception ?? null,
        exceptionDetails: p.current ? `current state: ${p.current}${p.allowed ? `; allowed from: ${p.allowed.join(', ')}` : ''}` : null,
        fields: Object.fromEntries((p.fields ?? []).map((f) => [f.field, f.reason])),
        batchItemErrors: [],
      },
    },
  };
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

/** OAuth 2 error (RFC 6749 §5.2) for the token endpoint. */
export function oauthError(error: string, description: string, status = 400): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { error, error_description: description } };
}

export function faceError(face: Face, p: Problem, instance: string, requestId: string): SandboxResponse {
  if (face === 'v1') return v1Error(p, requestId);
  if (face === 'auth') return oauthError(p.status === 400 ? 'invalid_request' : 'server_error', p.detail, p.status);
  return problemDetails(p, instance, requestId);
}
