/**
 * Playing a scenario inside the sandbox: its world set up on a client, then its timeline step by step, checking the
 * expectations after each step. Each step kind is an entry in STEPS that runs the domain command the matching
 * control or agency operation runs, through the engine (a write under the client's lock, as the same actor: the ERP
 * user, the sandbox clock, or the agency integration with its privileges checked); each expectation reads the world
 * through the views the control API answers with. No HTTP and no SDK: the CLI plays against a running server by
 * asking that server's runner (POST /_sandbox/clients/{id}/scenarios/{name}/run).
 *
 * No step kind needs the wire itself: an agency step's point is what the agency does to the client's world (the
 * wire's own behaviour is the HTTP tests' business). What an agency step does take from its face is read the same
 * way here: the privilege checks (writeAsAgency, integrationIn), v1's readings of its body (v1MergeCasesId,
 * v1StatusTextCloses) and v2's statuses for a refused voucher (asVendorRefusal), so expectError names the status
 * the agency would see.
 */
import type { ScenarioFile, ScenarioStepT, ExpectationT, AgencyCallT, ACTION_KEYS } from '../../contracts/schemas/scenario.js';
import { SettingsInput } from '../../contracts/schemas/control.js';
import type { Engine } from '../engine.js';
import type { Integration, ScenarioProgress, World } from '../domain/model.js';
import { ACTORS, today, type CommandContext } from '../domain/context.js';
import { DomainRejection, isRejection, reject } from '../domain/errors.js';
import { oreToNok, toOre } from '../domain/money.js';
import { ACCOUNTS, accountExists, vatCode as findVatCode } from '../domain/chart-of-accounts.js';
import { createCustomer, updateCustomer } from '../domain/commands/customers.js';
import { postCreditNote, postInvoice } from '../domain/commands/invoices.js';
import { paymentLines, postPayment } from '../domain/commands/payments.js';
import { reverseWriteOff, writeOff } from '../domain/commands/write-offs.js';
import { approve, hold, override, release, remove, type Selection, type SelectionResult } from '../domain/commands/collection.js';
import { addIntegration, integrationFrom } from '../domain/commands/integrations.js';
import { addInvoicesToCase, createCase, mergeCases, rejectCase, requireCaseCreation, updateStatus } from '../domain/commands/cases.js';
import { approveReceptionDraft, postBankJournal, submitToVoucherReception, type SettlementLine } from '../domain/commands/settlement.js';
import { availableInvoices, matchesOf, visibleToIntegration } from '../domain/queries/matches.js';
import { openItems } from '../domain/queries/ledger.js';
import { collectionLists } from '../domain/queries/lists.js';
import { explainInvoice } from '../domain/queries/explain.js';
import { invariantBreaches } from '../domain/invariants.js';
import { getInvoice } from '../domain/world.js';
import { caseView, clockView, invoiceView } from '../http/control/views.js';
import { applySettings } from '../http/control/common.js';
import { explainSummary } from '../http/control/erp.js';
import { integrationIn, writeAsAgency } from '../http/agency/caller.js';
import { asVendorRefusal } from '../http/agency-v2/operations.js';
import { problemFromRejection } from '../http/core/errors.js';
import { check } from '../http/core/validation.js';
import { resolveDate, resolveMoment } from './moments.js';

export interface StepResult {
  index: number;
  id: string | null;
  label: string;
  ok: boolean;
  /** The client's clock after the step. */
  now: string | null;
  failure: string | null;
}

export interface RunOutcome {
  steps: StepResult[];
  progress: ScenarioProgress;
  ok: boolean;
  failure: string | null;
}

export interface RunLimits {
  /** Stop before the step with this id (or index). */
  until?: string | number;
  /** Run at most this many steps. */
  steps?: number;
  onStep?: (result: StepResult, total: number) => void;
  /** Awaited after each successful step (the service saves progress here). */
  afterStep?: () => Promise<void>;
}

class ExpectationFailed extends Error {}

const key = (kind: string, ref: string) => `${kind}:${ref}`;

