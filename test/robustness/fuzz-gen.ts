/**
 * Invalid-input generators for the fuzz suite, driven by the operations' TypeBox (JSON Schema) schemas.
 * From a valid base input each generator derives inputs that differ in one place (a wrong type, null, a missing
 * required field, an unknown field, a huge or negative or fractional number, an odd date, a long or strange
 * string, an array for an object ...), plus whole-body oddities (malformed JSON, deep nesting, empty) and a few
 * seeded random combinations. Everything is deterministic: the only randomness is a seeded PRNG.
 */
import type { TSchema } from '@sinclair/typebox';

// ---- seeded randomness ---------------------------------------------------------------------------------------

export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for picking test inputs; same seed, same sequence. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts: a per-operation seed that does not shift when other operations are added. */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0001')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

// ---- raw JSON tokens -------------------------------------------------------------------------------------------

/** A JSON token written as is (1e999 parses to Infinity, 9007199254740993 loses precision, -0 ...). */
export class Raw {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `\u0000RAW${this.text}\u0000`;
  }
}

/** JSON text with Raw tokens substituted. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000RAW(.*?)\\u0000"/g, (_, t: string) => t);
}

// ---- paths -----------------------------------------------------------------------------------------------------

export type Path = Array<string | number>;

export function pathText(path: Path): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(body)';
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof Raw ? { __raw: x.text } : x)), (_k, x) => (x && typeof x === 'object' && '__raw' in x ? new Raw(x.__raw) : x)) as T);
}

export function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (!path.length) return value;
  const out = clone(root) as any;
  let cur = out;
  for (const p of path.slice(0, -1)) cur = cur[p];
  cur[path[path.length - 1]!] = value;
  return out;
}

export function deleteAt(root: unknown, path: Path): unknown {
  const out = clone(root) as any;
  let cur = out;
  for (const p of path.slice(0, -1)) cur = cur[p];
  const last = path[path.length - 1]!;
  if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
  else delete cur[last];
  return out;
}

// ---- schema helpers --------------------------------------------------------------------------------------------

type Schema = TSchema & Record<string, any>;

function variants(s: Schema): Schema[] {
  return (s.anyOf ?? s.oneOf ?? [s]) as Schema[];
}

/** The variant a value (or, absent, the first non-null variant) stands for. */
function resolve(s: Schema, value: unknown): Schema {
  const vs = variants(s).filter((v) => v.type !== 'null');
  if (vs.length <= 1) return vs[0] ?? s;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return vs.find((v) => v.properties) ?? vs[0]!;
  if (typeof value === 'string') return vs.find((v) => v.type === 'string') ?? vs[0]!;
  if (typeof value === 'number') return vs.find((v) => v.type === 'integer' || v.type === 'number') ?? vs[0]!;
  return vs[0]!;
}

function typeOf(s: Schema): string {
  return typeof s.type === 'string' ? s.type : 'any';
}

function isDateish(s: Schema, name: string): boolean {
  return s.format === 'date' || s.format === 'date-time' || /date|^to$|^from$|since|greaterthan/i.test(name);
}

// ---- value pools -----------------------------------------------------------------------------------------------

export const ODD_DATES = [
  '2026-02-30',
  '2026-13-01',
  '',
  'yesterday',
  '9999-99-99',
  '2026-02-29',
  '0000-00-00',
  '0000-01-01',
  '2026-1-5',
  '20260105',
  '2026-01-05T25:61',
  '2026-01-05T08:00:00+99:00',
  '-2026-01-05',
  '\uFF12\uFF10\uFF12\uFF16-01-05', // full-width digits
  '2026-01-05\u0000',
  '0001-01-01', // valid in ISO 8601, far in the past
  '1899-12-31',
  '9999-12-31', // the last day a YYYY date can name
  '9999-12-31T23:00',
];

export const LONG = 'x'.repeat(10_000);
export const EMOJI = '💸🧾'.repeat(2_500);
export const STRINGS = [
  '',
  ' ',
  LONG,
  EMOJI,
  '\u202Eevil\u202C', // RTL override
  'שלום مرحبا',
  'a\u0000b',
  '\uD800', // lone surrogate
  '\uFEFFbom',
  '\n\r\t',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '__proto__',
  'null',
  '1e308',
  'Æøå ÆØÅ',
];

export const NUMBERS: unknown[] = [
  1e308,
  -1e308,
  new Raw('9007199254740993'), // 2**53 + 1: JSON.stringify would round it
  2 ** 53,
  -1,
  0,
  1.5,
  0.001,
  -0.01,
  5e-324,
  2 ** 31,
  new Raw('1e999'), // Infinity after JSON.parse
  new Raw('-1e999'),
  new Raw('-0'),
];

