/** Response specs shared by the v2 read-back and draft operations (the vendor's documented statuses and bodies). */
import { Type, type TSchema } from '@sinclair/typebox';
import { ApimFailure, VendorProblemDetails as ProblemDetails } from '../../../contracts/schemas/common.js';

export const v2Errors = {
  400: { description: 'Invalid request (ProblemDetails as application/json): `errors` names each field on a validation failure', schema: ProblemDetails },
  401: { description: 'Missing or invalid subscription key or access token (Azure API Management body)', schema: ApimFailure },
  403: { description: 'The integration lacks the privilege', schema: ProblemDetails },
  500: { description: 'Internal error', schema: ProblemDetails },
};
export const v2NotFound = { 404: { description: 'Unknown id, or one this integration may not see', schema: ProblemDetails } };
export const v2Conflict = (description: string) => ({ 409: { description, schema: ProblemDetails } });
export const v2List = (what: string, item: TSchema) => ({
  200: { description: `${what}, one page (header X-Pagination: {"nextPageLink"}, absent on the last page)`, schema: Type.Array(item) },
  204: { description: 'The page is empty (no body)' },
});