/** A one-line description of a step for progress output. */
export function stepLabel(step: ScenarioStepT): string {
  const parts: string[] = [];
  if (step.at) parts.push(`at ${step.at}`);
  if (step.advance)
    parts.push(
      `advance ${Object.entries(step.advance)
        .map(([k, v]) => `${v} ${k}`)
        .join(' ')}`,
    );
  for (const k of ['approve', 'hold', 'release', 'remove'] as const) if (step[k]) parts.push(`${k} ${[step[k]].flat().join(', ')}`);
  if (step.override) parts.push(`override ${step.override.invoices.join(', ')} -> ${step.override.nextAction ?? 'Inkasso'}`);
  if (step.customer) parts.push(`customer ${step.customer.ref}`);
  if (step.updateCustomer) parts.push(`update customer ${step.updateCustomer.customer}`);
  if (step.invoice) parts.push(`invoice ${step.invoice.ref}`);
  if (step.creditNote) parts.push(`credit note on ${step.creditNote.invoice} (${step.creditNote.amount})`);
  if (step.payment)
    parts.push(`payment ${step.payment.invoice ?? step.payment.lines?.map((l) => l.invoice ?? l.invoices?.join('+')).join(', ')}`);
  if (step.writeOff) parts.push(`write off ${step.writeOff.invoices.join(', ')}`);
  if (step.reverseWriteOff) parts.push(`reverse write-off ${step.reverseWriteOff.writeOff}`);
  if (step.settings) parts.push('settings');
  if (step.integration) parts.push(`integration ${step.integration.ref}`);
  if (step.switchAgency) parts.push(`switch agency to ${step.switchAgency}`);
  if (step.approveReception) parts.push('approve voucher reception');
  if (step.agency) {
    const call = Object.keys(step.agency).find((k) => k !== 'as');
    parts.push(`agency${step.agency.as ? ` (${step.agency.as})` : ''} ${call}`);
  }
  if (step.snapshot) parts.push(`snapshot ${step.snapshot}`);
  if (step.expectError) parts.push(`expecting HTTP ${step.expectError.status}`);
  if (step.expect) parts.push(`expect ${step.expect.map(expectationText).join('; ')}`);
  return (step.id ? `[${step.id}] ` : '') + parts.join(' -> ') + (step.note ? `  (${step.note})` : '');
}

/** 'invoice INV-1 nextAction Inkasso' for {invoice: INV-1, nextAction: Inkasso}. */
function expectationText(e: ExpectationT): string {
  if (typeof e === 'string') return e;
  return Object.entries(e)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}

/**
 * A refusal as the caller of the matching operation would see it: the HTTP status the control or agency face
 * answers a domain rejection with (for a v1 refusal answered the vendor's way, HTTP 200, the status the sandbox names
 * in X-Sandbox-Detail; the same numbers), and its text.
 */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  static of(e: DomainRejection): Refused {
    return new Refused(problemFromRejection(e).status, e.message);
  }
}

/** One play of a scenario on one client: the engine, the client, and where the scenario stands (its refs). */
interface Play {
  engine: Engine;
  clientId: string;
  progress: ScenarioProgress;
}

type ActionKey = (typeof ACTION_KEYS)[number];
type StepHandler<K extends ActionKey> = (play: Play, value: NonNullable<ScenarioStepT[K]>) => Promise<void>;

// ---- refs ----------------------------------------------------------------------------------------------

function ref(progress: ScenarioProgress, kind: string, name: string): string {
  const id = progress.refs[key(kind, name)];
  if (!id) throw new ExpectationFailed(`${kind} '${name}' is not known yet (did the step that makes it fail?)`);
  return id;
}

function refs(progress: ScenarioProgress, kind: string, names: readonly string[]): string[] {
  return names.map((r) => ref(progress, kind, r));
}

function names(progress: ScenarioProgress, ids: string[]): string {
  const byId = new Map(
    Object.entries(progress.refs)
      .filter(([k]) => k.startsWith('invoice:'))
      .map(([k, v]) => [v, k.slice(8)]),
  );
  return ids.map((id) => byId.get(id) ?? id).join(', ') || 'none';
}

// ---- the actors ----------------------------------------------------------------------------------------

/** What the ERP user does in Go (the control API's ERP and Inkasso-menu operations run the same commands). */
async function asUser<T>(play: Play, command: (c: CommandContext) => T): Promise<T> {
  return (await play.engine.write(play.clientId, ACTORS.erpUser, command)).result;
}

const read = <T>(play: Play, query: (w: World) => T): Promise<T> => play.engine.read(play.clientId, query);

/** An invoice voucher (an invoice or a credit note), as GET /invoices/{id} finds one. */
function invoiceVoucher(w: World, id: string) {
  const inv = w.invoices[id];
  if (!inv) throw reject.notFound('invoice', id, 'invoiceId');
  return inv;
}

/** The integration an agency step or expectation acts as: `as`, or the one that may create new cases. */
async function agencyOf(play: Play, as: string | undefined): Promise<string> {
  const id = as ? ref(play.progress, 'integration', as) : undefined;
  const found = await read(play, (w) =>
    id ? w.integrations.find((i) => i.id === id) : (w.integrations.find((i) => i.canCreateNewCases) ?? w.integrations[0]),
  );
  if (!found) throw new ExpectationFailed(`no integration ${as ?? '(that may create new cases)'} on the client`);
  return found.id;
}

/** An agency read, with the integration's read privilege checked as the agency faces check it. */
async function agencyRead<T>(play: Play, as: string | undefined, query: (w: World, integration: Integration) => T): Promise<T> {
  const id = await agencyOf(play, as);
  return read(play, (w) => query(w, integrationIn(w, id)));
}

/** An agency write, as that integration and with its write privilege checked (the faces' writeAsAgency). */
async function agencyWrite<T>(play: Play, as: string | undefined, command: (c: CommandContext, integration: Integration) => T) {
  return writeAsAgency(play.engine, play.clientId, await agencyOf(play, as), command);
}

// ---- conversions (as the control operations convert their bodies) ------------------------------------------

