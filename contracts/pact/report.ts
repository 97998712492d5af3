/**
 * The verifier's results as a report an agency can act on: one line per interaction ("✓/✗ <description> (given
 * <state>)") and, for a failure, exactly what differs (the verifier's own mismatch messages, made plainer where
 * they are cryptic, plus what the sandbox answered), as text and as JUnit XML.
 */
import { relative } from 'node:path';
import { statesTitle, verifierKey, type PactFile, type PactInteraction } from './pact-file.js';
import type { CapturedResponse, InteractionRun } from './session.js';
import { editDistance } from '../edit-distance.js';
import { WARNING_EVIDENCE, type PortabilityWarning, type WarningCode } from '../../sandbox/http/core/warnings.js';

/** The warnings of an interaction's answers, once each, with the evidence behind each code. */
function warningsOf(responses: readonly CapturedResponse[] | undefined): PortabilityWarning[] {
  const seen = new Map<string, PortabilityWarning>();
  for (const r of responses ?? [])
    for (const w of r.warnings ?? [])
      seen.set(`${w.code} ${w.message}`, {
        code: w.code as WarningCode,
        message: w.message,
        evidence: WARNING_EVIDENCE[w.code as WarningCode] ?? 'see GET /_sandbox/fidelity',
      });
  return [...seen.values()];
}

export interface Mismatch {
  kind: 'status' | 'header' | 'body' | 'query' | 'method' | 'path' | 'metadata' | 'error' | 'state';
  /** JSON path, header or query parameter the mismatch is at. */
  at: string | null;
  /** The readable line. */
  message: string;
  /** The verifier's own words, when they differ from `message`. */
  verifier: string | null;
  /** What the sandbox answered, or a hint (route suggestions). */
  notes: string[];
}

export interface InteractionOutcome {
  file: string;
  consumer: string;
  provider: string;
  description: string;
  given: string | null;
  request: { method: string; path: string };
  outcome: 'passed' | 'failed' | 'pending';
  durationMs: number | null;
  clientId: string | null;
  mismatches: Mismatch[];
  /** Portability warnings the sandbox gave on this interaction's requests: it passed here, but may not on the real API. */
  warnings: PortabilityWarning[];
}

export interface VerificationReport {
  ok: boolean;
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  pacts: Array<{ file: string; consumer: string; provider: string; specVersion: string; interactions: number }>;
  interactions: InteractionOutcome[];
  /** Files in a folder that are not pacts. */
  skipped: string[];
  /** Verifier failures that could not be tied to an interaction of the pacts (they fail the run). */
  unmatched: string[];
  sandboxVersion: string;
}

// ---- the verifier's results JSON -------------------------------------------------------------------------

interface RawMismatch {
  type?: string;
  path?: string;
  key?: string;
  parameter?: string;
  expected?: unknown;
  actual?: unknown;
  mismatch?: string;
}

interface RawError {
  interaction?: string;
  mismatch?: { type?: string; message?: string; mismatches?: RawMismatch[]; interactionId?: string };
}

export interface VerifierResults {
  result?: boolean;
  errors?: RawError[];
  pendingErrors?: RawError[];
  interactionResults?: Array<{ description?: string; duration?: string; result?: string }>;
  notices?: unknown[];
  output?: string[];
}

export function parseVerifierResults(text: string): VerifierResults | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && ('errors' in parsed || 'interactionResults' in parsed)
      ? (parsed as VerifierResults)
      : undefined;
  } catch {
    return undefined;
  }
}

const TYPE_WORDS: Record<string, string> = {
  String: 'a string',
  Integer: 'a number',
  Decimal: 'a number',
  Number: 'a number',
  Boolean: 'a boolean',
  Array: 'an array',
  List: 'an array',
  Map: 'an object',
  Object: 'an object',
  Null: 'null',
};

const typeWord = (t: string) => TYPE_WORDS[t] ?? `a ${t.toLowerCase()}`;
const quoted = (v: string) => v.replace(/^'(.*)'$/s, '"$1"');

