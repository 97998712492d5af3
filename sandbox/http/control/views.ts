/** Domain -> control API views: NOK decimals, instants with the client's offset, names Go shows. */
import type { Static } from '@sinclair/typebox';
import type {
  Case,
  ClientSettings,
  Customer,
  DomainEvent,
  Integration,
  Invoice,
  ReceptionDraft,
  Voucher,
  VoucherLine,
  World,
} from '../../domain/model.js';
import { oreToNok } from '../../domain/money.js';
import { formatLocalInstant } from '../../domain/time.js';
import { today } from '../../domain/context.js';
import { caseCreatingIntegration, hasCompleteMailAddress, inkassosatsTable, lateInterestTable } from '../../domain/world.js';
import { maxReminderFee } from '../../domain/norwegian-rates.js';
import { reversalOf, voucherById } from '../../domain/ledger.js';
import { nextActionOf } from '../../domain/queries/lists.js';
import { planNext } from '../../domain/rules/index.js';
import type * as C from '../../../contracts/schemas/control.js';

type V<
  T extends
    | 'SettingsView'
    | 'IntegrationView'
    | 'ClockView'
    | 'ClientView'
    | 'CustomerView'
    | 'InvoiceView'
    | 'CaseView'
    | 'EventView'
    | 'VoucherView'
    | 'ReceptionDraftView',
> = Static<(typeof C)[T]>;

const nok = oreToNok;
const at = (world: World, instant: string) => formatLocalInstant(instant, world.timeZone);
const atOrNull = (world: World, instant: string | null) => (instant ? at(world, instant) : null);

export function settingsView(world: World): V<'SettingsView'> {
  const s: ClientSettings = world.settings;
  const step = <T extends { fee?: number }>(x: T) => ({ ...x, ...(x.fee !== undefined ? { fee: nok(x.fee) } : {}) });
  return {
    reminderSteps: {
      friendlyReminder: { ...s.reminderSteps.friendlyReminder },
      paymentReminder: step(s.reminderSteps.paymentReminder),
      collectionNotice: step(s.reminderSteps.collectionNotice),
    },
    minimumAmount: nok(s.minimumAmount),
    draftDaysWithoutReminders: s.draftDaysWithoutReminders,
    enumFormat: s.enumFormat,
    v1ErrorStatuses: s.v1ErrorStatuses,
    v1StatusTextCloses: s.v1StatusTextCloses,
    v1DeleteBody: s.v1DeleteBody,
    v1MergeCasesId: s.v1MergeCasesId,
    tokenLifetimeSeconds: s.tokenLifetimeSeconds,
    v1TokenLifetimeSeconds: s.v1TokenLifetimeSeconds,
    v1RefreshTokens: s.v1RefreshTokens,
    lateInterestRates: lateInterestTable(world).map((r) => ({
      from: r.from,
      percent: r.basisPoints / 100,
      source: r.source,
      verified: r.verified,
    })),
    inkassosats: inkassosatsTable(world).map((r) => ({ from: r.from, amount: nok(r.ore), source: r.source, verified: r.verified })),
    maxReminderFeeToday: nok(maxReminderFee(today(world), inkassosatsTable(world))),
    caseCreatingIntegrationId: caseCreatingIntegration(world)?.id ?? null,
    rateLimits: { ...s.rateLimits },
    v2Wire: { ...s.v2Wire },
    paymentMatching: { ...s.paymentMatching, reversalDate: s.paymentMatching.reversalDate ?? 'original' },
  };
}

export function integrationView(world: World, i: Integration): V<'IntegrationView'> {
  return {
    id: i.id,
    name: i.name,
    kind: i.kind,
    canCreateNewCases: i.canCreateNewCases,
    rights: { ...i.rights },
    autoApprove: {
      enabled: i.autoApprove.enabled,
      fromInvoiceDate: i.autoApprove.fromInvoiceDate,
      changedAt: atOrNull(world, i.autoApprove.changedAt),
    },
    applicationKey: i.applicationKey,
    clientKey: i.clientKey,
    subscriptionKey: i.subscriptionKey,
    createdAt: at(world, i.createdAt),
  };
}

export function clockView(world: World): V<'ClockView'> {
  return { now: at(world, world.clock.now), today: today(world), timeZone: world.timeZone };
}

export function clientView(world: World, endpoints: V<'ClientView'>['endpoints']): V<'ClientView'> {
  return {
    id: world.id,
    name: world.name,
    timeZone: world.timeZone,
    now: at(world, world.clock.now),
    today: today(world),
    createdAt: at(world, world.createdAt),
    integrations: world.integrations.map((i) => integrationView(world, i)),
    settings: settingsView(world),
    counts: {
      customers: Object.keys(world.customers).length,
      invoices: Object.keys(world.invoices).length,
      cases: Object.keys(world.cases).length,
      events: world.events.length,
    },
    endpoints,
  };
}

export function customerView(world: World, c: Customer): V<'CustomerView'> {
  return {
    id: c.id,
    number: c.number,
    name: c.name,
    isPerson: c.isPerson,
    firstName: c.firstName,
    lastName: c.lastName,
    organizationNumber: c.organizationNumber,
    nationalIdNumber: c.nationalIdNumber,
    dateOfBirth: c.dateOfBirth,
    phoneNumber: c.phoneNumber,
    emailAddress: c.emailAddress,
    invoiceEmailAddress: c.invoiceEmailAddress,
    paymentReminderEmailAddress: c.paymentReminderEmailAddress,
    reminderDeliveryType: c.reminderDeliveryType,
    noticeOfDebtCollectionDeliveryType: c.noticeOfDebtCollectionDeliveryType,
    mailAddress: { ...c.mailAddress },
    hasCompleteMailAddress: hasCompleteMailAddress(c),
    transferToDebtCollectionAgency: c.transferToDebtCollectionAgency,
    createdAt: at(world, c.createdAt),
    lastChanged: at(world, c.lastChanged),
  };
}

