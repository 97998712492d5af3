/** Why an invoice is where it is, what happens next and when: the answer to "why isn't it a draft yet?". */
import type { DomainEvent, Invoice, World } from '../model.js';
import { today } from '../context.js';
import { planNext } from '../rules/index.js';
import { outOfReminderFlow, STEP_NAME } from '../rules/eligibility.js';
import { draftBlocker } from '../rules/draft.js';
import type { LocalDate } from '../time.js';

export interface Explanation {
  invoiceId: string;
  invoiceNo: number;
  status: Invoice['collection']['status'];
  openAmount: number;
  dueDate: LocalDate;
  today: LocalDate;
  /** The rule or action that put the invoice where it is. */
  where: string;
  next: { rule: string; action: string; on: LocalDate; at: string; reason: string } | null;
  /** Why nothing further happens by itself, when next is null. */
  waiting: string | null;
  history: DomainEvent[];
}

const PLACING_EVENTS = new Set([
  'invoice.posted',
  'reminder.sent',
  'invoice.drafted',
  'invoice.approved',
  'invoice.held',
  'invoice.released',
  'invoice.removed',
  'invoice.nextActionSet',
  'invoice.leftFlow',
  'case.invoiceAdded',
  'invoice.rejected',
  'approval.obstacle',
]);

const ACTION_OF_RULE: Record<string, (step?: string) => string> = {
  reminderStep: (step) => `send ${step ? STEP_NAME[step as keyof typeof STEP_NAME] : 'reminder'}`,
  draft: () => 'become a collection draft',
  approvalObstacle: () => 'be flagged as an obstacle',
};

export function explainInvoice(world: World, invoice: Invoice): Explanation {
  const history = world.events.filter((e) => e.refs.invoiceId === invoice.id);
  const placing = history.findLast((e) => PLACING_EVENTS.has(e.type));
  const due = planNext(world, invoice);
  let waiting: string | null = null;
  if (!due) {
    const c = invoice.collection;
    if (c.status === 'Draft') waiting = 'waits on the Draft list for the user to approve, hold or remove it';
    else if (c.status === 'OnHold') waiting = 'on hold on the Draft list: it cannot be approved until released';
    else if (c.status === 'Approved') waiting = 'approved: waits for the agency allowed to create new cases to take it into a case';
    else if (c.status === 'Exported') waiting = `in case ${c.caseId ? world.cases[c.caseId]?.code : '?'}: the agency collects it`;
    else waiting = outOfReminderFlow(world, invoice) ?? draftBlocker(world, invoice) ?? 'no rule applies';
  }
  return {
    invoiceId: invoice.id,
    invoiceNo: invoice.invoiceNo,
    status: invoice.collection.status,
    openAmount: invoice.openAmount,
    dueDate: invoice.dueDate,
    today: today(world),
    where: placing?.cause ?? 'posted',
    next: due ? { rule: due.rule, action: ACTION_OF_RULE[due.rule]!(due.step), on: due.date, at: due.at, reason: due.reason } : null,
    waiting,
    history,
  };
}
