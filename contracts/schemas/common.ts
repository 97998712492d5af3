/** Shapes shared by the faces: error bodies, the v1 envelope, the OAuth token response. */
import { Type, type TNull, type TSchema, type TString, type TUnion } from '@sinclair/typebox';
import { FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE } from '../../sandbox/domain/time.js';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** Properties that are each a string or null, in the order named (spread into a Type.Object). */
export const NullableStrings = <K extends string>(...keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, Nullable(Type.String())])) as { [P in K]: TUnion<[TString, TNull]> };

/** NOK as the real API shows money: a decimal with at most two places, stored as øre inside. */
export const Nok = (options: { minimum?: number; exclusiveMinimum?: number; description?: string } = {}) =>
  Type.Number({ ...options, description: options.description ?? 'NOK, at most two decimals' });

/** Dates in requests stay inside the sandbox's calendar (ajv-formats' formatMinimum/formatMaximum). */
export const SupportedDates = { formatMinimum: FIRST_SUPPORTED_DATE, formatMaximum: LAST_SUPPORTED_DATE } as const;
export const LocalDate = Type.String({
  format: 'date',
  ...SupportedDates,
  description: 'YYYY-MM-DD in the client time zone (Europe/Oslo)',
});
export const DateOrDateTime = Type.String({
  description: 'YYYY-MM-DD (08:00 local that day), or a date-time YYYY-MM-DDTHH:mm[:ss] (local) or with Z / ±HH:mm',
  minLength: 10,
  maxLength: 40,
});
/** An instant as the client sees it: ISO-8601 with the Europe/Oslo offset. */
export const LocalInstant = Type.String({
  format: 'date-time',
  description: 'ISO-8601 with the client zone offset, e.g. 2026-01-19T00:00:00+01:00',
});
export const Uuid = Type.String({ format: 'uuid' });

/** RFC 9457 ProblemDetails, as the v2 API and the control API answer errors. */
export const ProblemDetails = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    traceId: Type.Optional(Type.String()),
    /** Field (JSON path) -> reasons. */
    errors: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    /** For a refused transition: the state it is in, and the states the action is allowed from. */
    currentState: Type.Optional(Type.String()),
    allowed: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);

/**
 * ProblemDetails as the v2 API answers errors (ASP.NET Core): application/json, the RFC keys in lowercase plus
 * ASP.NET's traceId, and `errors` (field -> reasons) only on validation failures. Sandbox-only detail (current
 * state, allowed transitions) travels in the X-Sandbox-Detail header instead.
 */
export const VendorProblemDetails = Type.Object(
  {
    type: Type.Optional(Type.String()),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    traceId: Type.String({ description: 'W3C trace id, 00-<trace>-<span>-00; the span part is the X-Request-Id' }),
    /** Field (JSON path) -> reasons: ASP.NET's validation shape. */
    errors: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
  },
  { additionalProperties: false },
);

/**
 * v1 failure envelope. The vendor leaves out keys whose value is null ("All properties with value (not NULL) will
 * always be returned"), so a refusal usually carries errorLogReference, summary and exception only; the other keys
 * appear with the client setting v1ErrorStatuses 'http'.
 */
export const V1Failure = Type.Object({
  success: Type.Literal(false),
  validation: Type.Object({
    errorLogReference: Type.String(),
    summary: Type.String(),
    exception: Type.Optional(
      Type.String({ description: 'the .NET exception without its suffix: Go, ArgumentNull, OData, ApiUniqueConstraint, Security' }),
    ),
    exceptionDetails: Type.Optional(Nullable(Type.String())),
    fields: Type.Optional(Type.Record(Type.String(), Type.String())),
    batchItemErrors: Type.Optional(Type.Array(Type.Object({ data: Type.Unknown(), error: Type.String() }))),
  }),
});

export const V1One = <T extends TSchema>(data: T) => Type.Object({ data, success: Type.Literal(true) });
export const V1List = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), count: Type.Integer({ minimum: 0 }), success: Type.Literal(true) });

/** ASP.NET Web API's body for a refused bearer token on v1. */
export const V1AuthFailure = Type.Object({ Message: Type.String() });

/** Azure API Management's bodies (401 subscription key, 429 rate limit). */
export const ApimFailure = Type.Object({ statusCode: Type.Union([Type.Integer(), Type.String()]), message: Type.String() });

export const TokenRequest = Type.Object(
  {
    grant_type: Type.String({ description: 'client_credentials; on v1 also refresh_token' }),
    refresh_token: Type.Optional(
      Type.String({ description: 'with grant_type=refresh_token (v1 only): the refresh token of the last answer; each works once' }),
    ),
  },
  { additionalProperties: true },
);
export const TokenResponse = Type.Object({
  access_token: Type.String({ description: "a JWT (HS256): aud v1 or v2, iat/exp on the client's sandbox clock" }),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer(),
  refresh_token: Type.Optional(Type.String({ description: 'v1 only (setting v1RefreshTokens)' })),
});
export const TokenError = Type.Object({ error: Type.String(), error_description: Type.String() });
