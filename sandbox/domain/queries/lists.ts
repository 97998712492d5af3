/** The Inkasso menu's four lists and the reminder list (purreliste), as Go shows them. */
import type { Case, Invoice, World } from '../model.js';
import { invoicesInOrder } from '../world.js';
import { today } from '../context.js';
import { outOfReminderFlow, STEP_NAME } from '../rules/eligibility.js';
import { draftBlocker } from '../rules/draft.js';
import { planNext } from '../rules/index.js';
import type { LocalDate } from '../time.js';

export type NextAction = 'Påminnelse' | 'Purring' | 'Inkassovarsel' | 'Inkasso' | 'None' | 'Wait';

export interface NextActionInfo {
  nextAction: NextAction;
  date: LocalDate | null;
  reason: string;
}

const STEP_ACTION: Record<string, NextAction> = { påminnelse: 'Påminnelse', purring: 'Purring', inkassovarsel: 'Inkassovarsel' };

/** The reminder list's "next action" for an invoice outside the Inkasso lists. */
export function nextActionOf(world: World, invoice: Invoice): NextActionInfo {
  const setting = invoice.collection.nextAction;
  if (setting === 'None' || setting === 'Wait')
    return { nextAction: setting, date: null, reason: `next action was set to ${setting}; it stays until the user overrides it` };
  const due = planNext(world, invoice);
  if (due?.rule === 'reminderStep' && due.step)
    return { nextAction: STEP_ACTION[STEP_NAME[due.step]]!, date: due.date, reason: due.reason };
  if (due?.rule === 'draft') return { nextAction: 'Inkasso', date: due.date, reason: due.reason };
  const why = outOfReminderFlow(world, invoice) ?? draftBlocker(world, invoice) ?? 'no further step applies';
  return { nextAction: 'None', date: null, reason: why };
}

export interface ReminderListEntry extends NextActionInfo {
  invoice: Invoice;
}

export interface CollectionLists {
  reminderList: ReminderListEntry[];
  draft: Invoice[];
  approved: Invoice[];
  open: Case[];
  archived: Case[];
}

function casesIn(world: World, status: Case['status']): Case[] {
  return Object.values(world.cases)
    .filter((c) => c.status === status)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.code.localeCompare(b.code));
}

export function collectionLists(world: World): CollectionLists {
  const day = today(world);
  const invoices = invoicesInOrder(world).filter((i) => i.kind === 'invoice');
  return {
    reminderList: invoices
      .filter((i) => i.openAmount > 0 && i.dueDate < day && (i.collection.status === 'None' || i.collection.status === 'Rejected'))
      .map((invoice) => ({ invoice, ...nextActionOf(world, invoice) })),
    draft: invoices.filter((i) => i.collection.status === 'Draft' || i.collection.status === 'OnHold'),
    approved: invoices.filter((i) => i.collection.status === 'Approved'),
    open: casesIn(world, 'Active'),
    archived: casesIn(world, 'Closed'),
  };
}