function settingsInput(s: NonNullable<ScenarioFile['settings']>, progress: ScenarioProgress) {
  const { autoApprove, caseCreatingIntegration, ...rest } = s;
  const input = {
    ...rest,
    ...(caseCreatingIntegration ? { caseCreatingIntegrationId: ref(progress, 'integration', caseCreatingIntegration) } : {}),
    ...(autoApprove
      ? {
          autoApprove: {
            enabled: autoApprove.enabled,
            ...(autoApprove.fromInvoiceDate ? { fromInvoiceDate: resolveDate(autoApprove.fromInvoiceDate, progress.start) } : {}),
            ...(autoApprove.integration ? { integrationId: ref(progress, 'integration', autoApprove.integration) } : {}),
          },
        }
      : {}),
  };
  // reminderSteps is free-form in a scenario file: checked here as PUT /settings checks its body.
  const problems = check(SettingsInput, input, 'settings');
  if (problems.length) throw reject.invalid(problems[0]!.field, problems.map((p) => `${p.field} ${p.reason}`).join('; '));
  return input as Parameters<typeof applySettings>[1];
}

async function applyScenarioSettings(play: Play, s: NonNullable<ScenarioFile['settings']>): Promise<void> {
  const input = settingsInput(s, play.progress);
  await asUser(play, (c) => applySettings(c, input));
}

async function newInvoice(play: Play, inv: NonNullable<ScenarioStepT['invoice']>): Promise<void> {
  const { ref: name, customer, due, invoiceDate, amount, customMatchingReference, ...rest } = inv;
  const start = play.progress.start;
  const customerId = Number(ref(play.progress, 'customer', customer));
  play.progress.refs[key('invoice', name)] = await asUser(
    play,
    (c) =>
      postInvoice(c, {
        ...rest,
        customerId,
        amount: toOre(amount),
        matchingReference: customMatchingReference ?? null,
        ...(invoiceDate ? { invoiceDate: resolveDate(invoiceDate, start) } : {}),
        ...(due ? { dueDate: resolveDate(due, start) } : {}),
      }).id,
  );
}

async function newCustomer(play: Play, customer: NonNullable<ScenarioStepT['customer']>): Promise<void> {
  const { ref: name, ...input } = customer;
  play.progress.refs[key('customer', name)] = String(await asUser(play, (c) => createCustomer(c, input).id));
}

async function newIntegration(play: Play, spec: NonNullable<ScenarioStepT['integration']>): Promise<string> {
  const keys = play.engine.keysFor({}, '');
  return asUser(play, (c) => addIntegration(c, integrationFrom(spec, keys)).id);
}

/** An Inkasso-menu action on the invoices a step names, or on all. */
function menu(run: (c: CommandContext, sel: Selection) => SelectionResult) {
  return async (play: Play, s: NonNullable<ScenarioStepT['approve']>): Promise<void> => {
    const selection: Selection = s === 'all' ? { all: true } : { invoiceIds: refs(play.progress, 'invoice', s) };
    await asUser(play, (c) => run(c, selection));
  };
}

// ---- agency calls ------------------------------------------------------------------------------------------

type AgencyCallKey = Exclude<keyof AgencyCallT, 'as'>;
type AgencyHandler<K extends AgencyCallKey> = (play: Play, as: string | undefined, call: NonNullable<AgencyCallT[K]>) => Promise<void>;

/**
 * What an agency does through the v1 DebtCollection and v2 voucher operations, as the domain commands those
 * operations run, with the same readings of the wire the operations make (v1MergeCasesId, v1StatusTextCloses, the
 * v2 refusal of a duplicate or an overpayment as 400).
 */
