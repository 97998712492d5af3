/**
 * The client's integrations. Several debt-collection integrations may be active, but only one may create new
 * cases; existing cases stay with the integration that created them. Debt collection and factoring exclude
 * each other. Activating the first debt-collection integration ticks "overfør til inkassobyrå" on every customer.
 */
import type { CommandContext } from '../context.js';
import { emit, now } from '../context.js';
import type { Integration } from '../model.js';
import { reject } from '../errors.js';
import { nextUuid } from '../ids.js';
import { collectionActive, getIntegration } from '../world.js';
import { rescheduleAll } from '../schedule.js';
import type { LocalDate } from '../time.js';

export interface IntegrationKeys {
  applicationKey: string;
  clientKey: string;
  subscriptionKey: string;
}

export interface NewIntegration {
  name: string;
  kind: Integration['kind'];
  canCreateNewCases?: boolean;
  rights?: Integration['rights'];
  keys: IntegrationKeys;
}

/** An integration as the control API, client creation and scenarios ask for one: kind defaults to debt collection. */
export interface IntegrationSpec {
  name: string;
  kind?: Integration['kind'] | undefined;
  canCreateNewCases?: boolean | undefined;
  rights?: Integration['rights'] | undefined;
}

export function integrationFrom(spec: IntegrationSpec, keys: IntegrationKeys): NewIntegration {
  return {
    name: spec.name,
    kind: spec.kind ?? 'debtCollection',
    keys,
    ...(spec.canCreateNewCases !== undefined ? { canCreateNewCases: spec.canCreateNewCases } : {}),
    ...(spec.rights ? { rights: spec.rights } : {}),
  };
}

export interface IntegrationChange {
  name?: string;
  canCreateNewCases?: boolean;
  rights?: Integration['rights'];
  autoApprove?: { enabled: boolean; fromInvoiceDate?: LocalDate | null };
}

export function addIntegration(ctx: CommandContext, input: NewIntegration): Integration {
  const world = ctx.world;
  const other = input.kind === 'factoring' ? 'debtCollection' : 'factoring';
  const clash = world.integrations.find((i) => i.kind === other);
  if (clash)
    throw reject.conflict(
      `a ${input.kind} integration cannot be combined with the ${other} integration "${clash.name}" on the same client`,
      {
        field: 'kind',
        current: other,
        allowed: [other],
      },
    );
  const activates = input.kind === 'debtCollection' && !collectionActive(world);
  const canCreate = input.kind === 'debtCollection' && (input.canCreateNewCases ?? !world.integrations.some((i) => i.canCreateNewCases));
  const integration: Integration = {
    id: nextUuid(world),
    name: input.name,
    kind: input.kind,
    canCreateNewCases: false,
    rights: input.rights ?? { read: true, write: true },
    autoApprove: { enabled: false, fromInvoiceDate: null, changedAt: null, postedAfterOrdinal: 0 },
    ...input.keys,
    createdAt: now(world),
  };
  world.integrations.push(integration);
  emit(
    ctx,
    'integration.added',
    `${input.kind} integration "${input.name}" added`,
    { integrationId: integration.id },
    { kind: input.kind },
  );
  if (canCreate) switchCaseCreation(ctx, integration);
  if (activates) {
    for (const customer of Object.values(world.customers)) {
      if (!customer.transferToDebtCollectionAgency) {
        customer.transferToDebtCollectionAgency = true;
        customer.lastChanged = now(world);
      }
    }
    emit(
      ctx,
      'collection.activated',
      `debt collection activated by "${input.name}": the Inkasso list and reminder step exist, every customer is marked "overfør til ` +
        `inkassobyrå"`,
      {
        integrationId: integration.id,
      },
    );
    rescheduleAll(world);
  }
  return integration;
}

/** Give one integration "may create new cases" and take it from the one that had it. */
function switchCaseCreation(ctx: CommandContext, to: Integration): void {
  for (const i of ctx.world.integrations) {
    if (i !== to && i.canCreateNewCases) {
      i.canCreateNewCases = false;
      emit(
        ctx,
        'integration.changed',
        `"${i.name}" may no longer create new cases: "${to.name}" took over`,
        { integrationId: i.id },
        { canCreateNewCases: false },
      );
    }
  }
  to.canCreateNewCases = true;
  emit(ctx, 'integration.changed', `"${to.name}" may create new cases`, { integrationId: to.id }, { canCreateNewCases: true });
}

/** Only a debt-collection integration may create new cases. */
export function assertMayCreateCases(integration: Integration, field: string): void {
  if (integration.kind !== 'debtCollection')
    throw reject.conflict(`"${integration.name}" is a ${integration.kind} integration; only debt-collection integrations create cases`, {
      field,
    });
}

export function updateIntegration(ctx: CommandContext, id: string, change: IntegrationChange, field = 'id'): Integration {
  const world = ctx.world;
  const integration = getIntegration(world, id, field);
  if (change.canCreateNewCases) assertMayCreateCases(integration, 'canCreateNewCases');
  if (change.name !== undefined) integration.name = change.name;
  if (change.rights) integration.rights = change.rights;
  if (change.canCreateNewCases === true && !integration.canCreateNewCases) switchCaseCreation(ctx, integration);
  if (change.canCreateNewCases === false && integration.canCreateNewCases) {
    integration.canCreateNewCases = false;
    emit(
      ctx,
      'integration.changed',
      `"${integration.name}" may no longer create new cases`,
      { integrationId: id },
      { canCreateNewCases: false },
    );
  }
  if (change.autoApprove) {
    const before = integration.autoApprove;
    const next = { enabled: change.autoApprove.enabled, fromInvoiceDate: change.autoApprove.fromInvoiceDate ?? null };
    // Saving the same setting again is no change: invoices posted since the real change keep their auto-approval.
    if (next.enabled !== before.enabled || next.fromInvoiceDate !== before.fromInvoiceDate) {
      integration.autoApprove = { ...next, changedAt: now(world), postedAfterOrdinal: world.counters.ordinal };
      emit(
        ctx,
        'integration.changed',
        next.enabled
          ? `auto-approve on for "${integration.name}"` +
              (next.fromInvoiceDate ? ` from invoice date ${next.fromInvoiceDate}` : '') +
              '; only invoices posted from now on are affected'
          : `auto-approve off for "${integration.name}"`,
        { integrationId: id },
        { autoApprove: next },
      );
    }
  }
  return integration;
}
