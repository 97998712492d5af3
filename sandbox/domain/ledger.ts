/**
 * The double-entry ledger and the customer ledger (reskontro) on account 1500: vouchers with balanced lines,
 * and matches that lower an invoice's open amount.
 */
import type { CommandContext } from './context.js';
import { emit, now } from './context.js';
import { nextUuid } from './ids.js';
import type { Invoice, InvoiceMatch, MatchKind, Voucher, VoucherLine, VoucherType, World } from './model.js';
import { ACCOUNTS, accountExists } from './chart-of-accounts.js';
import { reject } from './errors.js';
import type { LocalDate } from './time.js';
import { formatNok } from './money.js';
import { flat } from './flat.js';

export interface VoucherDraft {
  type: VoucherType;
  date: LocalDate;
  description: string;
  lines: LineInput[];
  importedVoucherNo?: string | null;
  externalImportReference?: string | null;
  reversesVoucherId?: string | null;
}

type LineInput = { account: number; amount: number } & { [K in Exclude<keyof VoucherLine, 'account' | 'amount'>]?: VoucherLine[K] | null };

/** A frozen ledger line with absent fields left out. */
export function line(l: LineInput): VoucherLine {
  const out: VoucherLine = { account: l.account, amount: l.amount };
  if (l.customerId != null) out.customerId = l.customerId;
  if (l.invoiceId != null) out.invoiceId = l.invoiceId;
  if (l.vatCode != null) out.vatCode = l.vatCode;
  if (l.description != null) out.description = l.description;
  if (l.departmentCode != null) out.departmentCode = l.departmentCode;
  if (l.projectCode != null) out.projectCode = l.projectCode;
  if (l.statedInvoiceNo != null) out.statedInvoiceNo = l.statedInvoiceNo;
  if (l.cid != null) out.cid = l.cid;
  if (l.matchingReference != null) out.matchingReference = l.matchingReference;
  if (l.unmatched != null) out.unmatched = Object.freeze({ ...l.unmatched });
  return Object.freeze(out);
}

/**
 * The part of a customer-ledger line that no invoice accounts for: a line naming no invoice (a prepayment, an
 * unknown reference, a debit) whole, and the excess of an overpayment. Invoice, credit-note and reminder lines: 0.
 */
export function unmatchedPart(l: VoucherLine): number {
  if (l.account !== ACCOUNTS.customerReceivables) return 0;
  if (l.invoiceId === undefined) return l.amount;
  return l.unmatched?.amount ?? 0;
}

/** Voucher types whose customer lines may be left open when posted (payments the vendor tries to match). */
export const PAYMENT_VOUCHER_TYPES: ReadonlySet<VoucherType> = new Set<VoucherType>(['BankJournal', 'IncomingOcrGiro']);

/** A match of an earlier open customer-ledger line with a later entry (the invoice it was matched against). */
export interface LaterMatch {
  invoice: Invoice;
  match: InvoiceMatch;
}

/** The key of a voucher line in laterMatches. */
export const lineKey = (voucherId: string, index: number) => `${voucherId}#${index}`;

/**
 * Matches of earlier open lines with later entries, by line (lineKey), reversed ones included. Built on demand:
 * worlds without such matches pay one pass over the invoices' matches.
 */
export function laterMatches(world: World): Map<string, LaterMatch[]> {
  const out = new Map<string, LaterMatch[]>();
  for (const invoice of Object.values(world.invoices))
    for (const match of invoice.matches) {
      if (match.line === undefined) continue;
      const key = lineKey(match.voucherId, match.line);
      const list = out.get(key);
      if (list) list.push({ invoice, match });
      else out.set(key, [{ invoice, match }]);
    }
  return out;
}

/**
 * What is open of a customer line that no invoice accounted for when it was posted, after the later entries matched
 * with it (on or before `asOf`, when given; otherwise those not reversed): ledger sign, 0 when matched out.
 */