const AGENCY_CALLS: { [K in AgencyCallKey]: AgencyHandler<K> } = {
  async createCase(play, as, c) {
    const invoiceIds = c.invoices ? refs(play.progress, 'invoice', c.invoices) : [];
    play.progress.refs[key('case', c.ref)] = await agencyWrite(
      play,
      as,
      (ctx, integration) =>
        createCase(ctx, integration.id, {
          code: c.code,
          invoiceIds,
          externalCaseUrl: c.externalCaseUrl ?? null,
          balanceAgency: c.balanceAgency === undefined ? null : toOre(c.balanceAgency, 'balanceAgency'),
        }).id,
    );
  },
  async addInvoices(play, as, a) {
    const caseId = ref(play.progress, 'case', a.case);
    const invoiceIds = refs(play.progress, 'invoice', a.invoices);
    await agencyWrite(play, as, (ctx, integration) => addInvoicesToCase(ctx, integration.id, { caseId, invoiceIds }));
  },
  async mergeCases(play, as, m) {
    const caseIds = refs(play.progress, 'case', m.cases);
    const merged = await agencyWrite(
      play,
      as,
      (ctx, integration) =>
        mergeCases(ctx, integration.id, {
          caseNo: m.caseNo,
          caseIds,
          ...(m.externalCaseUrl ? { externalCaseUrl: m.externalCaseUrl } : {}),
          newId: ctx.world.settings.v1MergeCasesId === 'new',
        }).id,
    );
    if (m.ref) play.progress.refs[key('case', m.ref)] = merged;
  },
  async updateStatus(play, as, u) {
    const caseId = ref(play.progress, 'case', u.case);
    await agencyWrite(play, as, (ctx, integration) =>
      updateStatus(ctx, integration.id, {
        caseId,
        statusText: u.statusText,
        isCaseClosed: u.isCaseClosed ?? (ctx.world.settings.v1StatusTextCloses && u.statusText.trim().toLowerCase() === 'closed'),
        ...(u.balanceAgency !== undefined ? { updatedBalanceAgency: toOre(u.balanceAgency, 'updatedBalanceAgency') } : {}),
      }),
    );
  },
  async rejectCase(play, as, r) {
    const caseId = ref(play.progress, 'case', r.case);
    await agencyWrite(play, as, (ctx, integration) => rejectCase(ctx, integration.id, caseId));
  },
  async bankJournal(play, as, j) {
    const { progress } = play;
    const lineIds = j.lines.map((l) => ({
      invoiceId: l.invoice ? ref(progress, 'invoice', l.invoice) : undefined,
      customerId: l.customer ? Number(ref(progress, 'customer', l.customer)) : undefined,
    }));
    try {
      await agencyWrite(play, as, (ctx, integration) => {
        const date = j.date ? resolveDate(j.date, progress.start) : today(ctx.world);
        const lines = j.lines.map((l, i): SettlementLine => {
          const common = { amount: toOre(l.amount, `lines[${i}].amount`), vatCode: null, description: l.description ?? null };
          const given = {
            ...(l.invoiceNo ? { invoiceNo: l.invoiceNo } : {}),
            ...(l.cid ? { cid: l.cid } : {}),
            ...(l.customMatchingReference ? { matchingReference: l.customMatchingReference } : {}),
          };
          const { invoiceId, customerId } = lineIds[i]!;
          if (invoiceId) {
            // On the invoice's customer, naming it as the agency would: by invoice number (default), by KID, or not at all.
            const inv = invoiceVoucher(ctx.world, invoiceId);
            const by = l.by ?? 'invoiceNo';
            const named = by === 'invoiceNo' ? { invoiceNo: String(inv.invoiceNo) } : by === 'cid' ? { cid: inv.cid } : {};
            return { account: ACCOUNTS.customerReceivables, customerId: inv.customerId, ...common, ...named, ...given };
          }
          if (customerId !== undefined) return { account: ACCOUNTS.customerReceivables, customerId, ...common, ...given };
          const account = l.account ?? 1920;
          if (!accountExists(account)) throw reject.invalid(`lines[${i}].account`, `${account} is not a general ledger account`);
          return { account, customerId: null, ...common };
        });
        return postBankJournal(
          ctx,
          integration.id,
          {
            date,
            description: j.description ?? 'Settlement from the agency',
            externalImportReference: j.externalImportReference ?? null,
            importedVoucherNo: null,
            lines,
          },
          { uniqueImportedVoucherNo: ctx.world.settings.v2Wire.uniqueImportedVoucherNo },
        );
      });
    } catch (e) {
      // The status the agency sees is v2's: a duplicate or a refused overpayment is 400 there.
      const settings = await read(play, (w) => w.settings);
      throw asVendorRefusal(e, { settings, warnings: [] });
    }
  },
  async manualJournal(play, as, j) {
    await agencyWrite(play, as, (ctx, integration) => {
      const date = j.date ? resolveDate(j.date, play.progress.start) : today(ctx.world);
      const description = j.description ?? 'Settlement from the agency';
      // Each line a debit/credit pair, VAT on the debit side, as v2 ManualJournals reads its lines.
      const lines = j.lines.flatMap((l, i): SettlementLine[] => {
        const amount = toOre(l.amount, `lines[${i}].amount`);
        const side = (account: number, sign: 1 | -1, vat: string | null): SettlementLine => {
          if (!accountExists(account)) throw reject.invalid(`lines[${i}]`, `${account} is not a general ledger account`);
          return { account, customerId: null, amount: sign * amount, vatCode: vat, description: l.description ?? null };
        };
        const vat = l.vatCode && findVatCode(l.vatCode) ? l.vatCode : null;
        if (l.debit === undefined && l.credit === undefined) throw reject.invalid(`lines[${i}].debit`, 'or credit is required');
        return [...(l.debit !== undefined ? [side(l.debit, 1, vat)] : []), ...(l.credit !== undefined ? [side(l.credit, -1, null)] : [])];
      });
      return submitToVoucherReception(ctx, integration.id, {
        date,
        description,
        externalImportReference: null,
        importedVoucherNo: null,
        lines,
      });
    });
  },
};

const AGENCY_CALL_KEYS = Object.keys(AGENCY_CALLS) as AgencyCallKey[];

// ---- the step kinds ----------------------------------------------------------------------------------------