const WRONG: Record<string, unknown[]> = {
  string: [123, true, {}, [], ['a']],
  integer: ['1', '', true, {}, [], [1]],
  number: ['1', '', true, {}, [], [1]],
  boolean: ['true', 1, 0, 'yes', {}, []],
  object: ['x', 1, true, []],
  array: ['x', 1, true, {}],
  any: [],
};

const UUIDS = (real: unknown) => {
  const r = typeof real === 'string' ? real : '3f2b8c1e-0000-4000-8000-000000000001';
  return ['not-a-uuid', r.toUpperCase(), '00000000-0000-0000-0000-000000000000', `{${r}}`, `${r} `, r.replace(/-/g, ''), 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
};
const EMAILS = ['a@', '@b.no', 'a b@c.no', 'ø@æ.no', `${'x'.repeat(300)}@a.no`];

/** Values that differ from the schema's expectations at a leaf. */
function leafValues(s: Schema, name: string, base: unknown): Array<{ kind: string; value: unknown }> {
  const out: Array<{ kind: string; value: unknown }> = [{ kind: 'null', value: null }];
  const seen = new Set<string>(['null']);
  const add = (kind: string, value: unknown) => {
    const key = jsonText(value);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, value });
  };
  for (const v of variants(s).filter((x) => x.type !== 'null')) {
    const t = typeOf(v);
    for (const w of WRONG[t] ?? []) add('wrongType', w);
    if (t === 'integer' || t === 'number') for (const n of NUMBERS) add('number', n);
    if (t === 'string') {
      for (const str of STRINGS) add('string', str);
      if (isDateish(v, name)) for (const d of ODD_DATES) add('oddDate', d);
      if (v.format === 'uuid') for (const u of UUIDS(base)) add('uuid', u);
      if (v.format === 'email') for (const e of EMAILS) add('email', e);
    }
    if (t === 'boolean') add('wrongType', 'false');
    if (t === 'object') add('arrayForObject', [base ?? {}]);
    if (t === 'array') {
      const item = Array.isArray(base) ? base[0] : undefined;
      add('objectForArray', item === undefined ? { 0: 1 } : { 0: item });
      add('array', []);
      add('array', [null]);
      add('array', [123]);
      add('array', [[item ?? 1]]);
      if (item !== undefined) add('array', [item, 'x']);
      if (item !== undefined) add('array', Array.from({ length: 1_001 }, () => item));
    }
    if (t === 'any') {
      add('wrongType', 'x');
      add('wrongType', 1);
      add('wrongType', []);
      add('wrongType', {});
      add('wrongType', true);
    }
  }
  return out;
}

// ---- body cases ------------------------------------------------------------------------------------------------

export interface BodyCase {
  kind: string;
  field: string;
  /** A structural change of the base ... */
  path?: Path;
  value?: unknown;
  remove?: boolean;
  /** ... or raw bytes. */
  raw?: string | Buffer;
  contentType?: string;
  /** Control bodies must refuse this field with 400, naming it. */
  unknownField?: string;
}

export function deepNest(levels: number, open: string, close: string, leaf = '1'): string {
  return open.repeat(levels) + leaf + close.repeat(levels);
}

/** Every leaf mutation of a JSON body, walking the schema alongside the base value. */
export function bodyCases(schema: TSchema, base: unknown): BodyCase[] {
  const cases: BodyCase[] = [];
  const walk = (s: Schema, value: unknown, path: Path, present: boolean) => {
    const r = resolve(s, value);
    const name = String(path[path.length - 1] ?? '');
    if (path.length) for (const { kind, value: v } of leafValues(s, name, value)) cases.push({ kind, field: pathText(path), path, value: v });
    if (!present) return;
    if (typeOf(r) === 'object' && r.properties && value && typeof value === 'object' && !Array.isArray(value)) {
      const obj = value as Record<string, unknown>;
      for (const [key, sub] of Object.entries(r.properties as Record<string, Schema>)) walk(sub, obj[key], [...path, key], key in obj);
      for (const key of (r.required ?? []) as string[]) if (key in obj) cases.push({ kind: 'missing', field: pathText([...path, key]), path: [...path, key], remove: true });
      const extra = [...path, 'fuzzExtra'];
      cases.push({ kind: 'extra', field: pathText(extra), path: extra, value: 1, unknownField: pathText(extra) });
    }
    if (typeOf(r) === 'array' && Array.isArray(value) && value.length && r.items) walk(r.items as Schema, value[0], [...path, 0], true);
  };
  walk(schema as Schema, base, [], true);
  return cases;
}

