/**
 * Reading a scenario file: YAML or JSON, checked against the scenario schema and then for sense (one action per
 * step, refs defined before use, real dates, a clock that never goes back). Every problem is reported with its
 * file position, and nothing runs while there is one.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { Scenario, ACTION_KEYS, type ScenarioFile, type ScenarioStepT } from '../../contracts/schemas/scenario.js';
import type { TSchema } from '@sinclair/typebox';
import { check } from '../http/core/validation.js';
import { editDistance } from '../../contracts/edit-distance.js';
import { addToMoment, dateProblem, resolveMoment } from './moments.js';

export interface ScenarioProblem {
  /** JSON path in the file: timeline[3].approve[0] */
  path: string;
  line: number | null;
  column: number | null;
  message: string;
}

export class ScenarioFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ScenarioProblem[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((p) => `  ${source}${p.line ? `:${p.line}:${p.column}` : ''} ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'ScenarioFileError';
  }
}

type Path = Array<string | number>;

/** timeline[3].approve[0] for ['timeline', 3, 'approve', 0]. */
export function pathText(path: Path): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function parsePath(field: string): Path {
  const out: Path = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

export function parseScenario(text: string, source: string): ScenarioFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const position = (path: Path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return { line: null, column: null };
  };
  if (doc.errors.length) {
    throw new ScenarioFileError(
      source,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { path: '(file)', line: pos.line, column: pos.col, message: e.message.split('\n')[0]! };
      }),
    );
  }
  const value = doc.toJS() as unknown;
  // Every problem in one pass: the schema's, then sense (refs, dates, clock, expectations) on whatever parsed.
  const schemaProblems: ScenarioProblem[] = check(Scenario, value, '').map((p) => {
    const path = parsePath(p.field);
    return { path: p.field, ...position(path), message: p.reason === 'is not a known field' ? unknownKeyMessage(path) : p.reason };
  });
  let semantic: ScenarioProblem[] = [];
  try {
    semantic = semanticProblems(value as ScenarioFile).map((p) => ({ path: pathText(p.path), ...position(p.path), message: p.message }));
  } catch {
    // A shape too broken to walk: the schema problems already say why.
  }
  // A step whose only action is misspelt would also "do nothing": the schema problem inside it says more.
  const covered = (path: string) =>
    schemaProblems.some((q) => q.path === path || q.path.startsWith(`${path}.`) || q.path.startsWith(`${path}[`));
  const problems = [...schemaProblems, ...semantic.filter((p) => !covered(p.path))].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  if (problems.length) throw new ScenarioFileError(source, problems);
  return value as ScenarioFile;
}

/** The keys the schema allows at a path (through arrays and every branch of a union). */
function allowedKeys(schema: TSchema, path: Path): string[] {
  let at: TSchema[] = [schema];
  const branches = (list: TSchema[]): TSchema[] => list.flatMap((t) => (t.anyOf ? branches(t.anyOf as TSchema[]) : [t]));
  for (const step of path) {
    at = branches(at).flatMap((t) => {
      if (typeof step === 'number') return t.items ? [t.items as TSchema] : [];
      const prop = (t.properties as Record<string, TSchema> | undefined)?.[step];
      return prop ? [prop] : [];
    });
  }
  return [...new Set(branches(at).flatMap((t) => Object.keys((t.properties as Record<string, TSchema> | undefined) ?? {})))];
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.c : undefined;
}

function unknownKeyMessage(path: Path): string {
  const key = path[path.length - 1];
  const guess = typeof key === 'string' ? closest(key, allowedKeys(Scenario, path.slice(0, -1))) : undefined;
  return `is not a known field${guess ? `; did you mean '${guess}'?` : ''}`;
}

const INVOICE_STATUSES = ['None', 'Draft', 'OnHold', 'Approved', 'Exported', 'Rejected'];
const CASE_STATUSES = ['Active', 'Closed'];

/** What is wrong with an expectation sentence, read as the runner reads it; undefined when it is fine. */
function sentenceProblem(text: string): string | undefined {
  const usage =
    "use 'invoice <ref> is <Status>', 'invoice <ref> open amount is <NOK>', 'case <ref> is <Active|Closed>' or 'ledger balances'";
  const status = (kind: 'invoice' | 'case', given: string, known: string[]) => {
    if (known.includes(given)) return undefined;
    const guess = closest(given, known);
    return (
      `'${given}' is not ${kind === 'invoice' ? 'an invoice' : 'a case'} status${guess ? `; did you mean ${guess}?` : ''} ` +
      `(${known.join(', ')})`
    );
  };
  let m: RegExpExecArray | null;
  if ((m = /^invoice\s+\S+\s+is\s+(\w+)$/.exec(text))) return status('invoice', m[1]!, INVOICE_STATUSES);
  if (/^invoice\s+\S+\s+open amount is\s+[\d.]+$/.test(text)) return undefined;
  if ((m = /^case\s+\S+\s+is\s+(\w+)$/.exec(text))) return status('case', m[1]!, CASE_STATUSES);
  if (/^ledger balances$/.test(text)) return undefined;
  return `cannot read '${text}': ${usage}`;
}

export async function loadScenarioFile(file: string): Promise<ScenarioFile> {
  return parseScenario(await readFile(file, 'utf8'), file);
}

interface Problem {
  path: Path;
  message: string;
}

type Kind = 'customer' | 'invoice' | 'case' | 'integration' | 'writeOff' | 'payment' | 'snapshot';

/** Every date that must be real, with where it is. */
function* dates(value: unknown, path: Path): Generator<{ path: Path; value: string }> {
  if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* dates(v, [...path, i]);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && ['at', 'due', 'invoiceDate', 'date', 'fromInvoiceDate', 'today', 'start'].includes(k))
        yield { path: [...path, k], value: v };
      else yield* dates(v, [...path, k]);
    }
}

export function semanticProblems(s: ScenarioFile): Problem[] {
  const problems: Problem[] = [];
  for (const d of dates(s, [])) {
    const p = dateProblem(d.value);
    if (p) problems.push({ path: d.path, message: p });
  }
  const defined: Record<Kind, Set<string>> = {
    customer: new Set(),
    invoice: new Set(),
    case: new Set(),
    integration: new Set(),
    writeOff: new Set(),
    payment: new Set(),
    snapshot: new Set(),
  };
  const define = (kind: Kind, ref: string | undefined, path: Path) => {
    if (!ref) return;
    if (defined[kind].has(ref)) problems.push({ path, message: `${kind} '${ref}' is defined twice` });
    defined[kind].add(ref);
  };
  const use = (kind: Kind, ref: string | undefined, path: Path) => {
    if (ref !== undefined && !defined[kind].has(ref))
      problems.push({
        path,
        message: `unknown ${kind} '${ref}'${defined[kind].size ? ` (known: ${[...defined[kind]].join(', ')})` : ''}`,
      });
  };
  const useAll = (kind: Kind, refs: readonly string[] | string | undefined, path: Path) => {
    if (Array.isArray(refs)) refs.forEach((r, i) => use(kind, r, [...path, i]));
  };

  if (s.integrations) s.integrations.forEach((i, k) => define('integration', i.ref, ['integrations', k, 'ref']));
  else defined.integration.add('default');
  for (const [k, c] of (s.customers ?? []).entries()) define('customer', c.ref, ['customers', k, 'ref']);
  for (const [k, inv] of (s.invoices ?? []).entries()) {
    use('customer', inv.customer, ['invoices', k, 'customer']);
    define('invoice', inv.ref, ['invoices', k, 'ref']);
  }
  const settingsRefs = (settings: ScenarioFile['settings'], path: Path) => {
    if (!settings) return;
    use('integration', settings.autoApprove?.integration, [...path, 'autoApprove', 'integration']);
    use('integration', settings.caseCreatingIntegration, [...path, 'caseCreatingIntegration']);
  };
  settingsRefs(s.settings, ['settings']);

  let clock = resolveMoment('0d', s.start);
  for (const [i, step] of s.timeline.entries()) {
    const at: Path = ['timeline', i];
    const actions = ACTION_KEYS.filter((k) => step[k] !== undefined);
    if (actions.length > 1) problems.push({ path: at, message: `does ${actions.join(' and ')}; a step does one thing` });
    if (actions.length === 0 && !step.expect)
      problems.push({ path: at, message: `does nothing: give one of ${ACTION_KEYS.join(', ')}, or expect` });
    if (step.expectError && actions.length === 0)
      problems.push({ path: [...at, 'expectError'], message: 'needs an action in the same step' });
    const fails = Boolean(step.expectError);
    const defineHere = (kind: Kind, ref: string | undefined, path: Path) => (fails ? undefined : define(kind, ref, path));
    stepRefs(step, at, { use, useAll, define: defineHere, settingsRefs, report: (path, message) => problems.push({ path, message }) });
    if (step.advance) {
      const { days = 0, hours = 0, minutes = 0 } = step.advance;
      clock = addToMoment(clock, days, hours * 60 + minutes);
    }
    if (step.at !== undefined && dateProblem(step.at) === undefined) {
      const target = resolveMoment(step.at, s.start);
      if (target < clock)
        problems.push({
          path: [...at, 'at'],
          message: `moves the clock back to ${target} (it is at ${clock} by then); time only moves forward`,
        });
      else clock = target;
    }
    for (const [k, e] of (step.expect ?? []).entries()) {
      if (typeof e === 'string') {
        const m = /\s+on\s+(\S+)$/.exec(e);
        if (m) {
          const target = resolveMoment(m[1]!, s.start);
          if (target < clock)
            problems.push({
              path: [...at, 'expect', k],
              message: `checks at ${target}, before the clock (${clock}); time only moves forward`,
            });
          else clock = target;
        }
        const ref = /^(invoice|case)\s+(\S+)/.exec(e);
        if (ref) use(ref[1] as Kind, ref[2], [...at, 'expect', k]);
        const wrong = sentenceProblem(m ? e.slice(0, m.index) : e);
        if (wrong) problems.push({ path: [...at, 'expect', k], message: wrong });
      } else {
        const o = e as Record<string, unknown>;
        use('invoice', o.invoice as string | undefined, [...at, 'expect', k, 'invoice']);
        use('case', (o.case as string | undefined) ?? undefined, [...at, 'expect', k, 'case']);
        use('invoice', o.matchedItems as string | undefined, [...at, 'expect', k, 'matchedItems']);
        use('customer', o.customerLedger as string | undefined, [...at, 'expect', k, 'customerLedger']);
        use('integration', o.as as string | undefined, [...at, 'expect', k, 'as']);
        useAll('invoice', o.available as string[] | undefined, [...at, 'expect', k, 'available']);
        if (Array.isArray(o.invoices)) useAll('invoice', o.invoices as string[], [...at, 'expect', k, 'invoices']);
      }
    }
  }
  return problems;
}

interface RefRules {
  use(kind: Kind, ref: string | undefined, path: Path): void;
  useAll(kind: Kind, refs: readonly string[] | string | undefined, path: Path): void;
  define(kind: Kind, ref: string | undefined, path: Path): void;
  settingsRefs(settings: ScenarioFile['settings'], path: Path): void;
  report(path: Path, message: string): void;
}

const AGENCY_CALLS = ['createCase', 'addInvoices', 'mergeCases', 'updateStatus', 'rejectCase', 'bankJournal', 'manualJournal'] as const;

/** The refs an object in a step names: fields with one ref (use), fields with a list (useAll), and its own `ref` (define). */
interface RefFields {
  use?: Record<string, Kind>;
  useAll?: Record<string, Kind>;
  define?: Kind;
}

/** Step objects and their ref fields, in the order they are checked. */
const STEP_REFS: Partial<Record<keyof ScenarioStepT, RefFields>> = {
  override: { useAll: { invoices: 'invoice' } },
  customer: { define: 'customer' },
  updateCustomer: { use: { customer: 'customer' } },
  invoice: { use: { customer: 'customer' }, define: 'invoice' },
  creditNote: { use: { invoice: 'invoice' }, define: 'invoice' },
  payment: { use: { invoice: 'invoice' } },
};
const LATER_STEP_REFS: typeof STEP_REFS = {
  writeOff: { useAll: { invoices: 'invoice' }, define: 'writeOff' },
  reverseWriteOff: { use: { writeOff: 'writeOff' } },
};
const AGENCY_REFS: Partial<Record<(typeof AGENCY_CALLS)[number], RefFields>> = {
  createCase: { useAll: { invoices: 'invoice' }, define: 'case' },
  addInvoices: { use: { case: 'case' }, useAll: { invoices: 'invoice' } },
  mergeCases: { useAll: { cases: 'case' }, define: 'case' },
  updateStatus: { use: { case: 'case' } },
  rejectCase: { use: { case: 'case' } },
};

/** Check the ref fields of each object of `owner` the table names (uses before the define of the same object). */
function refFields(owner: object, table: Record<string, RefFields>, at: Path, rules: RefRules): void {
  for (const [key, fields] of Object.entries(table)) {
    const o = (owner as Record<string, Record<string, unknown> | undefined>)[key];
    if (!o) continue;
    for (const [field, kind] of Object.entries(fields.use ?? {})) rules.use(kind, o[field] as string | undefined, [...at, key, field]);
    for (const [field, kind] of Object.entries(fields.useAll ?? {}))
      rules.useAll(kind, o[field] as string[] | string | undefined, [...at, key, field]);
    if (fields.define) rules.define(fields.define, o.ref as string | undefined, [...at, key, 'ref']);
  }
}

function stepRefs(step: ScenarioStepT, at: Path, rules: RefRules): void {
  const { use, useAll, define, settingsRefs, report } = rules;
  for (const k of ['approve', 'hold', 'release', 'remove'] as const) useAll('invoice', step[k], [...at, k]);
  refFields(step, STEP_REFS, at, rules);
  if (step.payment) {
    for (const [i, l] of (step.payment.lines ?? []).entries()) {
      use('invoice', l.invoice, [...at, 'payment', 'lines', i, 'invoice']);
      useAll('invoice', l.invoices, [...at, 'payment', 'lines', i, 'invoices']);
    }
    define('payment', step.payment.ref, [...at, 'payment', 'ref']);
  }
  refFields(step, LATER_STEP_REFS, at, rules);
  if (step.settings) settingsRefs(step.settings, [...at, 'settings']);
  if (step.integration) define('integration', step.integration.ref, [...at, 'integration', 'ref']);
  if (step.switchAgency) use('integration', step.switchAgency, [...at, 'switchAgency']);
  if (step.snapshot) define('snapshot', step.snapshot, [...at, 'snapshot']);
  const a = step.agency;
  if (a) {
    const p = [...at, 'agency'];
    use('integration', a.as, [...p, 'as']);
    refFields(a, AGENCY_REFS, p, rules);
    for (const [i, l] of (a.bankJournal?.lines ?? []).entries()) {
      use('invoice', l.invoice, [...p, 'bankJournal', 'lines', i, 'invoice']);
      use('customer', l.customer, [...p, 'bankJournal', 'lines', i, 'customer']);
    }
    const calls = AGENCY_CALLS.filter((k) => a[k] !== undefined);
    if (calls.length !== 1)
      report(
        p,
        calls.length ? `makes ${calls.join(' and ')}; one agency call per step` : `names no agency call (${AGENCY_CALLS.join(', ')})`,
      );
  }
}