/** The verifier's body wording, made plain: "expected a string (like "1250.00") but got a number: 1250". */
export function plainBodyMismatch(text: string): string | null {
  const sameType = /^Expected (.+) \((\w+)\) to be the same type as (.+) \((\w+)\)$/s.exec(text);
  if (sameType) {
    const [, actual, actualType, expected, expectedType] = sameType;
    return (
      `expected ${typeWord(expectedType!)}${expectedType === 'Null' ? '' : ` (like ${quoted(expected!)})`}` +
      ` but got ${typeWord(actualType!)}${actualType === 'Null' ? '' : `: ${quoted(actual!)}`}`
    );
  }
  const equal = /^Expected (.+) \((\w+)\) to be equal to (.+) \((\w+)\)$/s.exec(text);
  if (equal) return `expected ${quoted(equal[3]!)} but got ${quoted(equal[1]!)}`;
  const regex = /^Expected '(.*)' to match '(.*)'$/s.exec(text);
  if (regex) return `expected a value matching /${regex[2]}/ but got "${regex[1]}"`;
  return null;
}

function fromRaw(m: RawMismatch): Mismatch {
  const raw = m.mismatch ?? JSON.stringify(m);
  switch (m.type) {
    case 'StatusMismatch':
      return {
        kind: 'status',
        at: null,
        message: `status: expected ${String(m.expected)} but was ${String(m.actual)}`,
        verifier: null,
        notes: [],
      };
    case 'HeaderMismatch':
      return { kind: 'header', at: m.key ?? null, message: `header ${m.key ?? '?'}: ${raw}`, verifier: null, notes: [] };
    case 'QueryMismatch':
      return { kind: 'query', at: m.parameter ?? null, message: `query ${m.parameter ?? '?'}: ${raw}`, verifier: null, notes: [] };
    case 'BodyTypeMismatch':
      return { kind: 'body', at: null, message: `body: ${raw}`, verifier: null, notes: [] };
    case 'BodyMismatch': {
      const plain = plainBodyMismatch(raw);
      return {
        kind: 'body',
        at: m.path ?? null,
        message: `${m.path ?? 'body'}: ${plain ?? raw}`,
        verifier: plain ? raw : null,
        notes: [],
      };
    }
    case 'MethodMismatch':
      return { kind: 'method', at: null, message: `method: ${raw}`, verifier: null, notes: [] };
    case 'PathMismatch':
      return { kind: 'path', at: null, message: `path: ${raw}`, verifier: null, notes: [] };
    case 'MetadataMismatch':
      return { kind: 'metadata', at: m.key ?? null, message: `metadata ${m.key ?? ''}: ${raw}`, verifier: null, notes: [] };
    default:
      return { kind: 'error', at: null, message: raw, verifier: null, notes: [] };
  }
}

function mismatchesOf(error: RawError): Mismatch[] {
  const m = error.mismatch;
  if (m?.type === 'mismatches' && Array.isArray(m.mismatches)) {
    const order: Record<string, number> = { status: 0, header: 1, body: 2 };
    return m.mismatches.map(fromRaw).sort((a, b) => (order[a.kind] ?? 3) - (order[b.kind] ?? 3));
  }
  return [{ kind: 'error', at: null, message: `the request failed: ${m?.message ?? JSON.stringify(m)}`, verifier: null, notes: [] }];
}

// ---- what the sandbox said -------------------------------------------------------------------------------

/** The sandbox's own reason in an error body (v1 envelope, ProblemDetails, APIM, OAuth). */
export function sandboxReason(body: string): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return body.trim() ? body.trim().slice(0, 300) : null;
  }
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as Record<string, any>;
  // Field reasons, unless the summary already says them.
  const fields = (f: unknown, said: string) => {
    if (!f || typeof f !== 'object') return '';
    const extra = Object.entries(f as Record<string, unknown>)
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)] as const)
      .filter(([, text]) => !said.includes(text));
    return extra.length ? ` (${extra.map(([k, text]) => `${k}: ${text}`).join('; ')})` : '';
  };
  if (d.validation?.summary) return `${d.validation.summary}${fields(d.validation.fields, d.validation.summary)}`;
  if (typeof d.detail === 'string') return `${d.detail}${fields(d.errors, d.detail)}`;
  if (typeof d.error_description === 'string') return `${d.error}: ${d.error_description}`;
  if (typeof d.message === 'string') return d.message;
  if (typeof d.Message === 'string') return d.Message;
  if (Array.isArray(d.details)) return d.details.join('; ');
  return null;
}

export interface Route {
  method: string;
  path: string;
}