/** Oddities of the body as a whole. */
export function wholeBodyCases(base: unknown): BodyCase[] {
  const text = jsonText(base);
  const firstKey = base && typeof base === 'object' && !Array.isArray(base) ? Object.keys(base)[0] : undefined;
  const w = (kind: string, raw: string | Buffer, contentType?: string): BodyCase => ({ kind, field: '(body)', raw, ...(contentType ? { contentType } : {}) });
  const cases: BodyCase[] = [
    w('empty', ''),
    w('empty', '   \n'),
    w('jsonScalar', 'null'),
    w('jsonScalar', '"string"'),
    w('jsonScalar', '123'),
    w('jsonScalar', 'true'),
    w('arrayForObject', '[]'),
    w('arrayForObject', `[${text}]`),
    w('emptyObject', '{}'),
    w('malformed', '{'),
    w('malformed', '{"a":'),
    w('malformed', "{'a':1}"),
    w('malformed', text.replace(/}$/, ',}')),
    w('malformed', text.slice(0, Math.floor(text.length / 2))),
    w('malformed', `${text}X`),
    w('malformed', `${text}${text}`),
    w('malformed', 'nul'),
    w('malformed', '{"a":"\u0000"}'), // a raw control character inside a string
    w('malformed', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), // invalid UTF-8
    w('bom', `\uFEFF${text}`),
    w('deep', deepNest(5_000, '[', ']')),
    w('deep', deepNest(5_000, '{"a":', '}')),
    w('deep', deepNest(100_000, '[', ']')),
    w('formBody', 'a=1&b=2', 'application/x-www-form-urlencoded'),
    w('textPlain', text, 'text/plain'),
    w('tooLarge', jsonText({ ...(base && typeof base === 'object' ? base : {}), fuzzPad: 'p'.repeat(1_100_000) })),
  ];
  if (firstKey !== undefined) {
    const obj = base as Record<string, unknown>;
    cases.push(w('deep', `{${JSON.stringify(firstKey)}:${deepNest(5_000, '{"a":', '}')}}`));
    cases.push(w('duplicateKey', text.replace(/^\{/, `{${JSON.stringify(firstKey)}:${jsonText(obj[firstKey])},`)));
    cases.push(w('longString', jsonText({ ...obj, [firstKey]: 'y'.repeat(100_001) })));
    cases.push(w('protoKey', text.replace(/^\{/, '{"__proto__":{"polluted":true},')));
    cases.push(w('protoKey', text.replace(/^\{/, '{"constructor":{"prototype":{"polluted":true}},')));
  }
  return cases;
}

/** Random JSON of bounded size, using the schema's property names now and then. */
export function randomJson(rng: Rng, names: string[], depth = 0): unknown {
  const r = rng();
  if (depth > 3 || r < 0.35) {
    const leaves: unknown[] = [null, true, false, 0, -1, 1.25, 1e308, '', 'x', '2026-02-30', EMOJI.slice(0, 10), '\u0000', 'a'.repeat(300), ...NUMBERS.slice(0, 6)];
    return pick(rng, leaves);
  }
  if (r < 0.6) return Array.from({ length: Math.floor(rng() * 4) }, () => randomJson(rng, names, depth + 1));
  const obj: Record<string, unknown> = {};
  const n = Math.floor(rng() * 5);
  for (let i = 0; i < n; i++) obj[rng() < 0.7 && names.length ? pick(rng, names) : `k${Math.floor(rng() * 1000)}`] = randomJson(rng, names, depth + 1);
  return obj;
}

export function schemaNames(schema: TSchema): string[] {
  const names = new Set<string>();
  const walk = (s: Schema) => {
    for (const v of variants(s)) {
      if (v.properties) for (const [k, sub] of Object.entries(v.properties as Record<string, Schema>)) (names.add(k), walk(sub));
      if (v.items) walk(v.items as Schema);
    }
  };
  walk(schema as Schema);
  return [...names];
}

/** Seeded combinations: 2-3 leaf mutations at once, and random JSON bodies. */
export function randomBodyCases(rng: Rng, schema: TSchema, base: unknown, leaves: BodyCase[], n: number): BodyCase[] {
  const structural = leaves.filter((c) => c.path && c.path.length === 1);
  const names = schemaNames(schema);
  const out: BodyCase[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0 && structural.length > 1) {
      let value = base;
      const used: string[] = [];
      const k = 2 + Math.floor(rng() * 2);
      const chosen = new Set<string>();
      for (let j = 0; j < k; j++) {
        const c = pick(rng, structural);
        if (chosen.has(c.field)) continue;
        chosen.add(c.field);
        value = c.remove ? deleteAt(value, c.path!) : setAt(value, c.path!, c.value);
        used.push(`${c.field}:${c.kind}`);
      }
      out.push({ kind: 'randomCombo', field: used.join('+'), path: [], value });
    } else out.push({ kind: 'randomJson', field: '(body)', path: [], value: randomJson(rng, names) });
  }
  return out;
}

export function bodyText(base: unknown, c: BodyCase): string | Buffer {
  if (c.raw !== undefined) return c.raw;
  if (c.remove) return jsonText(deleteAt(base, c.path!));
  return jsonText(setAt(base, c.path!, c.value));
}

// ---- query cases -----------------------------------------------------------------------------------------------

export interface QueryCase {
  kind: string;
  field: string;
  /** The whole query string, already encoded (no leading '?'). */
  query: string;
}

/** encodeURIComponent, but a lone surrogate (which it refuses) goes as the UTF-8 bytes Buffer makes of it. */
export function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
}
/** Node refuses request heads over 16 KB (a bare 431 before the app sees it): keep an encoded value under 6000. */
function cut(s: string): string {
  let v = s;
  while (enc(v).length > 6_000) v = v.slice(0, Math.floor(v.length * 0.8));
  return v;
}