/** Every step kind (ACTION_KEYS), and the command it runs. */
const STEPS: { [K in ActionKey]: StepHandler<K> } = {
  at: async (play, at) => {
    await play.engine.advance(play.clientId, ACTORS.sandbox, { to: resolveMoment(at, play.progress.start) });
  },
  advance: async (play, by) => {
    await play.engine.advance(play.clientId, ACTORS.sandbox, by);
  },
  approve: menu(approve),
  hold: menu(hold),
  release: menu(release),
  remove: menu(remove),
  override: async (play, o) => {
    const invoiceIds = refs(play.progress, 'invoice', o.invoices);
    await asUser(play, (c) => override(c, { invoiceIds, ...(o.nextAction ? { nextAction: o.nextAction } : {}) }));
  },
  customer: newCustomer,
  updateCustomer: async (play, u) => {
    const { customer, ...change } = u;
    const id = Number(ref(play.progress, 'customer', customer));
    await asUser(play, (c) => updateCustomer(c, id, change));
  },
  invoice: newInvoice,
  creditNote: async (play, n) => {
    const invoiceId = ref(play.progress, 'invoice', n.invoice);
    const date = n.date ? { date: resolveDate(n.date, play.progress.start) } : {};
    const id = await asUser(play, (c) => postCreditNote(c, { invoiceId, amount: toOre(n.amount), ...date }).id);
    if (n.ref) play.progress.refs[key('invoice', n.ref)] = id;
  },
  payment: async (play, p) => {
    const { progress } = play;
    // As POST /payments takes its body: one form or the other.
    const given = p.lines?.map((l) => ({
      amount: l.amount,
      ...(l.invoice ? { invoiceId: l.invoice } : {}),
      ...(l.invoices ? { invoiceIds: l.invoices } : {}),
    }));
    const lines = paymentLines({ invoiceId: p.invoice, amount: p.amount }, given).map((l) => ({
      amount: toOre(l.amount),
      ...(l.invoiceId ? { invoiceId: ref(progress, 'invoice', l.invoiceId) } : {}),
      ...(l.invoiceIds ? { invoiceIds: refs(progress, 'invoice', l.invoiceIds) } : {}),
    }));
    const id = await asUser(
      play,
      (c) =>
        postPayment(c, {
          lines,
          ...(p.date ? { date: resolveDate(p.date, progress.start) } : {}),
          ...(p.kind ? { kind: p.kind } : {}),
        }).id,
    );
    if (p.ref) progress.refs[key('payment', p.ref)] = id;
  },
  writeOff: async (play, w) => {
    const invoiceIds = refs(play.progress, 'invoice', w.invoices);
    const id = await asUser(
      play,
      (c) =>
        writeOff(c, {
          invoiceIds,
          ...(w.date ? { date: resolveDate(w.date, play.progress.start) } : {}),
          ...(w.vatCode ? { vatCode: w.vatCode } : {}),
          ...(w.description ? { description: w.description } : {}),
        }).id,
    );
    if (w.ref) play.progress.refs[key('writeOff', w.ref)] = id;
  },
  reverseWriteOff: async (play, r) => {
    const voucherId = ref(play.progress, 'writeOff', r.writeOff);
    await asUser(play, (c) => reverseWriteOff(c, voucherId));
  },
  settings: applyScenarioSettings,
  integration: async (play, spec) => {
    play.progress.refs[key('integration', spec.ref)] = await newIntegration(play, spec);
  },
  switchAgency: async (play, to) => {
    const input = { caseCreatingIntegrationId: ref(play.progress, 'integration', to) };
    await asUser(play, (c) => applySettings(c, input));
  },
  approveReception: async (play) => {
    await asUser(play, (c) => {
      const drafts = Object.values(c.world.voucherReception)
        .filter((d) => d.status === 'Draft')
        .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
      for (const d of drafts) approveReceptionDraft(c, d.id);
    });
  },
  agency: async (play, call) => {
    const name = AGENCY_CALL_KEYS.find((k) => call[k] !== undefined);
    if (!name) throw new ExpectationFailed(`the agency step names no call (${AGENCY_CALL_KEYS.join(', ')})`);
    await (AGENCY_CALLS[name] as AgencyHandler<typeof name>)(play, call.as, call[name]!);
  },
  snapshot: async (play, name) => {
    await play.engine.saveSnapshot(play.clientId, name);
  },
};

const STEP_KINDS = Object.keys(STEPS) as ActionKey[];

async function runStep(play: Play, step: ScenarioStepT): Promise<void> {
  const kind = STEP_KINDS.find((k) => step[k] !== undefined);
  try {
    try {
      if (kind) await (STEPS[kind] as StepHandler<typeof kind>)(play, step[kind]!);
    } catch (e) {
      throw isRejection(e) ? Refused.of(e) : e;
    }
    if (step.expectError) throw new ExpectationFailed(`expected HTTP ${step.expectError.status}, but the action succeeded`);
  } catch (e) {
    if (!step.expectError || !(e instanceof Refused)) throw e;
    if (e.status !== step.expectError.status)
      throw new ExpectationFailed(`expected HTTP ${step.expectError.status}, got ${e.status}: ${e.message}`);
    if (step.expectError.contains && !e.message.includes(step.expectError.contains))
      throw new ExpectationFailed(`expected the error to mention '${step.expectError.contains}', got: ${e.message}`);
  }
  for (const e of step.expect ?? []) await expect(play, e);
}

