/**
 * How a payment on a customer's ledger finds its invoice. Go "tries to match": by invoice number, by KID (Cid),
 * by a matching reference (entries with the same reference and opposite amounts). Whatever it finds, the payment is
 * posted; what no invoice accounts for stays open on the customer's ledger (a prepayment, an unknown reference, the
 * excess of an overpayment: a credit). Pure: the caller posts the voucher and the matches.
 */
import type { Invoice, PaymentMatchingSettings, UnmatchedReason, World } from '../model.js';
import { formatNok } from '../money.js';

/** The references a payment line names, as given. */
export interface PaymentReferences {
  invoiceNo?: string | null;
  cid?: string | null;
  matchingReference?: string | null;
}

export type ReferenceKind = keyof PaymentReferences;

export interface LineMatch {
  /** The invoice the line is matched against, or null when it stays wholly open. */
  invoice: Invoice | null;
  /** The reference that found the invoice. */
  foundBy: ReferenceKind | null;
  /** Matched against the invoice (positive øre, at most its open amount; 0 when none). */
  amount: number;
  /** The part left open on the customer's ledger (ledger sign: a credit is negative), and why. */
  unmatched: { reason: UnmatchedReason; amount: number } | null;
  /** The excess above the invoice's open amount (positive øre), when the payment is more than it. */
  excess: number;
  /** What each reference tried found, in order: for the event journal and explain. */
  notes: string[];
}

export const REFERENCE_ORDER: ReferenceKind[] = ['invoiceNo', 'cid', 'matchingReference'];

export const REFERENCE_NAME: Record<ReferenceKind, string> = {
  invoiceNo: 'invoice number',
  cid: 'KID',
  matchingReference: 'matching reference',
};

/** The references a line gives, in the order Go tries them, trimmed; blanks are no reference. */
export function givenReferences(refs: PaymentReferences): Array<[ReferenceKind, string]> {
  const out: Array<[ReferenceKind, string]> = [];
  for (const kind of REFERENCE_ORDER) {
    const value = refs[kind]?.trim();
    if (value) out.push([kind, value]);
  }
  return out;
}

function candidates(world: World, kind: ReferenceKind, value: string): Invoice[] {
  const invoices = Object.values(world.invoices).filter((inv) => inv.kind === 'invoice');
  if (kind === 'invoiceNo') return invoices.filter((inv) => String(inv.invoiceNo) === value);
  if (kind === 'cid') return invoices.filter((inv) => inv.cid === value);
  return invoices.filter((inv) => inv.matchingReference === value).sort((a, b) => a.ordinal - b.ordinal);
}

const RANK: Record<UnmatchedReason, number> = {
  amountDiffers: 3,
  otherCustomer: 2,
  unknownReference: 1,
  noReference: 0,
  overpaid: 0,
  debit: 0,
};

/**
 * Match one customer-ledger line of a payment. `amount` is the line's ledger amount (a payment is negative);
 * `taken` holds what earlier lines of the same voucher already matched per invoice id.
 */
export function matchPaymentLine(
  world: World,
  settings: PaymentMatchingSettings,
  line: { customerId: number; amount: number; references: PaymentReferences },
  taken: ReadonlyMap<string, number> = new Map(),
): LineMatch {
  const none = (reason: UnmatchedReason, notes: string[]): LineMatch => ({
    invoice: null,
    foundBy: null,
    amount: 0,
    unmatched: { reason, amount: line.amount },
    excess: 0,
    notes,
  });
  if (line.amount > 0) return none('debit', ['a debit on the customer is not a payment: it is matched against no invoice']);
  const paid = -line.amount;
  const given = givenReferences(line.references);
  if (given.length === 0) return none('noReference', ['names no invoice number, KID or matching reference']);
  const tried = settings.fallBack ? given : given.slice(0, 1);
  const notes: string[] = [];
  let reason: UnmatchedReason = 'unknownReference';
  const fail = (r: UnmatchedReason, note: string) => {
    notes.push(note);
    if (RANK[r] > RANK[reason]) reason = r;
  };
  for (const [kind, value] of tried) {
    const label = `${REFERENCE_NAME[kind]} ${value}`;
    const found = candidates(world, kind, value);
    if (found.length === 0) {
      fail('unknownReference', `${label} names no invoice`);
      continue;
    }
    const own = found.filter((inv) => inv.customerId === line.customerId);
    if (own.length === 0) {
      fail('otherCustomer', `${label} names invoice ${found[0]!.invoiceNo} of another customer (${found[0]!.customerId})`);
      continue;
    }
    const free = (inv: Invoice) => inv.openAmount - (taken.get(inv.id) ?? 0);
    const exact =
      kind === 'cid'
        ? settings.cidAmounts === 'exact'
        : kind === 'matchingReference'
          ? settings.matchingReferenceAmounts === 'exact'
          : false;
    // A matching reference matches entries not already matched out; an invoice number or KID names its invoice.
    const open = kind === 'matchingReference' ? own.filter((inv) => free(inv) > 0) : own;
    const invoice = exact ? open.find((inv) => free(inv) === paid) : open[0];
    if (!invoice) {
      const first = open[0] ?? own[0]!;
      fail(
        exact ? 'amountDiffers' : 'unknownReference',
        exact
          ? `${label} names invoice ${first.invoiceNo} (open ${formatNok(free(first))}), but matches only the opposite of an open ` +
              `amount and ${formatNok(paid)} is not`
          : `${label} names invoice ${first.invoiceNo}, already matched out`,
      );
      continue;
    }
    const matched = Math.min(paid, Math.max(free(invoice), 0));
    const excess = paid - matched;
    notes.push(`${label} found invoice ${invoice.invoiceNo}`);
    return {
      invoice,
      foundBy: kind,
      amount: matched,
      unmatched: excess > 0 ? { reason: 'overpaid', amount: -excess } : null,
      excess,
      notes,
    };
  }
  if (tried.length < given.length)
    notes.push(
      `${given
        .slice(tried.length)
        .map(([k, v]) => `${REFERENCE_NAME[k]} ${v}`)
        .join(', ')} not tried (only the first reference counts)`,
    );
  return none(reason, notes);
}