export const ODATA = [
  'invoiceNo eq',
  '((((',
  'invoiceNo eq 10001 and',
  'noSuchField eq 1',
  'invoiceNo gt 1e308',
  'dueDate lt 2026-02-30',
  "dueDate lt DateTime'2026-13-01T00:00:00'",
  'tolower() eq 1',
  "startswith(code)",
  "substringof('a', code) eq true",
  "unknownfn(code) eq 1",
  'not',
  "code eq '\u0000'",
  'remainingAmount div 0 eq 1',
  'invoiceNo eq null',
  "code eq 'O''Brien'",
  "lastChanged gt 2026-01-05T25:00",
  'invoices/any(i: i/invoiceNo eq 1)',
  '$it eq 1',
  'true',
  '1 eq 1',
  "'a' eq 'a'",
  'id eq 00000000-0000-0000-0000-000000000000',
  'customerCode eq 1 or (invoiceNo eq 2 and not (originalAmount gt 3))',
];
const ORDERBY = ['noSuchField', 'invoiceNo sideways', 'invoiceNo asc desc', ',', 'invoiceNo,,dueDate', ' desc', 'a'.repeat(600)];

function queryValues(s: Schema, name: string, base: string | undefined): Array<{ kind: string; value: string }> {
  const out: Array<{ kind: string; value: string }> = [];
  const t = typeOf(s);
  const add = (kind: string, value: string) => out.push({ kind, value: enc(cut(value)) });
  // (a value is cut so the whole request head stays under Node's 16 KB limit)
  if (t === 'integer' || t === 'number')
    for (const v of ['abc', '1.5', '-1', '1e308', '-1e308', '9007199254740993', '', '  ', '0x10', 'NaN', 'Infinity', 'null', 'true', '[]', '0', '💸']) add('number', v);
  else if (t === 'boolean') for (const v of ['maybe', '2', '', 'null', 'TRUE', 'yes', '[]']) add('boolean', v);
  else if (t === 'array') {
    for (const v of ['abc', '1-2-3', '-5', '1e5', ',,,', '99999999999999999999999999-', '5-1', ' 1 - 2 ', '1--', '\u0000']) add('ranges', v);
    add('ranges', Array.from({ length: 1_500 }, (_, i) => String(i)).join(','));
  } else {
    for (const v of STRINGS) add('string', v);
    add('string', 'z'.repeat(5_000));
    if (isDateish(s, name)) for (const d of ODD_DATES) add('oddDate', d);
    if (s.format === 'uuid') for (const u of UUIDS(base)) add('uuid', u);
    if (name === '$filter') for (const f of ODATA) add('odata', f);
    if (name === '$orderby') for (const f of ORDERBY) add('odata', f);
  }
  out.push({ kind: 'badEscape', value: '%zz' }, { kind: 'badEscape', value: '%' }, { kind: 'nul', value: '%00' });
  return out;
}

