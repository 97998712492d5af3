/**
 * Playing a scenario: set up its world on a client, then run its timeline step by step through the control API
 * and the real agency API (never the store), checking expectations after each step. The same runner drives a
 * remote server (CLI --base-url) and the in-process dispatcher (the /run endpoint, tests).
 */
import type { ScenarioFile, ScenarioStepT, ExpectationT, AgencyCallT } from '../../contracts/schemas/scenario.js';
import type { ScenarioProgress } from '../../sandbox/domain/model.js';
import {
  ClientControl,
  SandboxControl,
  endpointsOf,
  type ClientView,
  type InvoiceView,
  type SettingsInput,
} from '../../sdk/control/client.js';
import { AgencyClient } from '../../sdk/client/agency.js';
import { ApiError } from '../../sdk/errors.js';
import type { Fetch } from '../../sdk/http.js';
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

export interface RunnerTransport {
  baseUrl: string;
  fetch?: Fetch;
  adminToken?: string;
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

export class ScenarioRunner {
  readonly control: SandboxControl;
  private readonly agencies = new Map<string, AgencyClient>();

  constructor(
    readonly scenario: ScenarioFile,
    private readonly transport: RunnerTransport,
  ) {
    this.control = new SandboxControl({
      baseUrl: transport.baseUrl,
      ...(transport.fetch ? { fetch: transport.fetch } : {}),
      ...(transport.adminToken ? { adminToken: transport.adminToken } : {}),
    });
  }

  /** A new client for this scenario: its start date and integrations, then its initial world. */
  async createClient(
    options: { id?: string; name?: string; startDate?: string } = {},
  ): Promise<{ client: ClientControl; progress: ScenarioProgress }> {
    const s = this.scenario;
    const created = await this.control.clients.create({
      ...(options.id ? { id: options.id } : {}),
      name: options.name ?? s.title,
      startDate: options.startDate ?? s.start,
      ...(s.integrations ? { integrations: s.integrations.map(({ ref: _ref, ...i }) => i) } : {}),
    });
    const client = this.control.client(created.view.id);
    try {
      return { client, progress: await this.setUp(client, created.view) };
    } catch (e) {
      await client.delete().catch(() => undefined);
      throw e;
    }
  }

  /** Put the scenario's initial world on a client; relative dates count from the client's today. */
  async setUp(client: ClientControl, view?: ClientView): Promise<ScenarioProgress> {
    const s = this.scenario;
    let current = view ?? (await client.get());
    const progress: ScenarioProgress = { name: s.name, start: current.today, nextStep: 0, refs: {}, finished: false };
    if (s.integrations) {
      for (const spec of s.integrations) {
        let found = current.integrations.find((i) => i.name === spec.name);
        if (!found) {
          const { ref: _ref, ...input } = spec;
          found = await client.integrations.add(input);
          current = await client.get();
        }
        progress.refs[key('integration', spec.ref)] = found.id;
      }
    } else {
      const main = current.integrations.find((i) => i.canCreateNewCases) ?? current.integrations[0];
      if (main) progress.refs[key('integration', 'default')] = main.id;
    }
    if (s.settings) await client.settings.update(this.settings(s.settings, progress));
    for (const c of s.customers ?? []) {
      const { ref, ...input } = c;
      progress.refs[key('customer', ref)] = String((await client.customers.create(input)).id);
    }
    for (const inv of s.invoices ?? []) progress.refs[key('invoice', inv.ref)] = (await this.postInvoice(client, inv, progress)).id;
    return progress;
  }

