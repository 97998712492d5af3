/**
 * Request (and, with --validate-responses, response) validation against the operations' schemas. Validators are
 * compiled once per operation. Errors come out as (field, reason) pairs with JSON-path field names
 * ('invoiceIds[1]', 'mailAddress.zipCode') for each face's error format.
 */
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { nokToOre } from '../../domain/money.js';

export interface FieldError {
  field: string;
  reason: string;
}

// Ajv (and its formats) load on the first validation, synchronously: the first answer (and a start) needs neither.
const require = createRequire(import.meta.url);

function makeAjv(coerce: boolean): Ajv {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const addFormats = (require('ajv-formats') as { default: unknown }).default;
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    strict: false,
    removeAdditional: false,
  });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addKeyword({
    keyword: 'x-nok',
    type: 'number',
    errors: false,
    validate: (_: unknown, data: number) => nokToOre(data) !== undefined,
  });
  return ajv;
}

let bodyAjv: Ajv | undefined;
let queryAjv: Ajv | undefined;
const compiled = new WeakMap<TSchema, ValidateFunction>();
const compiledQuery = new WeakMap<TSchema, ValidateFunction>();

export function validator(schema: TSchema, coerce = false): ValidateFunction {
  const cache = coerce ? compiledQuery : compiled;
  let v = cache.get(schema);
  if (!v) {
    v = (coerce ? (queryAjv ??= makeAjv(true)) : (bodyAjv ??= makeAjv(false))).compile(schema);
    cache.set(schema, v);
  }
  return v;
}

function pathToField(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

function reasonOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `must be ${p.type === 'integer' ? 'a whole number' : `of type ${String(p.type)}`}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'format':
      return (
        `must be a valid ${String(p.format)}` +
        (p.format === 'date' ? ' (YYYY-MM-DD)' : p.format === 'date-time' ? ' (ISO-8601 date-time)' : '')
      );
    case 'x-nok':
      return 'must be an amount in NOK with at most two decimals';
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters`;
    case 'minLength':
      return Number(p.limit) === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters`;
    default:
      return e.message ?? 'is invalid';
  }
}

/** Turn ajv's errors into one clear reason per field (the most specific error wins). */
export function fieldErrors(errors: ErrorObject[] | null | undefined, root = ''): FieldError[] {
  const out = new Map<string, string>();
  for (const e of errors ?? []) {
    const at = join(root, pathToField(e.instancePath));
    if (e.keyword === 'required') out.set(join(at, String((e.params as { missingProperty: string }).missingProperty)), 'is required');
    else if (e.keyword === 'additionalProperties')
      out.set(join(at, String((e.params as { additionalProperty: string }).additionalProperty)), 'is not a known field');
    else if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      if (!out.has(at)) out.set(at, 'does not match any allowed form');
    } else if (!out.has(at) || out.get(at) === 'does not match any allowed form') out.set(at, reasonOf(e));
  }
  return [...out].map(([field, reason]) => ({ field: field || '(body)', reason }));
}

/** Validate (and coerce/default in place when `coerce`); return the problems. */
export function check(schema: TSchema, value: unknown, root: string, coerce = false): FieldError[] {
  const v = validator(schema, coerce);
  return v(value) ? [] : fieldErrors(v.errors, root);
}

/**
 * ASP.NET binds JSON properties and query keys case-insensitively: rename keys to the schema's casing so
 * {"CaseId": …} and {"caseId": …} both reach the handler as `caseId`.
 */
export function canonicalizeKeys(value: unknown, schema: TSchema | undefined): unknown {
  if (!schema || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return schema.items ? value.map((v) => canonicalizeKeys(v, schema.items as TSchema)) : value;
  const objectSchema: TSchema | undefined = schema.properties
    ? schema
    : (schema.anyOf as TSchema[] | undefined)?.find((s) => s.properties);
  if (!objectSchema?.properties) return value;
  const props = objectSchema.properties as Record<string, TSchema>;
  const byLower = new Map(Object.keys(props).map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const name = props[k] ? k : (byLower.get(k.toLowerCase()) ?? k);
    out[name] = canonicalizeKeys(v, props[name]);
  }
  return out;
}

/** What a query string binds to, and what a lenient server would have hidden. */
export interface BoundQuery {
  values: Record<string, unknown>;
  /** Keys sent more than once that bind one value (ASP.NET takes the first). */
  repeated: Array<{ key: string; values: string[] }>;
  /** Keys the operation does not declare (ASP.NET ignores them). */
  unknown: string[];
}

/** Query keys every agency operation accepts: the APIM subscription key may travel in the query. */
const TRANSPORT_KEYS = new Set(['subscription-key']);

/**
 * URLSearchParams as an object, bound as ASP.NET binds it: arrays where the schema wants arrays (each value may
 * itself be comma-separated), otherwise the FIRST value of a repeated key.
 */
export function bindQuery(query: URLSearchParams, schema: TSchema | undefined, caseInsensitive: boolean): BoundQuery {
  const props = (schema?.properties ?? {}) as Record<string, TSchema>;
  const byLower = new Map(Object.keys(props).map((k) => [k.toLowerCase(), k]));
  const values: Record<string, unknown> = {};
  const repeated: BoundQuery['repeated'] = [];
  const unknown: string[] = [];
  // Keys that differ only in case are one parameter to ASP.NET.
  const groups = new Map<string, { key: string; values: string[] }>();
  for (const [key, value] of query) {
    const name = props[key] ? key : caseInsensitive ? (byLower.get(key.toLowerCase()) ?? key) : key;
    const group = groups.get(name) ?? groups.set(name, { key, values: [] }).get(name)!;
    group.values.push(value);
  }
  for (const [name, group] of groups) {
    if (!props[name] && !TRANSPORT_KEYS.has(name.toLowerCase())) unknown.push(group.key);
    if (props[name]?.type === 'array')
      values[name] = group.values
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
    else {
      values[name] = group.values[0];
      if (group.values.length > 1) repeated.push({ key: group.key, values: group.values });
    }
  }
  return { values, repeated, unknown };
}

/** URLSearchParams as an object (see bindQuery). */
export function queryObject(query: URLSearchParams, schema: TSchema | undefined, caseInsensitive: boolean): Record<string, unknown> {
  return bindQuery(query, schema, caseInsensitive).values;
}

/** Body keys the schema does not declare (after canonicalizeKeys), as JSON paths; nested objects and arrays too. */
export function unknownBodyFields(value: unknown, schema: TSchema | undefined, path = ''): string[] {
  if (!schema || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value))
    return schema.items ? value.flatMap((v, i) => unknownBodyFields(v, schema.items as TSchema, `${path}[${i}]`)) : [];
  const objectSchema: TSchema | undefined = schema.properties
    ? schema
    : (schema.anyOf as TSchema[] | undefined)?.find((s) => s.properties);
  if (!objectSchema?.properties) return [];
  const props = objectSchema.properties as Record<string, TSchema>;
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const at = path ? `${path}.${k}` : k;
    return Object.hasOwn(props, k) ? unknownBodyFields(v, props[k], at) : [at];
  });
}