function qs(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export function queryCases(schema: TSchema, base: Record<string, string>, agencyFace: boolean): QueryCase[] {
  const props = ((schema as Schema).properties ?? {}) as Record<string, Schema>;
  const required = new Set(((schema as Schema).required ?? []) as string[]);
  const basePairs = Object.entries(base).map(([k, v]) => [enc(k), enc(v)] as [string, string]);
  const without = (key: string) => basePairs.filter(([k]) => k !== enc(key));
  const cases: QueryCase[] = [];
  for (const [name, s] of Object.entries(props)) {
    for (const { kind, value } of queryValues(resolve(s, base[name]), name, base[name])) cases.push({ kind, field: name, query: qs([...without(name), [enc(name), value]]) });
    cases.push({ kind: 'repeated', field: name, query: qs([...without(name), [enc(name), '1'], [enc(name), 'abc']]) });
    cases.push({ kind: 'bracketKey', field: name, query: qs([...without(name), [`${enc(name)}%5B%5D`, 'abc']]) });
    if (agencyFace) cases.push({ kind: 'caseKey', field: name, query: qs([...without(name), [enc(name.toLowerCase() === name ? name.toUpperCase() : name.toLowerCase()), 'abc%00']]) });
    if (required.has(name)) cases.push({ kind: 'missing', field: name, query: qs(without(name)) });
  }
  cases.push({ kind: 'extra', field: 'fuzzExtra', query: qs([...basePairs, ['fuzzExtra', '%00']]) });
  cases.push({ kind: 'protoKey', field: '__proto__', query: qs([...basePairs, ['__proto__', '1'], ['constructor', '1']]) });
  cases.push({ kind: 'junk', field: '(query)', query: '&&&=&=x&%zz=%zz' });
  cases.push({ kind: 'junk', field: '(query)', query: `${qs(basePairs)}&${'k'.repeat(4_000)}=1` });
  return cases;
}

export function randomQueryCases(rng: Rng, schema: TSchema, base: Record<string, string>, n: number): QueryCase[] {
  const props = Object.entries(((schema as Schema).properties ?? {}) as Record<string, Schema>);
  const out: QueryCase[] = [];
  for (let i = 0; i < n && props.length; i++) {
    const pairs: Array<[string, string]> = Object.entries(base).map(([k, v]) => [enc(k), enc(v)]);
    const used: string[] = [];
    for (let j = 0; j < 2; j++) {
      const [name, s] = pick(rng, props);
      const values = queryValues(resolve(s, base[name]), name, base[name]);
      const v = pick(rng, values);
      const at = pairs.findIndex(([k]) => k === enc(name));
      if (at >= 0) pairs.splice(at, 1);
      pairs.push([enc(name), v.value]);
      used.push(`${name}:${v.kind}`);
    }
    out.push({ kind: 'randomCombo', field: used.join('+'), query: qs(pairs) });
  }
  return out;
}

// ---- path parameter cases --------------------------------------------------------------------------------------

export interface ParamCase {
  kind: string;
  field: string;
  /** Every path parameter as an encoded segment. */
  params: Record<string, string>;
}

function paramValues(s: Schema, name: string, base: string): Array<{ kind: string; segment: string }> {
  const out: Array<{ kind: string; segment: string }> = [];
  const add = (kind: string, value: string) => out.push({ kind, segment: enc(value) });
  add('string', ' ');
  add('string', 'a'.repeat(5_000));
  add('string', '💸🧾');
  add('string', '\u202Eevil');
  add('string', 'a\u0000b');
  add('string', 'a/b');
  add('string', '__proto__');
  add('string', 'constructor');
  for (const v of ['null', 'undefined', '-1', '0', '1.5', '1e308', '9007199254740993', 'abc', 'true', '00000000-0000-0000-0000-000000000000']) add('value', v);
  add('caseChanged', base.toUpperCase() === base ? base.toLowerCase() : base.toUpperCase());
  add('padded', `${base} `);
  add('padded', ` ${base}`);
  if (isDateish(s, name)) for (const d of ODD_DATES.filter((x) => x.trim() !== '')) add('oddDate', d);
  out.push({ kind: 'badEscape', segment: '%zz' }, { kind: 'badEscape', segment: '%' }, { kind: 'badEscape', segment: '%E0%A4%A' }, { kind: 'nul', segment: '%00' });
  return out;
}

export function paramCases(schema: TSchema, base: Record<string, string>): ParamCase[] {
  const props = ((schema as Schema).properties ?? {}) as Record<string, Schema>;
  const baseEncoded = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, enc(v)]));
  const cases: ParamCase[] = [];
  for (const [name, s] of Object.entries(props))
    for (const { kind, segment } of paramValues(s, name, base[name] ?? '')) cases.push({ kind, field: name, params: { ...baseEncoded, [name]: segment } });
  return cases;
}
