/**
 * OData on v1 lists: $filter (eq ne gt ge lt le, and or not, parentheses; startswith endswith contains tolower
 * toupper), $orderby, $skip, $top, evaluated over the wire objects. Field names match case-insensitively: the
 * vendor's docs write them PascalCase ($filter=InvoiceNo eq 10001) while the JSON is camelCase.
 * `count` is the filtered total before $skip/$top, as the vendor returns it.
 */
import { createRequire } from 'node:module';
import type { defaultParser as DefaultParser } from '@odata/parser';
import { formatLocalInstant, fromMillis, isLocalDate, localTimeToMs } from '../../domain/time.js';
import { reject } from '../../domain/errors.js';

type Row = Record<string, unknown>;
type Value = string | number | boolean | null | { when: number } | undefined;

export interface ODataOptions {
  $filter?: string;
  $orderby?: string;
  $skip?: number;
  $top?: number;
}

interface Node {
  type: string;
  value: any;
  raw?: string;
}

const LOCAL_DT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** A date-ish value as ms (local dates and date-times in the client's zone), else undefined. */
function asTime(v: unknown, timeZone: string): number | undefined {
  if (typeof v !== 'string') return undefined;
  if (isLocalDate(v)) return localTimeToMs(v, 0, 0, timeZone);
  const local = LOCAL_DT.exec(v);
  if (local) return localTimeToMs(local[1]!, Number(local[2]), Number(local[3]), timeZone) + Number(local[4] ?? 0) * 1000;
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function filterProblem(reason: string): Error {
  return reject.invalid('$filter', reason);
}

// Built once: a table made per comparison cost most of a wide filter's evaluation time.
const COMPARISONS: Record<string, (c: number) => boolean> = {
  EqualsExpression: (c) => c === 0,
  NotEqualsExpression: (c) => c !== 0,
  GreaterThanExpression: (c) => c > 0,
  GreaterOrEqualsExpression: (c) => c >= 0,
  LesserThanExpression: (c) => c < 0,
  LesserOrEqualsExpression: (c) => c <= 0,
};

class Evaluator {
  constructor(
    private readonly timeZone: string,
    private readonly fields: string[],
  ) {}

  /** Field name as written -> the row's key: rows of one list share their keys, so look each name up once. */
  private readonly keys = new Map<string, string>();

  private field(row: Row, name: string): unknown {
    let key = this.keys.get(name);
    if (key === undefined || !(key in row)) {
      key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
      if (key !== undefined) this.keys.set(name, key);
    }
    if (key === undefined) throw filterProblem(`unknown field '${name}'; fields: ${this.fields.join(', ')}`);
    return row[key];
  }

  literal(node: Node): Value {
    const raw = node.raw ?? '';
    switch (node.value) {
      case 'null':
        return null;
      case 'Edm.Boolean':
        return raw.toLowerCase() === 'true';
      case 'Edm.String':
        return raw.slice(1, -1).replace(/''/g, "'");
      case 'Edm.Date':
      case 'Edm.DateTimeOffset':
      case 'Edm.TimeOfDay':
        return { when: asTime(raw, this.timeZone) ?? Number.NaN };
      case 'Edm.Guid':
        return raw;
      default:
        return Number(raw);
    }
  }

  value(node: Node, row: Row): Value {
    switch (node.type) {
      case 'Literal':
        return this.literal(node);
      case 'FirstMemberExpression':
      case 'MemberExpression':
      case 'PropertyPathExpression':
        return this.value(node.value, row);
      case 'ODataIdentifier':
        return this.field(row, node.value.name) as Value;
      case 'MethodCallExpression':
        return this.method(node, row);
      case 'BoolParenExpression':
      case 'ParenExpression':
        return this.value(node.value, row);
      default:
        return this.test(node, row);
    }
  }

  private method(node: Node, row: Row): Value {
    const { method, parameters } = node.value as { method: string; parameters: Node[] };
    const args = parameters.map((p) => this.value(p, row));
    const s = (v: Value) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
    switch (method.toLowerCase()) {
      case 'startswith':
        return s(args[0]).startsWith(s(args[1]));
      case 'endswith':
        return s(args[0]).endsWith(s(args[1]));
      case 'contains':
      case 'substringof':
        return s(args[0]).includes(s(args[1]));
      case 'tolower':
        return s(args[0]).toLowerCase();
      case 'toupper':
        return s(args[0]).toUpperCase();
      default:
        throw filterProblem(`function '${method}' is not supported (startswith, endswith, contains, tolower, toupper are)`);
    }
  }

  private compare(a: Value, b: Value): number | undefined {
    const ta = typeof a === 'object' && a !== null ? a.when : asTime(a, this.timeZone);
    const tb = typeof b === 'object' && b !== null ? b.when : asTime(b, this.timeZone);
    if ((typeof a === 'object' && a !== null) || (typeof b === 'object' && b !== null)) {
      if (ta === undefined || tb === undefined) return undefined;
      return ta - tb;
    }
    if (a === null || b === null || a === undefined || b === undefined) return a === b ? 0 : undefined;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : undefined;
    const sa = String(a);
    const sb = String(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  }

  test(node: Node, row: Row): boolean {
    const v = node.value as { left: Node; right: Node };
    switch (node.type) {
      case 'AndExpression':
        return this.test(v.left, row) && this.test(v.right, row);
      case 'OrExpression':
        return this.test(v.left, row) || this.test(v.right, row);
      case 'NotExpression':
        return !this.truthy(node.value, row);
      case 'BoolParenExpression':
      case 'ParenExpression':
        return this.truthy(node.value, row);
      case 'MethodCallExpression':
        return this.method(node, row) === true;
    }
    const op = COMPARISONS[node.type];
    if (!op) throw filterProblem(`'${node.raw ?? node.type}' is not supported`);
    const c = this.compare(this.value(v.left, row), this.value(v.right, row));
    if (c === undefined) return node.type === 'NotEqualsExpression';
    return op(c);
  }

  truthy(node: Node, row: Row): boolean {
    return this.value(node, row) === true;
  }

  sortCompare(a: unknown, b: unknown): number {
    if (a === b) return 0;
    if (a === null || a === undefined) return -1;
    if (b === null || b === undefined) return 1;
    return this.compare(a as Value, b as Value) ?? 0;
  }

  fieldOf(row: Row, name: string): unknown {
    return this.field(row, name);
  }
}

/**
 * Rewrite idioms the parser lacks: DateTime'…' literals (OData v3, the vendor's docs use them), date-times
 * without an offset (read in the client's zone), and `fn(…) eq true`.
 */
function normalizeFilter(filter: string, timeZone: string): string {
  const withOffset = (local: string) => {
    const ms = asTime(local, timeZone);
    return ms === undefined ? local : formatLocalInstant(fromMillis(ms), timeZone);
  };
  return filter
    .replace(/\b(?:DateTime|DateTimeOffset)'([^']*)'/gi, '$1')
    .replace(/(?<![\w'])(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?![\d:.Z+-])/g, (_, local: string) => withOffset(local))
    .replace(/\)\s+eq\s+true\b/gi, ')');
}

/**
 * OData's `not` binds tighter than `and`/`or`, but the parser reads `not (A) and B` as `not (A and B)`:
 * push an unparenthesised `not` down onto the left operand.
 */
function fixNotPrecedence(node: Node): Node {
  if (!node || typeof node !== 'object') return node;
  if (node.type === 'NotExpression' && (node.value?.type === 'AndExpression' || node.value?.type === 'OrExpression')) {
    const inner = node.value as Node;
    return fixNotPrecedence({
      type: inner.type,
      value: { left: { type: 'NotExpression', value: inner.value.left }, right: inner.value.right },
    });
  }
  if (node.type === 'AndExpression' || node.type === 'OrExpression')
    return { ...node, value: { left: fixNotPrecedence(node.value.left), right: fixNotPrecedence(node.value.right) } };
  if (node.type === 'NotExpression' || node.type === 'BoolParenExpression' || node.type === 'ParenExpression')
    return { ...node, value: fixNotPrecedence(node.value) };
  return node;
}

/**
 * Bounds checked before the parser sees a filter: @odata/parser is quadratic in nesting and in size (1,600 nested
 * parentheses took 10 s and blocked every other request). bench/odata-filter.ts measures the worst filters
 * under these caps.
 */
export const ODATA_FILTER_LIMITS = { maxDepth: 32, maxNodes: 200 };

const OPERATOR = /^(?:eq|ne|gt|ge|lt|le|and|or|not|has|in|add|sub|mul|div|divby|mod)$/i;

/** One pass over the text (string literals skipped): the deepest nesting and the count of operators and calls. */
function checkFilterSize(filter: string): void {
  let depth = 0;
  let nodes = 0;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i]!;
    if (ch === "'") {
      // A string literal; '' inside is an escaped quote.
      for (i++; i < filter.length; i++) if (filter[i] === "'" && filter[++i] !== "'") break;
      i--;
    } else if (ch === '(') {
      if (++depth > ODATA_FILTER_LIMITS.maxDepth)
        throw filterProblem(`nests deeper than ${ODATA_FILTER_LIMITS.maxDepth} levels (parentheses and function calls)`);
    } else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < filter.length && /[A-Za-z0-9_]/.test(filter[j]!)) j++;
      const word = filter.slice(i, j);
      let k = j;
      while (filter[k] === ' ') k++;
      if (OPERATOR.test(word) || filter[k] === '(') nodes++;
      if (nodes > ODATA_FILTER_LIMITS.maxNodes)
        throw filterProblem(`has more than ${ODATA_FILTER_LIMITS.maxNodes} operators and function calls`);
      i = j - 1;
    }
  }
}