  /** Run steps from progress.nextStep, within the limits; stops at the first failure. */
  async run(client: ClientControl, progress: ScenarioProgress, limits: RunLimits = {}): Promise<RunOutcome> {
    const timeline = this.scenario.timeline;
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
        await this.step(client, step, progress);
        result.now = (await client.clock.get()).now;
      } catch (e) {
        result.ok = false;
        result.failure = `step ${index + 1} of ${timeline.length} (${result.label}): ${e instanceof ExpectationFailed ? e.message : describeError(e)}`;
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

  // ---- steps ---------------------------------------------------------------------------------------------

  private ref(progress: ScenarioProgress, kind: string, ref: string): string {
    const id = progress.refs[key(kind, ref)];
    if (!id) throw new ExpectationFailed(`${kind} '${ref}' is not known yet (did the step that makes it fail?)`);
    return id;
  }

  private refs(progress: ScenarioProgress, kind: string, refs: readonly string[]): string[] {
    return refs.map((r) => this.ref(progress, kind, r));
  }

  private settings(s: NonNullable<ScenarioFile['settings']>, progress: ScenarioProgress): SettingsInput {
    const { autoApprove, caseCreatingIntegration, reminderSteps, ...rest } = s;
    return {
      ...rest,
      ...(reminderSteps ? { reminderSteps: reminderSteps as NonNullable<SettingsInput['reminderSteps']> } : {}),
      ...(caseCreatingIntegration ? { caseCreatingIntegrationId: this.ref(progress, 'integration', caseCreatingIntegration) } : {}),
      ...(autoApprove
        ? {
            autoApprove: {
              enabled: autoApprove.enabled,
              ...(autoApprove.fromInvoiceDate ? { fromInvoiceDate: resolveDate(autoApprove.fromInvoiceDate, progress.start) } : {}),
              ...(autoApprove.integration ? { integrationId: this.ref(progress, 'integration', autoApprove.integration) } : {}),
            },
          }
        : {}),
    };
  }

  private postInvoice(client: ClientControl, inv: NonNullable<ScenarioStepT['invoice']>, progress: ScenarioProgress): Promise<InvoiceView> {
    const { ref: _ref, customer, due, invoiceDate, ...rest } = inv;
    return client.invoices.create({
      ...rest,
      customerId: Number(this.ref(progress, 'customer', customer)),
      ...(invoiceDate ? { invoiceDate: resolveDate(invoiceDate, progress.start) } : {}),
      ...(due ? { dueDate: resolveDate(due, progress.start) } : {}),
    });
  }

  private async step(client: ClientControl, step: ScenarioStepT, progress: ScenarioProgress): Promise<void> {
    try {
      await this.action(client, step, progress);
      if (step.expectError) throw new ExpectationFailed(`expected HTTP ${step.expectError.status}, but the action succeeded`);
    } catch (e) {
      if (!step.expectError || !(e instanceof ApiError)) throw e;
      const text = ApiError.describe(e.body);
      // A v1 refusal is HTTP 200 with success false, as the vendor answers; the sandbox names its status in X-Sandbox-Detail.
      const status = e.status === 200 && e.v1 ? (e.sandboxDetail?.httpStatus ?? e.status) : e.status;
      if (status !== step.expectError.status)
        throw new ExpectationFailed(`expected HTTP ${step.expectError.status}, got ${status}: ${text}`);
      if (step.expectError.contains && !text.includes(step.expectError.contains))
        throw new ExpectationFailed(`expected the error to mention '${step.expectError.contains}', got: ${text}`);
    }
    for (const e of step.expect ?? []) await this.expect(client, e, progress);
  }

  private async action(client: ClientControl, step: ScenarioStepT, progress: ScenarioProgress): Promise<void> {
    const start = progress.start;
    const sel = (s: string[] | 'all') => (s === 'all' ? { all: true } : { invoiceIds: this.refs(progress, 'invoice', s) });
    if (step.at) await client.clock.advance({ to: resolveMoment(step.at, start) });
    else if (step.advance) await client.clock.advance(step.advance);
    else if (step.approve) await client.collection.approve(sel(step.approve));
    else if (step.hold) await client.collection.hold(sel(step.hold));
    else if (step.release) await client.collection.release(sel(step.release));
    else if (step.remove) await client.collection.remove(sel(step.remove));
    else if (step.override)
      await client.collection.override({
        invoiceIds: this.refs(progress, 'invoice', step.override.invoices),
        ...(step.override.nextAction ? { nextAction: step.override.nextAction } : {}),
      });
    else if (step.customer) {
      const { ref, ...input } = step.customer;
      progress.refs[key('customer', ref)] = String((await client.customers.create(input)).id);
    } else if (step.updateCustomer) {
      const { customer, ...change } = step.updateCustomer;
      await client.customers.update(Number(this.ref(progress, 'customer', customer)), change);
    } else if (step.invoice) progress.refs[key('invoice', step.invoice.ref)] = (await this.postInvoice(client, step.invoice, progress)).id;
    else if (step.creditNote) {
      const note = await client.creditNote({
        invoiceId: this.ref(progress, 'invoice', step.creditNote.invoice),
        amount: step.creditNote.amount,
        ...(step.creditNote.date ? { date: resolveDate(step.creditNote.date, start) } : {}),
      });
      if (step.creditNote.ref) progress.refs[key('invoice', step.creditNote.ref)] = note.id;
    } else if (step.payment) {
      const p = step.payment;
      const voucher = await client.payment({
        ...(p.invoice ? { invoiceId: this.ref(progress, 'invoice', p.invoice), amount: p.amount! } : {}),
        ...(p.lines
          ? {
              lines: p.lines.map((l) => ({
                amount: l.amount,
                ...(l.invoice ? { invoiceId: this.ref(progress, 'invoice', l.invoice) } : {}),
                ...(l.invoices ? { invoiceIds: this.refs(progress, 'invoice', l.invoices) } : {}),
              })),
            }
          : {}),
        ...(p.date ? { date: resolveDate(p.date, start) } : {}),
        ...(p.kind ? { kind: p.kind } : {}),
      });
      if (p.ref) progress.refs[key('payment', p.ref)] = voucher.id;
    } else if (step.writeOff) {
      const w = step.writeOff;
      const voucher = await client.writeOffs.create({
        invoiceIds: this.refs(progress, 'invoice', w.invoices),
        ...(w.date ? { date: resolveDate(w.date, start) } : {}),
        ...(w.vatCode ? { vatCode: w.vatCode } : {}),
        ...(w.description ? { description: w.description } : {}),
      });
      if (w.ref) progress.refs[key('writeOff', w.ref)] = voucher.id;
    } else if (step.reverseWriteOff) await client.writeOffs.reverse(this.ref(progress, 'writeOff', step.reverseWriteOff.writeOff));
    else if (step.settings) await client.settings.update(this.settings(step.settings, progress));
    else if (step.integration) {
      const { ref, ...input } = step.integration;
      progress.refs[key('integration', ref)] = (await client.integrations.add(input)).id;
    } else if (step.switchAgency)
      await client.settings.update({ caseCreatingIntegrationId: this.ref(progress, 'integration', step.switchAgency) });
    else if (step.approveReception) {
      for (const d of await client.voucherReception.list()) if (d.status === 'Draft') await client.voucherReception.approve(d.id);
    } else if (step.agency) await this.agencyCall(client, step.agency, progress);
    else if (step.snapshot) await client.snapshots.save(step.snapshot);
  }

  private async agency(client: ClientControl, progress: ScenarioProgress, as?: string): Promise<AgencyClient> {
    const view = await client.get();
    const id = as
      ? this.ref(progress, 'integration', as)
      : (view.integrations.find((i) => i.canCreateNewCases) ?? view.integrations[0])?.id;
    const integration = view.integrations.find((i) => i.id === id);
    if (!integration) throw new ExpectationFailed(`no integration ${as ?? '(that may create new cases)'} on the client`);
    let agency = this.agencies.get(`${client.id}:${integration.id}`);
    if (!agency) {
      agency = new AgencyClient({ ...endpointsOf(view, integration.id), ...(this.transport.fetch ? { fetch: this.transport.fetch } : {}) });
      this.agencies.set(`${client.id}:${integration.id}`, agency);
    }
    return agency;
  }

  private async agencyCall(client: ClientControl, call: AgencyCallT, progress: ScenarioProgress): Promise<void> {
    const agency = await this.agency(client, progress, call.as);
    const dc = agency.debtCollection;
    const start = progress.start;
    if (call.createCase) {
      const c = call.createCase;
      const created = await dc.createCase({
        code: c.code,
        ...(c.invoices ? { invoices: this.refs(progress, 'invoice', c.invoices) } : {}),
        ...(c.externalCaseUrl ? { externalCaseUrl: c.externalCaseUrl } : {}),
        ...(c.balanceAgency !== undefined ? { balanceAgency: c.balanceAgency } : {}),
      });
      progress.refs[key('case', c.ref)] = created.id;
    } else if (call.addInvoices)
      await dc.addInvoicesToCase(
        this.ref(progress, 'case', call.addInvoices.case),
        this.refs(progress, 'invoice', call.addInvoices.invoices),
      );
    else if (call.mergeCases) {
      const m = call.mergeCases;
      const merged = await dc.mergeCases({
        caseNo: m.caseNo,
        caseIds: this.refs(progress, 'case', m.cases),
        ...(m.externalCaseUrl ? { externalCaseUrl: m.externalCaseUrl } : {}),
      });
      if (m.ref) progress.refs[key('case', m.ref)] = merged.id;
    } else if (call.updateStatus) {
      const u = call.updateStatus;
      await dc.updateStatus({
        caseId: this.ref(progress, 'case', u.case),
        statusText: u.statusText,
        ...(u.isCaseClosed !== undefined ? { isCaseClosed: u.isCaseClosed } : {}),
        ...(u.balanceAgency !== undefined ? { updatedBalanceAgency: u.balanceAgency } : {}),
      });
    } else if (call.rejectCase) await dc.rejectCase(this.ref(progress, 'case', call.rejectCase.case));
    else if (call.bankJournal) await this.bankJournal(client, agency, call.bankJournal, progress, start);
    else if (call.manualJournal) {
      const j = call.manualJournal;
      const accounts = await this.accountIds(agency);
      const date = j.date ? resolveDate(j.date, start) : (await client.clock.get()).today;
      await agency.call('v2', 'POST', '/JournalEntryVouchers/ManualJournals', {
        body: {
          VoucherDate: date,
          CurrencyCode: 'NOK',
          Description: j.description ?? 'Settlement from the agency',
          ManualVoucherLines: j.lines.map((l) => ({
            ...(l.debit ? { DebitAccountId: accounts.gl(l.debit) } : {}),
            ...(l.credit ? { CreditAccountId: accounts.gl(l.credit) } : {}),
            ...(l.vatCode ? { DebitVatId: accounts.vat(l.vatCode) } : {}),
            CurrencyAmount: l.amount,
            PostingDate: date,
            ...(l.description ? { Description: l.description } : {}),
          })),
        },
      });
    }
  }

  /** Look up the v2 ids of GL accounts and VAT codes, as an agency must (they are not the account numbers). */
  private async accountIds(agency: AgencyClient) {
    const accounts = (await agency.call<Array<{ Id: number; AccountNo: number }>>('v2', 'GET', '/GeneralLedgerAccounts')).body;
    const vats = (await agency.call<Array<{ Id: number; Code: string }>>('v2', 'GET', '/VatCodes')).body;
    return {
      gl: (no: number) => accounts.find((a) => a.AccountNo === no)?.Id ?? no,
      vat: (code: string) => vats.find((v) => v.Code === code)?.Id,
    };
  }

  private async bankJournal(
    client: ClientControl,
    agency: AgencyClient,
    j: NonNullable<AgencyCallT['bankJournal']>,
    progress: ScenarioProgress,
    start: string,
  ): Promise<void> {
    const accounts = await this.accountIds(agency);
    const date = j.date ? resolveDate(j.date, start) : (await client.clock.get()).today;
    const lines = [];
    const subledger = async (customerId: number) => {
      const customers = (await agency.call<Array<{ Id: number; SubledgerAccountId: number }>>('v2', 'GET', `/Customers/${customerId}`))
        .body;
      return (Array.isArray(customers) ? customers[0]! : (customers as unknown as { SubledgerAccountId: number })).SubledgerAccountId;
    };
    for (const l of j.lines) {
      const common = { CurrencyAmount: l.amount, PostingDate: date, VatId: null, ...(l.description ? { Description: l.description } : {}) };
      const given = {
        ...(l.invoiceNo ? { InvoiceNo: l.invoiceNo } : {}),
        ...(l.cid ? { Cid: l.cid } : {}),
        ...(l.customMatchingReference ? { CustomMatchingReference: l.customMatchingReference } : {}),
      };
      if (l.invoice) {
        const inv = await client.invoices.get(this.ref(progress, 'invoice', l.invoice));
        const by = l.by ?? 'invoiceNo';
        const named = by === 'invoiceNo' ? { InvoiceNo: String(inv.invoiceNo) } : by === 'cid' ? { Cid: inv.cid } : {};
        lines.push({ AccountId: await subledger(inv.customerId), ...common, ...named, ...given });
      } else if (l.customer) {
        lines.push({ AccountId: await subledger(Number(this.ref(progress, 'customer', l.customer))), ...common, ...given });
      } else lines.push({ AccountId: accounts.gl(l.account ?? 1920), ...common });
    }
    await agency.call('v2', 'POST', '/Vouchers/BankJournals', {
      body: {
        VoucherDate: date,
        CurrencyCode: 'NOK',
        Description: j.description ?? 'Settlement from the agency',
        ...(j.externalImportReference ? { ExternalImportReference: j.externalImportReference } : {}),
        VoucherLines: lines,
      },
    });
  }

  // ---- expectations --------------------------------------------------------------------------------------

  private async expect(client: ClientControl, e: ExpectationT, progress: ScenarioProgress): Promise<void> {
    if (typeof e === 'string') return this.expectSentence(client, e, progress);
    const o = e as Record<string, any>;
    if (o.invoice !== undefined) return this.expectInvoice(client, o, progress);
    if (o.case !== undefined) return this.expectCase(client, o, progress);
    if (o.matchedItems !== undefined) {
      const agency = await this.agency(client, progress, o.as);
      const items = (await agency.debtCollection.matchedItems(this.ref(progress, 'invoice', o.matchedItems))).data;
      const got = {
        count: items.length,
        writeOffs: items.filter((i) => i.isWriteOff).length,
        total: round(items.reduce((s, i) => s + i.amount, 0)),
      };
      for (const k of ['count', 'writeOffs', 'total'] as const)
        if (o[k] !== undefined && o[k] !== got[k])
          throw new ExpectationFailed(
            `expected ${o[k]} as matched items' ${k} of ${o.matchedItems}, the agency sees ${got[k]} (${JSON.stringify(items.map((i) => ({ voucherType: i.voucherType, amount: i.amount, isWriteOff: i.isWriteOff })))})`,
          );
      return;
    }
    if (o.customerLedger !== undefined) return this.expectCustomerLedger(client, o, progress);
    if (o.available !== undefined) {
      const agency = await this.agency(client, progress, o.as);
      const ids = (await agency.debtCollection.availableInvoices()).data.map((i) => i.id).sort();
      const want = this.refs(progress, 'invoice', o.available).sort();
      if (JSON.stringify(ids) !== JSON.stringify(want))
        throw new ExpectationFailed(
          `expected AvailableInvoices to be [${o.available.join(', ')}], the agency sees ${ids.length} invoice(s): ${await this.names(progress, ids)}`,
        );
      return;
    }
    if (o.ledger) {
      const check = await client.checkLedger();
      if (!check.ok) throw new ExpectationFailed(`expected the ledger to balance; breaches: ${check.breaches.join('; ')}`);
      return;
    }
    if (o.voucherReception !== undefined) {
      const drafts = (await client.voucherReception.list()).filter((d) => d.status === 'Draft');
      if (drafts.length !== o.voucherReception)
        throw new ExpectationFailed(`expected ${o.voucherReception} draft(s) in the voucher reception, found ${drafts.length}`);
      return;
    }
    if (o.events) {
      const events = (await client.events({ type: o.events.type })).events;
      if (events.length !== o.events.count)
        throw new ExpectationFailed(`expected ${o.events.count} '${o.events.type}' event(s), found ${events.length}`);
      return;
    }
    if (o.today) {
      const today = (await client.clock.get()).today;
      const want = resolveDate(o.today, progress.start);
      if (today !== want) throw new ExpectationFailed(`expected today to be ${want}, the clock says ${today}`);
    }
  }

  private async expectCustomerLedger(client: ClientControl, o: Record<string, any>, progress: ScenarioProgress): Promise<void> {
    const agency = await this.agency(client, progress, o.as);
    const customerId = Number(this.ref(progress, 'customer', o.customerLedger));
    const today = (await client.clock.get()).today;
    const list = <T>(body: unknown): T[] => (Array.isArray(body) ? (body as T[]) : []);
    const balances = list<{ CustomerId: number; CustomerAccountNo: number; Balance: number }>(
      (await agency.call('v2', 'GET', '/Customerledger/CustomerBalances', { query: { date: today } })).body,
    );
    const number = (await client.customers.get(customerId)).number;
    const items = list<{ Balance: number; VoucherType: string; InvoiceNo: string | null }>(
      (await agency.call('v2', 'GET', '/Customerledger/OpenItems', { query: { date: today, customerNos: String(number) } })).body,
    );
    const unmatched = (await client.checkLedger()).unmatched.filter((u) => u.customerId === customerId);
    const got: Record<string, unknown> = {
      balance: round(balances.find((b) => b.CustomerId === customerId)?.Balance ?? 0),
      openItems: items.length,
      credit: round(items.filter((i) => i.Balance < 0).reduce((s, i) => s + i.Balance, 0)),
      unmatched: unmatched.length,
    };
    for (const k of ['balance', 'openItems', 'credit', 'unmatched'] as const)
      if (o[k] !== undefined && o[k] !== got[k])
        throw new ExpectationFailed(
          `expected ${k} ${o[k]} on ${o.customerLedger}'s ledger, the agency sees ${JSON.stringify(got)} (open items ${JSON.stringify(items.map((i) => [i.VoucherType, i.InvoiceNo, i.Balance]))})`,
        );
    if (o.reason !== undefined) {
      const other = unmatched.filter((u) => u.reason !== o.reason);
      if (unmatched.length === 0 || other.length)
        throw new ExpectationFailed(
          `expected every unmatched item of ${o.customerLedger} to be ${o.reason}; found ${JSON.stringify(unmatched.map((u) => u.reason))}`,
        );
    }
  }

  private async names(progress: ScenarioProgress, ids: string[]): Promise<string> {
    const byId = new Map(
      Object.entries(progress.refs)
        .filter(([k]) => k.startsWith('invoice:'))
        .map(([k, v]) => [v, k.slice(8)]),
    );
    return ids.map((id) => byId.get(id) ?? id).join(', ') || 'none';
  }

  private async expectSentence(client: ClientControl, sentence: string, progress: ScenarioProgress): Promise<void> {
    const on = /\s+on\s+(\S+)$/.exec(sentence);
    const text = on ? sentence.slice(0, on.index) : sentence;
    if (on) {
      const target = resolveMoment(on[1]!, progress.start);
      const clock = await client.clock.get();
      if (target > clock.now.slice(0, 16)) await client.clock.advance({ to: target });
    }
    let m: RegExpExecArray | null;
    if ((m = /^invoice\s+(\S+)\s+is\s+(\w+)$/.exec(text))) return this.expectInvoice(client, { invoice: m[1], status: m[2] }, progress);
    if ((m = /^invoice\s+(\S+)\s+open amount is\s+([\d.]+)$/.exec(text)))
      return this.expectInvoice(client, { invoice: m[1], openAmount: Number(m[2]) }, progress);
    if ((m = /^case\s+(\S+)\s+is\s+(\w+)$/.exec(text))) return this.expectCase(client, { case: m[1], status: m[2] }, progress);
    if (/^ledger balances$/.test(text)) return this.expect(client, { ledger: 'balanced' }, progress);
    throw new ExpectationFailed(`cannot read expectation '${sentence}'`);
  }

  private async expectInvoice(client: ClientControl, o: Record<string, any>, progress: ScenarioProgress): Promise<void> {
    const id = this.ref(progress, 'invoice', o.invoice);
    const inv = await client.invoices.get(id);
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
    const want: Record<string, unknown> = { ...o };
    if (o.case !== undefined) want.case = this.ref(progress, 'case', o.case);
    if (o.nextActionDate !== undefined) want.nextActionDate = resolveDate(o.nextActionDate, progress.start);
    const matches = (k: string) =>
      k === 'obstacleReason' ? typeof got[k] === 'string' && (got[k] as string).includes(String(want[k])) : want[k] === got[k];
    const wrong = Object.keys(want).filter((k) => k !== 'invoice' && !matches(k));
    if (wrong.length) {
      const explain = await client.invoices.explain(id).catch(() => undefined);
      throw new ExpectationFailed(
        `expected invoice ${o.invoice} (${inv.invoiceNo}) to have ${wrong.map((k) => `${k} ${JSON.stringify(o[k])}`).join(', ')}, but the world holds ${wrong.map((k) => `${k} ${JSON.stringify(k === 'case' ? inv.caseCode : got[k])}`).join(', ')}` +
          (explain ? `. Explain: ${explain.summary}` : ''),
      );
    }
  }

  private async expectCase(client: ClientControl, o: Record<string, any>, progress: ScenarioProgress): Promise<void> {
    const id = this.ref(progress, 'case', o.case);
    const lists = await client.collection.lists();
    const kase = [...lists.open, ...lists.archived].find((c) => c.id === id);
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
      const want = this.refs(progress, 'invoice', o.invoices).sort();
      const have = kase.invoices.map((i) => i.id).sort();
      if (JSON.stringify(want) !== JSON.stringify(have))
        problems.push(`invoices [${o.invoices.join(', ')}] but it holds ${await this.names(progress, have)}`);
    }
    if (problems.length) throw new ExpectationFailed(`expected case ${o.case} (${kase.code}) to have ${problems.join('; ')}`);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function describeError(e: unknown): string {
  if (e instanceof ApiError) return `HTTP ${e.status}: ${ApiError.describe(e.body)}`;
  return (e as Error)?.message ?? String(e);
}