function routeRegex(template: string): RegExp {
  const body = template
    .split(/(\{\w+\})/)
    .map((p) => (/^\{\w+\}$/.test(p) ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^(/demo)?${body}/?$`, 'i');
}

/** For a path no endpoint answers: the closest documented one. */
export function routeHint(method: string, path: string, routes: Route[]): string | null {
  const bare = path.split('?')[0]!;
  if (routes.some((r) => r.method === method && routeRegex(r.path).test(bare))) return null;
  const other = routes.filter((r) => r.method !== method && routeRegex(r.path).test(bare));
  if (other.length) return `${bare} answers ${[...new Set(other.map((r) => r.method))].join(', ')}, not ${method}`;
  const segments = bare.split('/');
  let best: { route: Route; d: number } | undefined;
  for (const r of routes) {
    if (r.method !== method || r.path.startsWith('/_sandbox')) continue;
    const t = r.path.split('/');
    // Compare with the template's parameters filled from the request, so an id does not count as a difference.
    const filled = t.length === segments.length ? t.map((s, i) => (/^\{\w+\}$/.test(s) ? segments[i]! : s)).join('/') : r.path;
    const d = editDistance(bare.toLowerCase(), filled.toLowerCase());
    if (!best || d < best.d) best = { route: r, d };
  }
  return best && best.d <= Math.max(3, Math.round(bare.length * 0.3))
    ? `did you mean ${best.route.method} ${best.route.path}?`
    : `no endpoint answers ${method} ${bare} (GET /openapi.json on a running sandbox lists the paths)`;
}

function notesFor(mismatch: Mismatch, response: CapturedResponse | undefined, interaction: PactInteraction, routes: Route[]): string[] {
  if (mismatch.kind !== 'status') return [];
  const notes: string[] = [];
  if (response) {
    const reason = sandboxReason(response.body);
    // The server's own "did you mean" is left out: the route hint below says it once, in verify's words.
    if (reason) notes.push(`the sandbox answered ${response.status}: ${reason.replace(/; did you mean [^;]*\?$/, '')}`);
  }
  if (mismatch.message.endsWith('was 404') || mismatch.message.endsWith('was 405')) {
    const path = response?.path ?? interaction.request.path;
    const hint = routeHint(interaction.request.method, path, routes);
    if (hint) notes.push(hint);
    else if (!interaction.pathFromState && /\/([0-9a-f]{8}-[0-9a-f-]{27}|\d+)(\/|\?|$)/i.test(path))
      notes.push(
        "the id in this path is the pact's own example, and every interaction runs on a fresh client with new ids: write the path as " +
          "a provider-state expression, e.g. fromProviderState('/DebtCollection/MatchedItems/${invoiceId}', …) (see " +
          'contracts/provider-states.md)',
      );
  }
  return notes;
}

// ---- building the report ---------------------------------------------------------------------------------

const ms = (duration: string | undefined): number | null => {
  if (!duration) return null;
  const m = /^([\d.]+)\s*(ms|s|µs|us|ns)$/.exec(duration.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return Math.round(m[2] === 's' ? n * 1000 : m[2] === 'ms' ? n : n / 1000);
};

const isOk = (result: { result?: string } | undefined) => /^ok$/i.test(result?.result ?? '');

export function buildReport(input: {
  pacts: PactFile[];
  results: VerifierResults;
  runs: InteractionRun[];
  routes: Route[];
  skipped: string[];
  durationMs: number;
  sandboxVersion: string;
}): VerificationReport {
  const { pacts, results, runs, routes } = input;
  const all = pacts.flatMap((p) => p.interactions);
  const ran = results.interactionResults ?? [];
  // The verifier runs the interactions in file order; when its list agrees, runs and durations line up by index.
  const inOrder = ran.length === all.length && ran.every((r, i) => r.description === all[i]!.description);
  const byIndex = inOrder && runs.length === all.length;

  const failures = new Map<PactInteraction, { mismatches: Mismatch[]; pending: boolean }>();
  const unmatched: string[] = [];
  // Two pact files can hold the same interaction (a fixed copy beside the original): when the verifier's list is
  // in file order, an error goes to an interaction the verifier itself marked failed before any same-named one.
  const failedInRun = new Set(inOrder ? all.filter((_, i) => !isOk(ran[i])) : []);
  const assign = (errors: RawError[] | undefined, pending: boolean) => {
    for (const error of errors ?? []) {
      const key = error.interaction ?? '';
      const exact = (i: PactInteraction) => verifierKey(i) === key;
      const candidates = all.filter(
        (i) => !failures.has(i) && (exact(i) || (key.endsWith(` - ${i.description}`) && key.includes(` ${i.consumer} and ${i.provider}`))),
      );
      const target = candidates.find((i) => failedInRun.has(i)) ?? candidates.find(exact) ?? candidates[0];
      if (target) failures.set(target, { mismatches: mismatchesOf(error), pending });
      else if (!pending)
        unmatched.push(
          `${key}: ${mismatchesOf(error)
            .map((m) => m.message)
            .join('; ')}`,
        );
    }
  };
  assign(results.errors, false);
  assign(results.pendingErrors, true);

  const interactions: InteractionOutcome[] = all.map((interaction, index) => {
    const run = byIndex ? runs[index] : undefined;
    const result = inOrder ? ran[index] : ran.find((r) => r.description === interaction.description);
    const failure = failures.get(interaction);
    const mismatches: Mismatch[] = [];
    for (const e of run?.setupErrors ?? []) mismatches.push({ kind: 'state', at: null, message: e, verifier: null, notes: [] });
    const lastResponse = run?.responses.at(-1);
    for (const m of failure?.mismatches ?? []) mismatches.push({ ...m, notes: notesFor(m, lastResponse, interaction, routes) });
    if (!failure && result && !isOk(result) && !run?.setupErrors.length)
      mismatches.push({
        kind: 'error',
        at: null,
        message: `the verifier reports ${result.result ?? 'a failure'} without details (run with --verifier-output to see its log)`,
        verifier: null,
        notes: [],
      });
    const failed = mismatches.length > 0;
    return {
      file: interaction.file,
      consumer: interaction.consumer,
      provider: interaction.provider,
      description: interaction.description,
      given: interaction.states.length ? statesTitle(interaction, run?.values) : null,
      request: { method: interaction.request.method, path: lastResponse?.path ?? interaction.request.path },
      outcome: !failed ? 'passed' : failure?.pending || interaction.pending ? 'pending' : 'failed',
      durationMs: ms(result?.duration),
      clientId: run?.clientId ?? null,
      mismatches,
      warnings: warningsOf(run?.responses),
    };
  });

  const count = (o: InteractionOutcome['outcome']) => interactions.filter((i) => i.outcome === o).length;
  const failed = count('failed');
  return {
    ok: failed === 0 && unmatched.length === 0 && !(results.result === false && count('pending') === 0),
    passed: count('passed'),
    failed,
    pending: count('pending'),
    durationMs: input.durationMs,
    pacts: pacts.map((p) => ({
      file: p.file,
      consumer: p.consumer,
      provider: p.provider,
      specVersion: p.specVersion,
      interactions: p.interactions.length,
    })),
    interactions,
    skipped: input.skipped,
    unmatched,
    sandboxVersion: input.sandboxVersion,
  };
}

// ---- text ------------------------------------------------------------------------------------------------

export interface FormatOptions {
  color?: boolean;
  cwd?: string;
}

export function formatReport(report: VerificationReport, options: FormatOptions = {}): string {
  const c = (code: string) => (s: string) => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const [green, red, yellow, dim, bold] = [c('32'), c('31'), c('33'), c('2'), c('1')];
  const where = (f: string) => relative(options.cwd ?? process.cwd(), f) || f;
  const lines: string[] = [];
  const total = report.interactions.length;
  lines.push(
    `Verifying ${total} interaction${total === 1 ? '' : 's'} from ${report.pacts.length} pact${report.pacts.length === 1 ? '' : 's'} ` +
      `against inkasso-sandbox ${report.sandboxVersion} (in-process, a fresh client per interaction)`,
  );
  for (const pact of report.pacts) {
    lines.push('');
    lines.push(`${bold(`${pact.consumer} → ${pact.provider}`)}  ${dim(`${where(pact.file)} (pact ${pact.specVersion})`)}`);
    for (const i of report.interactions.filter((x) => x.file === pact.file)) {
      const mark = i.outcome === 'passed' ? green('✓') : i.outcome === 'pending' ? yellow('○') : red('✗');
      const time = i.durationMs !== null ? dim(`  ${i.durationMs} ms`) : '';
      lines.push(
        `  ${mark} ${i.description}${i.given ? ` (given ${i.given})` : ''}${i.outcome === 'pending' ? yellow(' [pending]') : ''}${time}`,
      );
      for (const w of i.warnings) lines.push(yellow(`      ⚠ ${w.code}: ${w.message}`));
      if (i.outcome === 'passed') continue;
      lines.push(dim(`      ${i.request.method} ${i.request.path}${i.clientId ? `  (sandbox client ${i.clientId})` : ''}`));
      // After a wrong status the body is the sandbox's error answer: its differences follow from the status.
      const statusFailed = i.mismatches.some((m) => m.kind === 'status' || m.kind === 'state');
      for (const m of i.mismatches) {
        const consequence = statusFailed && (m.kind === 'body' || m.kind === 'header');
        lines.push(`      ${consequence ? dim(`${m.message}`) : (i.outcome === 'pending' ? yellow : red)(m.message)}`);
        if (m.verifier) lines.push(dim(`        verifier: ${m.verifier}`));
        for (const n of m.notes) lines.push(`        ${n}`);
      }
    }
  }
  for (const s of report.skipped) lines.push(dim(`skipped ${where(s)}`));
  for (const u of report.unmatched) lines.push(red(`✗ ${u}`));
  lines.push('');
  const parts = [green(`${report.passed} passed`), report.failed ? red(`${report.failed} failed`) : `${report.failed} failed`];
  if (report.pending) parts.push(yellow(`${report.pending} pending`));
  const warned = report.interactions.filter((i) => i.warnings.length).length;
  if (warned) parts.push(yellow(`${warned} with portability warnings (they pass here, but may not on the real API)`));
  lines.push(`${parts.join(', ')} in ${(report.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

// ---- JUnit XML -------------------------------------------------------------------------------------------

const xml = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const seconds = (ms: number | null) => ((ms ?? 0) / 1000).toFixed(3);

/** One <testsuite> per pact, one <testcase> per interaction, a <failure> (or <skipped> when pending) per mismatching one. */
export function junitXml(report: VerificationReport, options: { cwd?: string } = {}): string {
  const where = (f: string) => relative(options.cwd ?? process.cwd(), f) || f;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="inkasso-sandbox verify" tests="${report.interactions.length}" failures="${report.failed}" ` +
      `skipped="${report.pending}" errors="0" time="${seconds(report.durationMs)}">`,
  );
  for (const pact of report.pacts) {
    const cases = report.interactions.filter((i) => i.file === pact.file);
    const time = cases.reduce((s, i) => s + (i.durationMs ?? 0), 0);
    out.push(
      `  <testsuite name="${xml(`${pact.consumer} -> ${pact.provider} (${where(pact.file)})`)}" tests="${cases.length}" ` +
        `failures="${cases.filter((i) => i.outcome === 'failed').length}" ` +
        `skipped="${cases.filter((i) => i.outcome === 'pending').length}" errors="0" time="${seconds(time)}">`,
    );
    for (const i of cases) {
      const name = `${i.description}${i.given ? ` (given ${i.given})` : ''}`;
      const open =
        `    <testcase classname="${xml(`${pact.consumer}.${pact.provider}`)}"` + ` name="${xml(name)}" time="${seconds(i.durationMs)}"`;
      const warnings = i.warnings.length
        ? `      <system-out>${xml(i.warnings.map((w) => `portability warning ${w.code}: ${w.message}`).join('\n'))}</system-out>`
        : undefined;
      if (i.outcome === 'passed') {
        out.push(warnings ? `${open}>\n${warnings}\n    </testcase>` : `${open}/>`);
        continue;
      }
      const detail = [
        `${i.request.method} ${i.request.path}${i.clientId ? ` (sandbox client ${i.clientId})` : ''}`,
        ...i.mismatches.flatMap((m) => [m.message, ...(m.verifier ? [`  verifier: ${m.verifier}`] : []), ...m.notes.map((n) => `  ${n}`)]),
      ].join('\n');
      const message = i.mismatches.map((m) => m.message).join('; ');
      out.push(`${open}>`);
      if (i.outcome === 'pending') out.push(`      <skipped message="${xml(`pending: ${message}`)}"/>`);
      else
        out.push(`      <failure message="${xml(message)}" type="${xml(i.mismatches[0]?.kind ?? 'mismatch')}">${xml(detail)}</failure>`);
      if (warnings) out.push(warnings);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/**
 * The JUnit XML for a run that could not verify at all (exit 2: an unknown state, an unreadable pact, a bad
 * option): one errored testcase saying why, so the failure still shows in a CI report.
 */
export function junitErrorXml(message: string, paths: string[]): string {
  const name = `verify ${paths.join(' ')}`.trim();
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="inkasso-sandbox verify" tests="1" failures="0" skipped="0" errors="1" time="0">',
    '  <testsuite name="inkasso-sandbox verify" tests="1" failures="0" skipped="0" errors="1" time="0">',
    `    <testcase classname="inkasso-sandbox.verify" name="${xml(name)}" time="0">`,
    `      <error message="${xml(message)}" type="cannot-verify">${xml(message)}</error>`,
    '    </testcase>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