// The OData parser (and its dependencies) load on the first $filter: the slowest import at start, rarely used.
const require = createRequire(import.meta.url);
let parser: typeof DefaultParser | undefined;
const filterParser = () => (parser ??= (require('@odata/parser') as { defaultParser: typeof DefaultParser }).defaultParser);

export function applyOData<T extends Row>(rows: T[], options: ODataOptions, timeZone: string): { items: T[]; count: number } {
  const fields = rows[0] ? Object.keys(rows[0]) : [];
  const ev = new Evaluator(timeZone, fields);
  let items = rows;
  if (options.$filter?.trim()) {
    checkFilterSize(options.$filter);
    let ast: Node;
    try {
      ast = fixNotPrecedence(filterParser().filter(normalizeFilter(options.$filter, timeZone)) as unknown as Node);
    } catch (e) {
      throw filterProblem(`cannot be parsed: ${(e as Error).message} in '${options.$filter}'`);
    }
    items = items.filter((row) => ev.truthy(ast, row));
  }
  if (options.$orderby?.trim()) {
    const keys = options.$orderby.split(',').map((part) => {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(asc|desc)?\s*$/i.exec(part);
      if (!m) throw reject.invalid('$orderby', `'${part.trim()}' is not 'Field [asc|desc]'`);
      return { name: m[1]!, desc: m[2]?.toLowerCase() === 'desc' };
    });
    items = [...items].sort((a, b) => {
      for (const k of keys) {
        const c = ev.sortCompare(ev.fieldOf(a, k.name), ev.fieldOf(b, k.name));
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
  }
  const count = items.length;
  const skip = options.$skip ?? 0;
  const top = options.$top;
  return { items: items.slice(skip, top === undefined ? undefined : skip + top), count };
}
