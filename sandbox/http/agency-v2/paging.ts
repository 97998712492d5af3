/**
 * v2 paging (ResourceParameters): a bare JSON array per page, 204 with no body for an empty page, and the
 * X-Pagination header real clients follow until it has no nextPageLink.
 */
import type { RequestContext, SandboxRequest, SandboxResponse } from '../core/types.js';
import { warn } from '../core/warnings.js';
import { callerOrigin } from '../core/hosts.js';
import { DEFAULT_PAGE_SIZE } from '../../../contracts/schemas/v2.js';

export interface PageQuery {
  PageNumber?: number | undefined;
  PageSize?: number | undefined;
}

/** The evidenced key is nextPageLink (absent on the last page); the counts come only with v2Wire.pagination 'extended'. */
export interface Pagination {
  TotalCount?: number;
  PageSize?: number;
  CurrentPage?: number;
  TotalPages?: number;
  nextPageLink?: string;
}

/** The same request with another PageNumber; absolute when the Host is known, so a client can fetch it as is. */
function pageLink(request: SandboxRequest, pageNumber: number): string {
  const query = new URLSearchParams();
  for (const [k, v] of request.query) if (k.toLowerCase() !== 'pagenumber') query.append(k, v);
  query.set('PageNumber', String(pageNumber));
  const path = `${request.path}?${query.toString()}`;
  const origin = callerOrigin(request);
  return origin ? `${origin}${path}` : path;
}

/** One page of `items` as the v2 API answers a list. */
export function page<T>(items: readonly T[], query: PageQuery, request: SandboxRequest, ctx: RequestContext): SandboxResponse {
  const size = query.PageSize ?? DEFAULT_PAGE_SIZE;
  const current = query.PageNumber ?? 1;
  const totalPages = Math.ceil(items.length / size);
  const extended = ctx.settings?.v2Wire.pagination === 'extended';
  const pagination: Pagination = extended ? { TotalCount: items.length, PageSize: size, CurrentPage: current, TotalPages: totalPages } : {};
  if (extended)
    warn(ctx, 'unverified-behaviour', 'X-Pagination carries TotalCount, PageSize, CurrentPage and TotalPages (setting v2Wire.pagination); only nextPageLink is evidenced: page until it is absent');
  if (current < totalPages) pagination.nextPageLink = pageLink(request, current + 1);
  const headers = { 'X-Pagination': JSON.stringify(pagination) };
  const slice = items.slice((current - 1) * size, current * size);
  if (!slice.length) return { status: 204, headers };
  return { status: 200, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }, body: slice };
}