export function openPart(l: VoucherLine, later: readonly LaterMatch[] | undefined, asOf?: LocalDate): number {
  let open = unmatchedPart(l);
  for (const { match } of later ?? [])
    // A later invoice closes a credit: its match lowers the invoice and the line's open part alike.
    if (asOf === undefined ? !match.reversedByVoucherId : match.date <= asOf) open += match.amount;
  return open;
}

/** Vouchers by id, per voucher list, and how much of the (append-only) list it has taken in so far. */
const voucherIndexes = new WeakMap<Voucher[], { byId: Map<string, Voucher>; upTo: number }>();

/**
 * The index of the world's vouchers, brought up to date when asked: posting only appends to the list, so a clock
 * year that posts 100k reminder vouchers and looks none up grows no map.
 */
function voucherIndex(world: World): Map<string, Voucher> {
  const list = world.vouchers;
  let index = voucherIndexes.get(list);
  if (!index) voucherIndexes.set(list, (index = { byId: new Map(), upTo: 0 }));
  for (; index.upTo < list.length; index.upTo++) index.byId.set(list[index.upTo]!.id, list[index.upTo]!);
  return index.byId;
}

export function voucherById(world: World, id: string): Voucher | undefined {
  return voucherIndex(world).get(id);
}

export function reversalOf(world: World, voucherId: string): string | null {
  return world.reversals[voucherId] ?? null;
}

/** Why a set of lines cannot be posted (unbalanced, unknown account), or undefined. */
export function linesProblem(lines: VoucherDraft['lines']): { field: string; reason: string } | undefined {
  if (lines.length < 2) return { field: 'lines', reason: 'needs at least two lines' };
  // Index loops: every reminder voucher of a clock year passes here.
  let sum = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!accountExists(l.account))
      return { field: `lines[${i}].account`, reason: `account ${l.account} does not exist in the chart of accounts` };
    if (!Number.isSafeInteger(l.amount)) return { field: `lines[${i}].amount`, reason: 'must be a whole number of øre' };
    sum += l.amount;
  }
  if (sum !== 0) return { field: 'lines', reason: `do not balance: they sum to ${formatNok(sum)}` };
  return undefined;
}

/** Post a voucher. Callers have validated their input; an unbalanced voucher here is a bug, not bad input. */
export function postVoucher(ctx: CommandContext, draft: VoucherDraft): Voucher {
  const problem = linesProblem(draft.lines);
  if (problem) throw new Error(`internal: voucher ${draft.type} ${problem.field} ${problem.reason}`);
  const world = ctx.world;
  world.counters.voucherNo += 1;
  const voucher: Voucher = Object.freeze({
    id: nextUuid(world),
    voucherNo: world.counters.voucherNo,
    type: draft.type,
    date: draft.date,
    postedAt: now(world),
    description: flat(draft.description),
    lines: draft.lines.map(line),
    actor: ctx.actor,
    importedVoucherNo: draft.importedVoucherNo ?? null,
    externalImportReference: draft.externalImportReference ?? null,
    reversesVoucherId: draft.reversesVoucherId ?? null,
  });
  Object.freeze(voucher.lines);
  Object.freeze(voucher.actor);
  world.vouchers.push(voucher);
  for (const ref of importReferenceKeys(draft)) world.importReferences[ref] = voucher.id;
  return voucher;
}

/** Keys under which an imported voucher is remembered, so a repeat is refused as a duplicate. */
export function importReferenceKeys(v: { externalImportReference?: string | null; importedVoucherNo?: string | null }): string[] {
  const keys: string[] = [];
  if (v.externalImportReference) keys.push(`ref:${v.externalImportReference}`);
  if (v.importedVoucherNo) keys.push(`no:${v.importedVoucherNo}`);
  return keys;
}