function listed(world: World, inv: Invoice) {
  const c = world.customers[String(inv.customerId)]!;
  return {
    id: inv.id,
    invoiceNo: inv.invoiceNo,
    customerId: c.id,
    customerNumber: c.number,
    customerName: c.name,
    invoiceDate: inv.invoiceDate,
    dueDate: inv.dueDate,
    amount: nok(inv.amount),
    openAmount: nok(inv.openAmount),
    status: inv.collection.status,
  };
}

export function invoiceView(world: World, inv: Invoice): V<'InvoiceView'> {
  const c = inv.collection;
  const inReminderList = inv.kind === 'invoice' && (c.status === 'None' || c.status === 'Rejected') && inv.openAmount > 0;
  const next = inReminderList ? nextActionOf(world, inv) : null;
  const due = planNext(world, inv);
  return {
    ...listed(world, inv),
    kind: inv.kind,
    currencyCode: inv.currencyCode,
    vatCode: inv.vatCode,
    cid: inv.cid,
    voucherId: inv.voucherId,
    imported: inv.imported,
    importedVoucherNo: inv.importedVoucherNo,
    externalImportReference: inv.externalImportReference,
    customMatchingReference: inv.matchingReference ?? null,
    creditedInvoiceId: inv.creditedInvoiceId,
    nextAction: next?.nextAction ?? null,
    nextActionDate: next?.date ?? null,
    nextActionReason: next?.reason ?? null,
    caseId: c.caseId,
    caseCode: c.caseId ? (world.cases[c.caseId]?.code ?? null) : null,
    obstacle: c.obstacle ? { at: at(world, c.obstacle.at), reason: c.obstacle.reason } : null,
    reminders: inv.reminders.map((r) => ({
      step: r.step,
      sentDate: r.sentDate,
      dueDate: r.dueDate,
      fee: nok(r.fee),
      interest: nok(r.interest),
      voucherNo: r.voucherId ? (voucherById(world, r.voucherId)?.voucherNo ?? null) : null,
      reversed: Boolean(r.reversedByVoucherId),
    })),
    matches: inv.matches.map((m) => {
      const v = voucherById(world, m.voucherId)!;
      return {
        id: m.id,
        kind: m.kind,
        amount: nok(m.amount),
        date: m.date,
        voucherId: v.id,
        voucherNo: v.voucherNo,
        voucherType: v.type,
        matchId: m.matchId,
        isWriteOff: m.isWriteOff,
        reversed: Boolean(m.reversedByVoucherId),
      };
    }),
    schedule: due ? { rule: due.rule, at: at(world, due.at), on: due.date, reason: due.reason } : null,
    lastChanged: at(world, inv.lastChanged),
  };
}

export function caseView(world: World, k: Case): V<'CaseView'> {
  return {
    id: k.id,
    code: k.code,
    integrationId: k.integrationId,
    integrationName: world.integrations.find((i) => i.id === k.integrationId)?.name ?? '',
    customerId: k.customerId,
    status: k.status,
    invoices: k.invoiceIds.map((id) => listed(world, world.invoices[id]!)),
    externalCaseUrl: k.externalCaseUrl,
    balanceAgency: k.balanceAgency === null ? null : nok(k.balanceAgency),
    history: k.history.map((h) => ({
      at: at(world, h.at),
      statusText: h.statusText,
      isCaseClosed: h.isCaseClosed,
      balanceAgency: h.balanceAgency === null ? null : nok(h.balanceAgency),
    })),
    createdAt: at(world, k.createdAt),
    lastChanged: at(world, k.lastChanged),
    closedAt: atOrNull(world, k.closedAt),
  };
}

export { listed as listedInvoice };

/** Keys of event data that hold øre inside and NOK on the control API. */
const MONEY_KEYS = new Set(['amount', 'openAmount', 'fee', 'interest', 'balanceAgency']);

export function eventView(world: World, e: DomainEvent): V<'EventView'> {
  const data = Object.fromEntries(Object.entries(e.data).map(([k, v]) => [k, MONEY_KEYS.has(k) && typeof v === 'number' ? nok(v) : v]));
  return { seq: e.seq, at: at(world, e.at), type: e.type, actor: { ...e.actor }, cause: e.cause, refs: { ...e.refs }, data };
}

function lineView(l: VoucherLine) {
  return {
    account: l.account,
    amount: nok(l.amount),
    customerId: l.customerId ?? null,
    invoiceId: l.invoiceId ?? null,
    vatCode: l.vatCode ?? null,
    description: l.description ?? null,
  };
}

export function voucherView(world: World, v: Voucher): V<'VoucherView'> {
  return {
    id: v.id,
    voucherNo: v.voucherNo,
    type: v.type,
    date: v.date,
    postedAt: at(world, v.postedAt),
    description: v.description,
    lines: v.lines.map(lineView),
    importedVoucherNo: v.importedVoucherNo,
    externalImportReference: v.externalImportReference,
    reversesVoucherId: v.reversesVoucherId,
    reversedByVoucherId: reversalOf(world, v.id),
  };
}

export function receptionView(world: World, d: ReceptionDraft): V<'ReceptionDraftView'> {
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    integrationId: d.integrationId,
    date: d.date,
    description: d.description,
    lines: d.lines.map(lineView),
    externalImportReference: d.externalImportReference,
    submittedAt: at(world, d.submittedAt),
    postedVoucherId: d.postedVoucherId,
  };
}
