/**
 * A typed OData $filter builder over the vendor's models (odata-query underneath). Write the JSON field names
 * (camelCase); they are sent PascalCase, as the real v1 API requires in $filter.
 */
import * as odataQuery from 'odata-query';
import type { Filter } from 'odata-query';

// odata-query has one .d.ts for its CJS and ESM builds; NodeNext reads it as CJS, so take the default by hand.
type BuildQuery = <T>(options: { filter?: Filter<T> }) => string;
const buildQuery: BuildQuery = (odataQuery as unknown as { default?: BuildQuery }).default ?? (odataQuery as unknown as BuildQuery);

const OPERATORS = new Set([
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'and',
  'or',
  'not',
  'in',
  'startswith',
  'endswith',
  'contains',
  'type',
  'value',
]);

function pascal(filter: unknown): unknown {
  if (Array.isArray(filter)) return filter.map(pascal);
  if (!filter || typeof filter !== 'object' || filter instanceof Date) return filter;
  return Object.fromEntries(
    Object.entries(filter).map(([k, v]) => [OPERATORS.has(k) ? k : k.charAt(0).toUpperCase() + k.slice(1), pascal(v)]),
  );
}

/** The $filter text for a typed filter, e.g. odataFilter<DebtCollectionInvoice>({ remainingAmount: { gt: 100 } }). */
export function odataFilter<T>(filter: Filter<T>): string {
  const query = buildQuery({ filter: pascal(filter) as Filter<T> });
  const match = /\$filter=(.*?)(?:&\$|$)/.exec(query);
  // odata-query percent-encodes values for a URL; the caller's HTTP layer encodes the query again, so hand back
  // the plain text ('K 1001', not 'K%201001').
  return match ? decodeURIComponent(match[1]!) : '';
}

export type { Filter };
