/** ERP user: reminder settings (purreinnstillinger), minimum amount, draft delay and the sandbox's own options. */
import type { CommandContext } from '../context.js';
import { emit, today } from '../context.js';
import type { ClientSettings } from '../model.js';
import { reject } from '../errors.js';
import { maxReminderFee } from '../norwegian-rates.js';
import { caseCreatingIntegration, getIntegration, inkassosatsTable } from '../world.js';
import { rescheduleAll } from '../schedule.js';
import { formatNok } from '../money.js';
import type { LocalDate } from '../time.js';
import { assertMayCreateCases, updateIntegration } from './integrations.js';

type Steps = ClientSettings['reminderSteps'];
export type SettingsChange = Partial<Omit<ClientSettings, 'reminderSteps' | 'rateLimits' | 'v2Wire' | 'paymentMatching'>> & {
  reminderSteps?: { [K in keyof Steps]?: Partial<Steps[K]> };
  rateLimits?: Partial<ClientSettings['rateLimits']>;
  v2Wire?: Partial<ClientSettings['v2Wire']>;
  paymentMatching?: Partial<ClientSettings['paymentMatching']>;
};

/** Inkassovarsel and purring give the debtor at least 14 days (inkassoloven). */
export const MIN_DEBTOR_DAYS = 14;

export function updateSettings(ctx: CommandContext, change: SettingsChange): ClientSettings {
  const world = ctx.world;
  const current = world.settings;
  const steps = change.reminderSteps ?? {};
  const next: ClientSettings = {
    ...current,
    ...change,
    reminderSteps: {
      friendlyReminder: { ...current.reminderSteps.friendlyReminder, ...steps.friendlyReminder },
      paymentReminder: { ...current.reminderSteps.paymentReminder, ...steps.paymentReminder },
      collectionNotice: { ...current.reminderSteps.collectionNotice, ...steps.collectionNotice },
    },
    rateLimits: { ...current.rateLimits, ...change.rateLimits },
    v2Wire: { ...current.v2Wire, ...change.v2Wire },
    paymentMatching: { ...current.paymentMatching, ...change.paymentMatching },
  };
  const cap = maxReminderFee(today(world), next.inkassosats.length ? next.inkassosats : inkassosatsTable(world));
  for (const step of ['paymentReminder', 'collectionNotice'] as const) {
    const s = next.reminderSteps[step];
    if (s.dueInDays < MIN_DEBTOR_DAYS)
      throw reject.invalid(
        `reminderSteps.${step}.dueInDays`,
        `must give the debtor at least ${MIN_DEBTOR_DAYS} days (got ${s.dueInDays})`,
      );
    if (s.fee > cap)
      throw reject.invalid(`reminderSteps.${step}.fee`, `exceeds the maximum reminder fee ${formatNok(cap)} (1/20 of the inkassosats)`);
  }
  for (const [name, table] of [
    ['lateInterestRates', next.lateInterestRates],
    ['inkassosats', next.inkassosats],
  ] as const) {
    for (let i = 1; i < table.length; i++)
      if (table[i]!.from <= table[i - 1]!.from)
        throw reject.invalid(`${name}[${i}].from`, 'must be after the previous entry (the table is in date order)');
  }
  world.settings = next;
  emit(ctx, 'settings.changed', 'client settings changed', {}, { changed: Object.keys(change) });
  rescheduleAll(world);
  return next;
}

/** The integration switches a settings change may carry along. */
export interface IntegrationSwitches {
  /** The integration that may create new cases from now on (a debt-collection one). */
  caseCreatingIntegrationId?: string;
  /** Auto-approve for an integration: the one named, else the one that may create new cases. */
  autoApprove?: { enabled: boolean; integrationId?: string; fromInvoiceDate?: LocalDate | null };
}

/** Change the client's settings and the integration switches that come with them; everything is checked before anything is written. */
export function changeSettings(ctx: CommandContext, change: SettingsChange, switches: IntegrationSwitches = {}): void {
  const world = ctx.world;
  const caseCreator = switches.caseCreatingIntegrationId
    ? getIntegration(world, switches.caseCreatingIntegrationId, 'caseCreatingIntegrationId')
    : undefined;
  if (caseCreator) assertMayCreateCases(caseCreator, 'caseCreatingIntegrationId');
  const autoApprove = switches.autoApprove;
  let autoApproveId: string | undefined;
  if (autoApprove) {
    autoApproveId = autoApprove.integrationId ?? caseCreator?.id ?? caseCreatingIntegration(world)?.id;
    if (!autoApproveId)
      throw reject.conflict('no integration may create new cases; name one in autoApprove.integrationId', {
        field: 'autoApprove.integrationId',
      });
    getIntegration(world, autoApproveId, 'autoApprove.integrationId');
  }
  // updateSettings checks its whole change before it writes; the integration updates below cannot fail now.
  if (Object.keys(change).length) updateSettings(ctx, change);
  if (caseCreator) updateIntegration(ctx, caseCreator.id, { canCreateNewCases: true });
  if (autoApprove && autoApproveId)
    updateIntegration(ctx, autoApproveId, {
      autoApprove: { enabled: autoApprove.enabled, fromInvoiceDate: autoApprove.fromInvoiceDate ?? null },
    });
}
