/** The timed rules, and the one next due moment of an invoice: the earliest any rule gives. */
import type { Invoice, RuleId, World } from '../model.js';
import type { Due, Rule } from './rule.js';
import { reminderStep } from './reminder-step.js';
import { draft } from './draft.js';
import { approvalObstacle } from './approval-obstacle.js';
import { reminderFacts } from './eligibility.js';

export const RULES: Record<RuleId, Rule> = { reminderStep, draft, approvalObstacle };
const ORDER: readonly Rule[] = [reminderStep, draft, approvalObstacle];

export function planNext(world: World, invoice: Invoice): Due | null {
  let best: Due | null = null;
  const facts = reminderFacts(world, invoice);
  for (const rule of ORDER) {
    const due = rule.nextDue(world, invoice, facts);
    if (due && (!best || due.at < best.at)) best = due;
  }
  return best;
}

export type { Due, Rule };
