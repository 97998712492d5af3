/** The shape of a timed rule: when it next applies to an invoice, and what it does then. */
import type { CommandContext } from '../context.js';
import type { Invoice, ReminderStepKind, RuleId, World } from '../model.js';
import type { LocalDate } from '../time.js';
import type { ReminderFacts } from './eligibility.js';

export interface Due {
  rule: RuleId;
  /** The moment the rule fires (UTC ISO). */
  at: string;
  /** The local day it fires on, for messages. */
  date: LocalDate;
  step?: ReminderStepKind;
  /** Why, in the domain's words: "purring due 2026-02-02 and no inkassovarsel enabled". Rules give it as a
   *  getter: the clock reschedules on every step and only explain reads it. */
  readonly reason: string;
}

export interface Rule {
  id: RuleId;
  /** `facts` is passed by planNext so the rules share one look at the reminder flow. */
  nextDue(world: World, invoice: Invoice, facts?: ReminderFacts): Due | null;
  apply(ctx: CommandContext, invoice: Invoice): void;
}