/** Refuse a posting whose import reference was used before (never post money twice). */
export function assertNotDuplicate(
  ctx: CommandContext,
  v: { externalImportReference?: string | null; importedVoucherNo?: string | null },
): void {
  const world = ctx.world;
  for (const [field, value, key] of [
    ['externalImportReference', v.externalImportReference, `ref:${v.externalImportReference}`],
    ['importedVoucherNo', v.importedVoucherNo, `no:${v.importedVoucherNo}`],
  ] as const) {
    const earlier = value ? world.importReferences[key] : undefined;
    if (earlier)
      throw reject.duplicate(
        field,
        (name) => `a voucher with ${name} '${value}' was already ${describeImported(world, earlier)}; it is not posted twice`,
      );
  }
}

/** Where an import reference went: a posted voucher, or a draft waiting in the voucher reception. */
function describeImported(world: World, id: string): string {
  const voucher = voucherById(world, id);
  if (voucher) return `posted (voucher ${voucher.voucherNo})`;
  return world.voucherReception[id] ? `sent to the voucher reception (draft ${id})` : 'posted';
}

/** A reversal voucher (type ReversalVoucher) with every line negated. */
export function reverseVoucher(ctx: CommandContext, voucher: Voucher, date: LocalDate, description: string): Voucher {
  const reversal = postVoucher(ctx, {
    type: 'ReversalVoucher',
    date,
    description,
    lines: voucher.lines.map((l) => ({
      ...l,
      amount: -l.amount,
      unmatched: l.unmatched ? { ...l.unmatched, amount: -l.unmatched.amount } : null,
    })),
    reversesVoucherId: voucher.id,
  });
  ctx.world.reversals[voucher.id] = reversal.id;
  return reversal;
}

export function nextMatchGroup(ctx: CommandContext): number {
  ctx.world.counters.matchGroup += 1;
  return ctx.world.counters.matchGroup;
}

export interface MatchInput {
  kind: MatchKind;
  voucher: Voucher;
  amount: number;
  matchId?: number;
  paidFromAccount?: string | null;
  /** The match's date when it is not the voucher's (a later entry matched with an earlier one). */
  date?: LocalDate;
  /** An earlier open line of `voucher` matched now (see InvoiceMatch.line). */
  line?: number;
}

/** Match a ledger line against an invoice: lowers (or, for a reversal, raises) its open amount. */
export function addMatch(ctx: CommandContext, invoice: Invoice, input: MatchInput): InvoiceMatch {
  const world = ctx.world;
  world.counters.match += 1;
  const matchId = input.matchId ?? invoice.matches[0]?.matchId ?? nextMatchGroup(ctx);
  const match: InvoiceMatch = {
    id: world.counters.match,
    kind: input.kind,
    voucherId: input.voucher.id,
    amount: input.amount,
    date: input.date ?? input.voucher.date,
    postedAt: now(world),
    matchId,
    isWriteOff: input.kind === 'writeOff' || input.kind === 'writeOffReversal',
    paidFromAccount: input.paidFromAccount ?? null,
    reversedByVoucherId: null,
  };
  if (input.line !== undefined) match.line = input.line;
  invoice.matches.push(match);
  invoice.openAmount -= input.amount;
  if (invoice.openAmount < 0) throw new Error(`internal: invoice ${invoice.invoiceNo} open amount below zero`);
  invoice.lastChanged = now(world);
  invoice.balanceLastChanged = now(world);
  return match;
}

/** The invoice's own customer-ledger line: debit 1500 for the gross amount. */
export function invoiceLines(invoice: Invoice, net: number, vat: number, sign: 1 | -1): VoucherDraft['lines'] {
  const lines: VoucherDraft['lines'] = [
    { account: ACCOUNTS.customerReceivables, amount: sign * invoice.amount, customerId: invoice.customerId, invoiceId: invoice.id },
    { account: ACCOUNTS.sales, amount: -sign * net, vatCode: invoice.vatCode },
  ];
  if (vat !== 0) lines.push({ account: ACCOUNTS.outputVat, amount: -sign * vat, vatCode: invoice.vatCode });
  return lines;
}
