/**
 * Go sends the enabled reminder steps itself (påminnelse, purring, inkassovarsel), each a reminder voucher
 * with its own sent and due date. Purring and inkassovarsel give the debtor >= 14 days and may carry a fee
 * (only when >= 14 days have passed since due; at most 1/20 of the inkassosats) and late-payment interest.
 */
import type { Due, Rule } from './rule.js';
import { pendingStep, reminderFacts, STEP_NAME, type PendingStep } from './eligibility.js';
import { emit, now, today } from '../context.js';
import { addDays, daysBetween, startOfLocalDay, type LocalDate } from '../time.js';
import { maxReminderFee } from '../norwegian-rates.js';
import { inkassosatsTable, lateInterestTable } from '../world.js';
import { lateInterest } from '../interest.js';
import { postVoucher, type VoucherDraft } from '../ledger.js';
import { ACCOUNTS } from '../chart-of-accounts.js';
import type { Invoice, ReminderStepKind, VoucherType } from '../model.js';

export const STEP_VOUCHER_TYPE: Record<ReminderStepKind, VoucherType> = {
  friendlyReminder: 'OutgoingPaymentReminder',
  paymentReminder: 'OutgoingPaymentReminder',
  collectionNotice: 'OutgoingNoticeOfDebtCollection',
};

/** A fee may be charged only when at least this many days have passed since the due date. */
export const FEE_MIN_DAYS_OVERDUE = 14;

/** The day the last step that charged interest was sent (interest runs on from there), if any. */
function lastInterestDate(invoice: Invoice): LocalDate | undefined {
  const reminders = invoice.reminders;
  for (let k = reminders.length - 1; k >= 0; k--) if (reminders[k]!.interest > 0) return reminders[k]!.sentDate;
  return undefined;
}

/** When the next step is sent; its reason is worked out only when read (explain, the reminder list). */
class StepDue implements Due {
  readonly rule = 'reminderStep' as const;
  readonly step: ReminderStepKind;
  readonly at: string;
  readonly date: LocalDate;
  readonly #pending: PendingStep;

  constructor(pending: PendingStep, at: string) {
    this.step = pending.step;
    this.at = at;
    this.date = pending.sendDate;
    this.#pending = pending;
  }

  get reason(): string {
    return `${STEP_NAME[this.step]} is sent ${this.date}: ${this.#pending.reason}`;
  }
}

export const reminderStep: Rule = {
  id: 'reminderStep',

  nextDue(world, invoice, facts = reminderFacts(world, invoice)) {
    const pending = facts.pending;
    if (facts.outOfFlow || !pending) return null;
    return new StepDue(pending, startOfLocalDay(pending.sendDate, world.timeZone));
  },

  apply(ctx, invoice) {
    const world = ctx.world;
    const pending = pendingStep(world, invoice);
    if (!pending) return;
    const step = pending.step;
    const sentDate = today(world);
    const setting = world.settings.reminderSteps[step];
    const dueDate = addDays(sentDate, setting.dueInDays);
    const daysOverdue = daysBetween(invoice.dueDate, sentDate);

    let fee = 0;
    let interest = 0;
    const interestFrom = lastInterestDate(invoice) ?? invoice.dueDate;
    if ('fee' in setting) {
      if (daysOverdue >= FEE_MIN_DAYS_OVERDUE) fee = Math.min(setting.fee, maxReminderFee(sentDate, inkassosatsTable(world)));
      if (setting.chargeInterest) interest = lateInterest(invoice.openAmount, interestFrom, sentDate, lateInterestTable(world));
    }

    let voucherId: string | null = null;
    if (fee + interest > 0) {
      const lines: VoucherDraft['lines'] = [
        { account: ACCOUNTS.customerReceivables, amount: fee + interest, customerId: invoice.customerId, invoiceId: invoice.id },
      ];
      if (fee > 0) lines.push({ account: ACCOUNTS.otherOperatingIncome, amount: -fee });
      if (interest > 0) lines.push({ account: ACCOUNTS.interestIncome, amount: -interest });
      voucherId = postVoucher(ctx, {
        type: STEP_VOUCHER_TYPE[step],
        date: sentDate,
        description: `${STEP_NAME[step]} for invoice ${invoice.invoiceNo}`,
        lines,
      }).id;
    }

    invoice.reminders.push({ step, sentDate, dueDate, fee, interest, interestFrom, voucherId, reversedByVoucherId: null });
    invoice.lastChanged = now(world);
    emit(
      ctx,
      'reminder.sent',
      `${STEP_NAME[step]} sent ${sentDate}, due ${dueDate}: ${pending.reason}` +
        (fee === 0 && 'fee' in setting && setting.fee > 0 && daysOverdue < FEE_MIN_DAYS_OVERDUE
          ? `; no fee, only ${daysOverdue} days overdue (a fee needs ${FEE_MIN_DAYS_OVERDUE})`
          : ''),
      voucherId
        ? { invoiceId: invoice.id, customerId: invoice.customerId, voucherId }
        : { invoiceId: invoice.id, customerId: invoice.customerId },
      { step, sentDate, dueDate, fee, interest, voucherType: STEP_VOUCHER_TYPE[step] },
    );
  },
};