// ---- expectations ------------------------------------------------------------------------------------------

type Expect = (play: Play, o: Record<string, any>) => Promise<void>;

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const expectInvoice: Expect = async (play, o) => {
  const { progress } = play;
  const id = ref(progress, 'invoice', o.invoice);
  const want: Record<string, unknown> = { ...o };
  if (o.case !== undefined) want.case = ref(progress, 'case', o.case);
  if (o.nextActionDate !== undefined) want.nextActionDate = resolveDate(o.nextActionDate, progress.start);
  const inv = await read(play, (w) => invoiceView(w, invoiceVoucher(w, id)));
  const got: Record<string, unknown> = {
    status: inv.status,
    openAmount: inv.openAmount,
    nextAction: inv.nextAction,
    obstacle: inv.obstacle !== null,
    reminders: inv.reminders.length,
    remindersReversed: inv.reminders.length > 0 && inv.reminders.every((r) => r.reversed || (r.fee === 0 && r.interest === 0)),
    reminderFees: round(inv.reminders.reduce((s, r) => s + r.fee, 0)),
    reminderInterest: round(inv.reminders.reduce((s, r) => s + r.interest, 0)),
    nextActionDate: inv.nextActionDate,
    obstacleReason: inv.obstacle?.reason ?? null,
    case: inv.caseId,
  };
  const matches = (k: string) =>
    k === 'obstacleReason' ? typeof got[k] === 'string' && (got[k] as string).includes(String(want[k])) : want[k] === got[k];
  const wrong = Object.keys(want).filter((k) => k !== 'invoice' && !matches(k));
  if (wrong.length) {
    const summary = await read(play, (w) => explainSummary(w, explainInvoice(w, getInvoice(w, id)))).catch(() => undefined);
    throw new ExpectationFailed(
      `expected invoice ${o.invoice} (${inv.invoiceNo}) to have ${wrong.map((k) => `${k} ${JSON.stringify(o[k])}`).join(', ')}, but ` +
        `the world holds ${wrong.map((k) => `${k} ${JSON.stringify(k === 'case' ? inv.caseCode : got[k])}`).join(', ')}` +
        (summary ? `. Explain: ${summary}` : ''),
    );
  }
};

const expectCase: Expect = async (play, o) => {
  const { progress } = play;
  const id = ref(progress, 'case', o.case);
  // The Inkasso menu's Open and Archived lists: a rejected or merged-away case is in neither.
  const kase = await read(play, (w) => {
    const lists = collectionLists(w);
    const found = [...lists.open, ...lists.archived].find((c) => c.id === id);
    return found ? caseView(w, found) : undefined;
  });
  if (o.exists === false) {
    if (kase) throw new ExpectationFailed(`expected case ${o.case} to be gone, but it is ${kase.status}`);
    return;
  }
  if (!kase) throw new ExpectationFailed(`expected case ${o.case}, but it does not exist (rejected or merged away?)`);
  const got: Record<string, unknown> = {
    code: kase.code,
    status: kase.status,
    balanceAgency: kase.balanceAgency,
    history: kase.history.length,
    exists: true,
  };
  const problems: string[] = [];
  for (const k of ['code', 'status', 'balanceAgency', 'history', 'exists'] as const)
    if (o[k] !== undefined && o[k] !== got[k]) problems.push(`${k} ${JSON.stringify(o[k])} but it is ${JSON.stringify(got[k])}`);
  if (o.invoices) {
    const want = refs(progress, 'invoice', o.invoices).sort();
    const have = kase.invoices.map((i) => i.id).sort();
    if (JSON.stringify(want) !== JSON.stringify(have))
      problems.push(`invoices [${o.invoices.join(', ')}] but it holds ${names(progress, have)}`);
  }
  if (problems.length) throw new ExpectationFailed(`expected case ${o.case} (${kase.code}) to have ${problems.join('; ')}`);
};

/** The ledger items of a customer the agency reads (v2 OpenItems today) and the unmatched among them (ledger/check). */
function unmatchedItems(w: World) {
  return openItems(w, today(w)).filter((i) => i.unmatched);
}

