/** Conditions several rules share: is the invoice still in Go's own reminder flow? */
import type { ClientSettings, Invoice, ReminderStepKind, SentReminder, World } from '../model.js';
import { addDays, type LocalDate } from '../time.js';
import { formatNok } from '../money.js';

export const STEP_ORDER: readonly ReminderStepKind[] = ['friendlyReminder', 'paymentReminder', 'collectionNotice'];

/** The Norwegian names Go shows. */
export const STEP_NAME: Record<ReminderStepKind, string> = {
  friendlyReminder: 'påminnelse',
  paymentReminder: 'purring',
  collectionNotice: 'inkassovarsel',
};

export const FEE_STEPS: readonly ReminderStepKind[] = ['paymentReminder', 'collectionNotice'];

/** Why the invoice is outside the automatic reminder flow, or undefined if it is in it. */
export function outOfReminderFlow(world: World, invoice: Invoice): string | undefined {
  if (invoice.kind !== 'invoice') return 'credit notes never take part in reminders or collection';
  if (invoice.openAmount <= 0) return 'nothing is left to pay';
  if (invoice.collection.status !== 'None') return `it is ${invoice.collection.status} in the collection flow`;
  if (invoice.collection.nextAction !== 'Auto') return `its next action is "${invoice.collection.nextAction}" until the user overrides it`;
  if (invoice.openAmount < world.settings.minimumAmount)
    return `its open amount ${formatNok(invoice.openAmount)} is under the client's minimum ${formatNok(world.settings.minimumAmount)}`;
  return undefined;
}

/** What every rule asks first, worked out once per invoice when the clock reschedules it. */
export interface ReminderFacts {
  outOfFlow: string | undefined;
  pending: PendingStep | undefined;
}

export function reminderFacts(world: World, invoice: Invoice): ReminderFacts {
  const outOfFlow = outOfReminderFlow(world, invoice);
  return { outOfFlow, pending: outOfFlow ? undefined : pendingStep(world, invoice) };
}

export interface PendingStep {
  step: ReminderStepKind;
  sendDate: LocalDate;
  readonly reason: string;
}

/**
 * A pending step whose reason is worked out only when read (explain, the reminder's cause): the clock plans every
 * invoice again after each step, and a getter on the class costs nothing per plan, where an object literal with its
 * own getter costs a closure and a slow property definition each time.
 */
type StepSetting = ClientSettings['reminderSteps'][ReminderStepKind];

class Pending implements PendingStep {
  readonly #setting: StepSetting;
  readonly #invoice: Invoice;
  readonly #last: SentReminder | undefined;
  readonly #byDue: LocalDate;
  /** Sent the day after the previous step fell due, later than its own day (`byDue`). */
  readonly #waited: boolean;

  constructor(
    readonly step: ReminderStepKind,
    readonly sendDate: LocalDate,
    setting: StepSetting,
    invoice: Invoice,
    last: SentReminder | undefined,
    byDue: LocalDate,
    waited: boolean,
  ) {
    this.#setting = setting;
    this.#invoice = invoice;
    this.#last = last;
    this.#byDue = byDue;
    this.#waited = waited;
  }

  get reason(): string {
    const last = this.#last;
    const days = this.#setting.daysAfterDue;
    if (this.#waited)
      return (
        `the day after the ${STEP_NAME[last!.step]} fell due (${last!.dueDate}): a later step waits until the previous step's ` +
        `time to pay has run out, though its own ${days} days after the invoice fell due would be ${this.#byDue}`
      );
    const own = `${days} days after the invoice fell due (${this.#invoice.dueDate})`;
    return last ? `${own}; the ${STEP_NAME[last.step]} fell due ${last.dueDate}, so its time to pay has run out` : own;
  }
}

/** The next enabled reminder step after the last one sent, and the day it is sent. */
export function pendingStep(world: World, invoice: Invoice): PendingStep | undefined {
  const steps = world.settings.reminderSteps;
  const last = invoice.reminders.at(-1);
  const from = last ? STEP_ORDER.indexOf(last.step) + 1 : 0;
  for (let k = from; k < STEP_ORDER.length; k++) {
    const step = STEP_ORDER[k]!;
    const setting = steps[step];
    if (!setting.enabled) continue;
    const byDue = addDays(invoice.dueDate, Math.max(1, setting.daysAfterDue));
    // A later step goes out on its own day after the invoice's due date, but never before the day after the
    // previous step fell due: the debtor always gets the previous step's full time to pay. On the day where the
    // two meet, the step's own day is named. The spec is silent; pinned both ways in
    // test/domain/rule-boundaries.test.ts, and the explain text says which side decided.
    if (last) {
      const afterLast = addDays(last.dueDate, 1);
      if (afterLast > byDue) return new Pending(step, afterLast, setting, invoice, last, byDue, true);
    }
    return new Pending(step, byDue, setting, invoice, last, byDue, false);
  }
  return undefined;
}
