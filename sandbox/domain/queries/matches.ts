/** What an agency monitors: payments, credit notes and write-offs matched to invoices under collection. */
import type { Integration, Invoice, InvoiceMatch, Voucher, World } from '../model.js';
import { invoicesInOrder } from '../world.js';
import { voucherById } from '../ledger.js';

export interface MatchView {
  invoice: Invoice;
  match: InvoiceMatch;
  voucher: Voucher;
}

export function matchesOf(world: World, invoice: Invoice): MatchView[] {
  return invoice.matches.map((match) => ({ invoice, match, voucher: voucherById(world, match.voucherId)! }));
}

/**
 * Is this invoice under collection for this integration? An invoice in a case belongs to the case's integration;
 * one approved (or held, or rejected) outside a case is seen by the integration that may create new cases.
 */
export function visibleToIntegration(world: World, integration: Integration, invoice: Invoice): boolean {
  if (invoice.kind !== 'invoice') return false;
  const caseId = invoice.collection.caseId;
  if (caseId) return world.cases[caseId]?.integrationId === integration.id;
  const status = invoice.collection.status;
  if (status === 'None' || status === 'Draft') return false;
  return integration.canCreateNewCases;
}

/** GetAllMatchedItems: every collection invoice changed after `since`, with its matches. */
export function collectionInvoicesChangedSince(world: World, integration: Integration, since: string): Invoice[] {
  return invoicesInOrder(world).filter((inv) => inv.lastChanged > since && visibleToIntegration(world, integration, inv));
}

/** AvailableInvoices: approved invoices not yet in a case. */
export function availableInvoices(world: World): Invoice[] {
  return invoicesInOrder(world).filter((inv) => inv.kind === 'invoice' && inv.collection.status === 'Approved' && !inv.collection.caseId);
}