/** Each expectation kind by the key that names it, checked in this order (the first key present decides). */
const EXPECTATIONS: Array<[string, Expect]> = [
  ['invoice', expectInvoice],
  ['case', expectCase],
  [
    'matchedItems',
    // v1 MatchedItems: what was matched against the invoice, as posted on the customer ledger (credits negative).
    async (play, o) => {
      const id = ref(play.progress, 'invoice', o.matchedItems);
      const items = await agencyRead(play, o.as, (w, integration) => {
        const invoice = w.invoices[id];
        if (!invoice || !visibleToIntegration(w, integration, invoice))
          throw reject.notFound('debt collection invoice', id, 'debtCollectionInvoiceId');
        return matchesOf(w, invoice).map((m) => ({
          voucherType: m.voucher.type,
          amount: oreToNok(-m.match.amount),
          isWriteOff: m.match.isWriteOff,
        }));
      });
      const got = {
        count: items.length,
        writeOffs: items.filter((i) => i.isWriteOff).length,
        total: round(items.reduce((s, i) => s + i.amount, 0)),
      };
      for (const k of ['count', 'writeOffs', 'total'] as const)
        if (o[k] !== undefined && o[k] !== got[k])
          throw new ExpectationFailed(
            `expected ${o[k]} as matched items' ${k} of ${o.matchedItems}, the agency sees ${got[k]} (${JSON.stringify(items)})`,
          );
    },
  ],
  [
    'customerLedger',
    // v2 CustomerBalances and OpenItems as of today, and ledger/check's unmatched items, for one customer.
    async (play, o) => {
      const customerId = Number(ref(play.progress, 'customer', o.customerLedger));
      const { balance, items, unmatched } = await agencyRead(play, o.as, (w) => {
        const mine = openItems(w, today(w)).filter((i) => i.line.customerId === customerId);
        let sum = 0;
        for (const v of w.vouchers)
          if (v.date <= today(w))
            for (const l of v.lines) if (l.account === ACCOUNTS.customerReceivables && l.customerId === customerId) sum += l.amount;
        return {
          balance: oreToNok(sum),
          items: mine.map((i) => ({
            VoucherType: i.voucher.type,
            InvoiceNo: i.invoice ? String(i.invoice.invoiceNo) : null,
            Balance: oreToNok(i.balance),
          })),
          unmatched: unmatchedItems(w)
            .filter((i) => i.line.customerId === customerId)
            .map((i) => i.unmatched!),
        };
      });
      const got: Record<string, unknown> = {
        balance: round(balance),
        openItems: items.length,
        credit: round(items.filter((i) => i.Balance < 0).reduce((s, i) => s + i.Balance, 0)),
        unmatched: unmatched.length,
      };
      for (const k of ['balance', 'openItems', 'credit', 'unmatched'] as const)
        if (o[k] !== undefined && o[k] !== got[k])
          throw new ExpectationFailed(
            `expected ${k} ${o[k]} on ${o.customerLedger}'s ledger, the agency sees ${JSON.stringify(got)} (open items ` +
              `${JSON.stringify(items.map((i) => [i.VoucherType, i.InvoiceNo, i.Balance]))})`,
          );
      if (o.reason !== undefined) {
        if (unmatched.length === 0 || unmatched.some((r) => r !== o.reason))
          throw new ExpectationFailed(
            `expected every unmatched item of ${o.customerLedger} to be ${o.reason}; found ${JSON.stringify(unmatched)}`,
          );
      }
    },
  ],
  [
    'available',
    // v1 AvailableInvoices: only the integration that may create new cases sees them.
    async (play, o) => {
      const ids = (
        await agencyRead(play, o.as, (w, integration) => {
          requireCaseCreation(w, integration.id, false);
          return availableInvoices(w).map((i) => i.id);
        })
      ).sort();
      const want = refs(play.progress, 'invoice', o.available).sort();
      if (JSON.stringify(ids) !== JSON.stringify(want))
        throw new ExpectationFailed(
          `expected AvailableInvoices to be [${o.available.join(', ')}]` +
            `, the agency sees ${ids.length} invoice(s): ${names(play.progress, ids)}`,
        );
    },
  ],
  [
    'ledger',
    async (play) => {
      const breaches = await read(play, invariantBreaches);
      if (breaches.length) throw new ExpectationFailed(`expected the ledger to balance; breaches: ${breaches.join('; ')}`);
    },
  ],
  [
    'voucherReception',
    async (play, o) => {
      const drafts = await read(play, (w) => Object.values(w.voucherReception).filter((d) => d.status === 'Draft').length);
      if (drafts !== o.voucherReception)
        throw new ExpectationFailed(`expected ${o.voucherReception} draft(s) in the voucher reception, found ${drafts}`);
    },
  ],
  [
    'events',
    async (play, o) => {
      const type: string = o.events.type;
      // As GET /events?type= matches: exactly, or as a prefix when it ends in '.'.
      const matches = (t: string) => (type.endsWith('.') ? t.startsWith(type) : t === type);
      const count = await read(play, (w) => w.events.filter((e) => matches(e.type)).length);
      if (count !== o.events.count) throw new ExpectationFailed(`expected ${o.events.count} '${o.events.type}' event(s), found ${count}`);
    },
  ],
  [
    'today',
    async (play, o) => {
      const day = await read(play, today);
      const want = resolveDate(o.today, play.progress.start);
      if (day !== want) throw new ExpectationFailed(`expected today to be ${want}, the clock says ${day}`);
    },
  ],
];

/** The sentences a scenario may say instead ('invoice X is Draft', ... optionally ' on +14d'), as objects. */
const SENTENCES: Array<[RegExp, (m: RegExpExecArray) => Record<string, unknown>]> = [
  [/^invoice\s+(\S+)\s+is\s+(\w+)$/, (m) => ({ invoice: m[1], status: m[2] })],
  [/^invoice\s+(\S+)\s+open amount is\s+([\d.]+)$/, (m) => ({ invoice: m[1], openAmount: Number(m[2]) })],
  [/^case\s+(\S+)\s+is\s+(\w+)$/, (m) => ({ case: m[1], status: m[2] })],
  [/^ledger balances$/, () => ({ ledger: 'balanced' })],
];

