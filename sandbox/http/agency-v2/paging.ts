/**
 * v2 paging (ResourceParameters): a bare JSON array per page, 204 with no body for an empty page, and the
 * X-Pagination header real clients follow until it has no nextPageLink.
 */
import type { RequestContext, SandboxRequest, SandboxResponse } from '../core/types.js';
import { warn } from '../core/warnings.js';
import { callerOrigin } from '../core/hosts.js';
import { DEFAULT_PAGE_SIZE } from '../../../contracts/schemas/v2.js';
import { reject } from '../../domain/errors.js';

type Row = Record<string, unknown>;

/** Comma-separated names, trimmed, blanks dropped ("If null or whitespace, the filter is not used"). */
const listOf = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A DTO field by its name in any case (ASP.NET's data shaping matches property names case-insensitively). */
function fieldNamed(names: readonly string[], name: string, param: 'Fields' | 'OrderBy'): string {
  const found = names.find((n) => n.toLowerCase() === name.toLowerCase());
  if (!found) throw reject.invalid(param, `'${name}' is not a field of this list's items (${names.join(', ')})`);
  return found;
}

/** Nulls first, then numbers, strings (ordinal) and booleans in their natural order, as the database sorts. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * ResourceParameters OrderBy ("Name desc, Number") and Fields ("Id,Name"): sort the whole list (before paging), then
 * keep only the chosen fields on each item. Field names are the item's own; an unknown one is 400 naming the
 * parameter. The sort is stable, so ties keep the list's default order.
 */
export function shape<T extends object>(
  items: readonly T[],
  fieldNames: readonly string[],
  query: PageQuery,
): { items: Row[]; partial: boolean } {
  let rows = items as readonly Row[];
  const order = listOf(query.OrderBy).map((clause) => {
    const m = /^(\S+)(?:\s+(asc|desc))?$/i.exec(clause);
    if (!m) throw reject.invalid('OrderBy', `'${clause}' is not "Field" or "Field desc"`);
    return { field: fieldNamed(fieldNames, m[1]!, 'OrderBy'), sign: m[2]?.toLowerCase() === 'desc' ? -1 : 1 };
  });
  if (order.length)
    rows = rows
      .map((row, i) => ({ row, i }))
      .sort((a, b) => {
        for (const { field, sign } of order) {
          const c = compareValues(a.row[field], b.row[field]);
          if (c) return sign * c;
        }
        return a.i - b.i;
      })
      .map((x) => x.row);
  const chosen = listOf(query.Fields).map((f) => fieldNamed(fieldNames, f, 'Fields'));
  if (!chosen.length) return { items: [...rows], partial: false };
  return { items: rows.map((row) => Object.fromEntries(chosen.map((f) => [f, row[f]]))), partial: true };
}

export interface PageQuery {
  PageNumber?: number | undefined;
  PageSize?: number | undefined;
  Fields?: string | undefined;
  OrderBy?: string | undefined;
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

/**
 * One page of `items` as the v2 API answers a list, after OrderBy and Fields; `fieldNames` are the item DTO's
 * properties (the names those two may use).
 */
export function page<T extends object>(
  all: readonly T[],
  query: PageQuery,
  request: SandboxRequest,
  ctx: RequestContext,
  fieldNames: readonly string[],
): SandboxResponse {
  const { items, partial } = shape(all, fieldNames, query);
  const size = query.PageSize ?? DEFAULT_PAGE_SIZE;
  const current = query.PageNumber ?? 1;
  const totalPages = Math.ceil(items.length / size);
  const extended = ctx.settings?.v2Wire.pagination === 'extended';
  const pagination: Pagination = extended
    ? { TotalCount: items.length, PageSize: size, CurrentPage: current, TotalPages: totalPages }
    : {};
  if (extended)
    warn(
      ctx,
      'unverified-behaviour',
      'X-Pagination carries TotalCount, PageSize, CurrentPage and TotalPages (setting v2Wire.pagination); only nextPageLink is ' +
        'evidenced: page until it is absent',
    );
  if (current < totalPages) pagination.nextPageLink = pageLink(request, current + 1);
  const headers = { 'X-Pagination': JSON.stringify(pagination) };
  const slice = items.slice((current - 1) * size, current * size);
  if (!slice.length) return { status: 204, headers };
  return {
    status: 200,
    headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
    body: slice,
    ...(partial ? { partialItems: true } : {}),
  };
}
