/** Shared by the v2 operations: their factory (v2Op), the vendor's documented statuses, and cut-off filters. */
import { Type, type TSchema } from '@sinclair/typebox';
import { opFactory, plainSuccess } from '../core/route-op.js';
import type { RequestContext } from '../core/types.js';
import { warn } from '../core/warnings.js';
import { toMillis } from '../../domain/time.js';
import type { Voucher } from '../../domain/model.js';
import { cutOff } from './filters.js';
import { ApimFailure, VendorProblemDetails as ProblemDetails } from '../../../contracts/schemas/common.js';

export const v2Errors = {
  400: {
    description:
      'Invalid request (ProblemDetails as application/json): `errors` names each field on a validation failure (e.g. PageSize over 20000)',
    schema: ProblemDetails,
  },
  401: { description: 'Missing or invalid subscription key or access token (Azure API Management body)', schema: ApimFailure },
  403: { description: 'The integration lacks the privilege', schema: ProblemDetails },
  500: { description: 'Internal error', schema: ProblemDetails },
};
export const v2NotFound = { 404: { description: 'Unknown id, or one this integration may not see', schema: ProblemDetails } };
export const v2Conflict = (description: string) => ({ 409: { description, schema: ProblemDetails } });
export const v2List = (what: string, item: TSchema) => ({
  200: {
    description:
      `${what}, one page (header X-Pagination: {"nextPageLink"}, absent on the last page; TotalCount, PageSize, CurrentPage, TotalPages ` +
      `only with settings.v2Wire.pagination 'extended', unverified)`,
    schema: Type.Array(item),
  },
  204: { description: 'The page is empty (no body)' },
});

/** A v2 operation: bearer token and subscription key, the v2 problems; a list route answers a page or 204. */
export const v2Op = opFactory({
  face: 'v2',
  auth: 'agency',
  problems: v2Errors,
  success: (route, answers, contentType) =>
    route.response?.type === 'array' ? v2List(answers, route.response.items as TSchema) : plainSuccess(route, answers, contentType),
});

/** A ...GreaterThan cut-off with the client's '+' handling; warns when the query lost an unencoded '+'. */
export function cutOffIn(ctx: RequestContext, value: string | undefined, timeZone: string, field: string): number | undefined {
  return cutOff(value, timeZone, field, {
    repairPlus: ctx.settings?.v2Wire.repairPlusInTimestamps ?? false,
    onUnencodedPlus: (message) => warn(ctx, 'unencoded-plus-in-timestamp', message),
  });
}

/** An instant strictly after a cut-off (absent cut-off: everything). */
export const after = (cut: number | undefined, instant: string | null) =>
  cut === undefined || (instant !== null && toMillis(instant) > cut);

/** Did this integration post the voucher (onlyCreatedByCurrentIntegration)? */
export const byIntegration = (voucher: Voucher | undefined, integrationId: string) =>
  voucher?.actor.kind === 'agency' && voucher.actor.integrationId === integrationId;