async function expect(play: Play, e: ExpectationT): Promise<void> {
  let o = e as Record<string, any>;
  if (typeof e === 'string') {
    const on = /\s+on\s+(\S+)$/.exec(e);
    const text = on ? e.slice(0, on.index) : e;
    if (on) {
      const target = resolveMoment(on[1]!, play.progress.start);
      const now = await read(play, (w) => clockView(w).now);
      if (target > now.slice(0, 16)) await play.engine.advance(play.clientId, ACTORS.sandbox, { to: target });
    }
    let parsed: Record<string, unknown> | undefined;
    for (const [pattern, toObject] of SENTENCES) {
      const m = pattern.exec(text);
      if (m) {
        parsed = toObject(m);
        break;
      }
    }
    if (!parsed) throw new ExpectationFailed(`cannot read expectation '${e}'`);
    o = parsed;
  }
  const found = EXPECTATIONS.find(([k]) => o[k] !== undefined);
  if (found) await found[1](play, o);
}

// ---- the runner --------------------------------------------------------------------------------------------

function describeError(e: unknown): string {
  if (e instanceof Refused) return `HTTP ${e.status}: ${e.message}`;
  return (e as Error)?.message ?? String(e);
}

export class ScenarioRunner {
  constructor(
    readonly scenario: ScenarioFile,
    private readonly engine: Engine,
  ) {}

  /** A new client for this scenario: its start date and integrations, then its initial world. */
  async createClient(
    options: { id?: string; name?: string; startDate?: string } = {},
  ): Promise<{ clientId: string; progress: ScenarioProgress }> {
    const s = this.scenario;
    const world = await this.engine.createClient({
      ...(options.id ? { id: options.id } : {}),
      name: options.name ?? s.title,
      startDate: options.startDate ?? s.start,
      ...(s.integrations ? { integrations: s.integrations.map(({ ref: _ref, ...i }) => i) } : {}),
    });
    try {
      return { clientId: world.id, progress: await this.setUp(world.id) };
    } catch (e) {
      await this.engine.deleteClient(world.id).catch(() => undefined);
      throw e;
    }
  }

  /** Put the scenario's initial world on a client; relative dates count from the client's today. */
  async setUp(clientId: string): Promise<ScenarioProgress> {
    const s = this.scenario;
    const start = await this.engine.read(clientId, today);
    const progress: ScenarioProgress = { name: s.name, start, nextStep: 0, refs: {}, finished: false };
    const play: Play = { engine: this.engine, clientId, progress };
    const integrations = () =>
      this.engine.read(clientId, (w) => w.integrations.map((i) => ({ id: i.id, name: i.name, canCreateNewCases: i.canCreateNewCases })));
    if (s.integrations) {
      for (const spec of s.integrations) {
        const found = (await integrations()).find((i) => i.name === spec.name);
        progress.refs[key('integration', spec.ref)] = found ? found.id : await newIntegration(play, spec);
      }
    } else {
      const all = await integrations();
      const main = all.find((i) => i.canCreateNewCases) ?? all[0];
      if (main) progress.refs[key('integration', 'default')] = main.id;
    }
    if (s.settings) await applyScenarioSettings(play, s.settings);
    for (const c of s.customers ?? []) await newCustomer(play, c);
    for (const inv of s.invoices ?? []) await newInvoice(play, inv);
    return progress;
  }

  /** Run steps from progress.nextStep, within the limits; stops at the first failure. */
  async run(clientId: string, progress: ScenarioProgress, limits: RunLimits = {}): Promise<RunOutcome> {
    const timeline = this.scenario.timeline;
    const play: Play = { engine: this.engine, clientId, progress };
    const steps: StepResult[] = [];
    let index = progress.nextStep;
    const untilIndex =
      typeof limits.until === 'number' ? limits.until : limits.until ? timeline.findIndex((s) => s.id === limits.until) : -1;
    while (index < timeline.length) {
      if (untilIndex >= 0 && index >= untilIndex) break;
      if (limits.steps !== undefined && steps.length >= limits.steps) break;
      const step = timeline[index]!;
      const result: StepResult = { index, id: step.id ?? null, label: stepLabel(step), ok: true, now: null, failure: null };
      try {
        await runStep(play, step);
        result.now = await this.engine.read(clientId, (w) => clockView(w).now);
      } catch (e) {
        result.ok = false;
        const why = e instanceof ExpectationFailed ? e.message : describeError(e);
        result.failure = `step ${index + 1} of ${timeline.length} (${result.label}): ${why}`;
      }
      steps.push(result);
      limits.onStep?.(result, timeline.length);
      if (!result.ok) return { steps, progress, ok: false, failure: result.failure };
      index += 1;
      progress.nextStep = index;
      await limits.afterStep?.();
    }
    progress.finished = index >= timeline.length;
    return { steps, progress, ok: true, failure: null };
  }
}
