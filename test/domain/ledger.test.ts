/**
 * The ledger as pure functions: frozen lines without absent fields, posting and numbering, import references that
 * refuse a second posting, reversals, matches against an invoice and the invoice's own lines. Written against the
 * mutants of sandbox/domain/ledger.ts that survived (TESTING.md); the voucher checks are in ledger-rules.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { at, world } from './pure-world.js';
import {
  addMatch,
  assertNotDuplicate,
  importReferenceKeys,
  invoiceLines,
  laterMatches,
  line,
  lineKey,
  linesProblem,
  nextMatchGroup,
  openPart,
  PAYMENT_VOUCHER_TYPES,
  unmatchedPart,
  type LaterMatch,
  postVoucher,
  reversalOf,
  reverseVoucher,
  voucherById,
  type VoucherDraft,
} from '../../sandbox/domain/ledger.js';
import { ACCOUNTS } from '../../sandbox/domain/chart-of-accounts.js';
import { ACTORS, contextFor } from '../../sandbox/domain/context.js';
import { isRejection, type DomainRejection } from '../../sandbox/domain/errors.js';
import type { InvoiceMatch, World } from '../../sandbox/domain/model.js';
import { invariantBreaches as invariantBreachesOf } from '../../sandbox/domain/invariants.js';

const pair = (amount: number): VoucherDraft['lines'] => [
  { account: ACCOUNTS.bank, amount },
  { account: ACCOUNTS.sales, amount: -amount },
];
const manual = (lines: VoucherDraft['lines'], extra: Partial<VoucherDraft> = {}): VoucherDraft => ({ type: 'ManualJournal', date: '2026-01-05', description: 'x', lines, ...extra });

function refusal(f: () => unknown): DomainRejection {
  try {
    f();
  } catch (e) {
    if (isRejection(e)) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('the unmatched part of a customer-ledger line', () => {
  it('the whole line when it names no invoice, the stated excess when it does, nothing off the customer ledger', () => {
    expect(unmatchedPart(line({ account: ACCOUNTS.customerReceivables, amount: -500, customerId: 1 }))).toBe(-500);
    expect(unmatchedPart(line({ account: ACCOUNTS.customerReceivables, amount: -500, invoiceId: 'i' }))).toBe(0);
    expect(unmatchedPart(line({ account: ACCOUNTS.customerReceivables, amount: -500, invoiceId: 'i', unmatched: { reason: 'noReference', amount: -200 } }))).toBe(-200);
    expect(unmatchedPart(line({ account: ACCOUNTS.bank, amount: 500 }))).toBe(0);
    expect(unmatchedPart(line({ account: ACCOUNTS.bank, amount: 500, unmatched: { reason: 'noReference', amount: 500 } }))).toBe(0);
  });
});

describe('ledger lines', () => {
  it('keeps every given field and leaves out absent ones (null or undefined), frozen', () => {
    const unmatched = { reason: 'noReference' as const, amount: 5 };
    const all = { customerId: 7, invoiceId: 'i', vatCode: '3', description: 'd', departmentCode: 'D', projectCode: 'P', statedInvoiceNo: '10001', cid: '123', matchingReference: 'M', unmatched };
    const full = line({ account: 1500, amount: 5, ...all });
    expect(full).toEqual({ account: 1500, amount: 5, ...all });
    expect(Object.isFrozen(full)).toBe(true);
    // The unmatched part is the line's own frozen copy: changing the input afterwards changes nothing.
    expect(full.unmatched).not.toBe(unmatched);
    expect(Object.isFrozen(full.unmatched)).toBe(true);
    const bare = line({
      account: 1920, amount: -5, customerId: null, invoiceId: null, vatCode: null, description: null, departmentCode: null, projectCode: null,
      statedInvoiceNo: null, cid: null, matchingReference: null, unmatched: null,
    });
    expect(Object.keys(bare)).toEqual(['account', 'amount']);
    expect(Object.keys(line({ account: 1920, amount: 0 }))).toEqual(['account', 'amount']);
    // Zero and empty values are values, not absence.
    expect(line({ account: 1920, amount: 0, customerId: 0, description: '' })).toEqual({ account: 1920, amount: 0, customerId: 0, description: '' });
  });

  it('the checks say exactly what is wrong', () => {
    expect(linesProblem([])).toEqual({ field: 'lines', reason: 'needs at least two lines' });
    expect(linesProblem([{ account: 1234, amount: 1 }, { account: ACCOUNTS.bank, amount: -1 }])).toEqual({ field: 'lines[0].account', reason: 'account 1234 does not exist in the chart of accounts' });
    expect(linesProblem([{ account: ACCOUNTS.bank, amount: 1 }, { account: ACCOUNTS.sales, amount: Number.NaN }])).toEqual({ field: 'lines[1].amount', reason: 'must be a whole number of øre' });
    expect(linesProblem([{ account: ACCOUNTS.bank, amount: 2 ** 53 }, { account: ACCOUNTS.sales, amount: -(2 ** 53) }])).toMatchObject({ field: 'lines[0].amount' });
    expect(linesProblem([{ account: ACCOUNTS.bank, amount: 110 }, { account: ACCOUNTS.sales, amount: -100 }])).toEqual({ field: 'lines', reason: 'do not balance: they sum to 0.10 NOK' });
    expect(linesProblem([{ account: ACCOUNTS.bank, amount: 100 }, { account: ACCOUNTS.sales, amount: -110 }])).toEqual({ field: 'lines', reason: 'do not balance: they sum to -0.10 NOK' });
    expect(linesProblem([...pair(5), { account: ACCOUNTS.bank, amount: 0 }])).toBeUndefined();
  });
});

describe('posting a voucher', () => {
  it('numbers vouchers one after another, stamps the actor and the clock, and freezes what it posted', () => {
    const { w } = world();
    const ctx = contextFor(w, ACTORS.agency('int-1'));
    const first = w.counters.voucherNo;
    const a = postVoucher(ctx, manual(pair(100)));
    const b = postVoucher(ctx, manual([{ account: ACCOUNTS.bank, amount: 7, description: 'in' }, { account: ACCOUNTS.sales, amount: -7, description: null }], { date: '2026-01-04', description: 'second' }));
    expect([a.voucherNo, b.voucherNo]).toEqual([first + 1, first + 2]);
    expect(w.counters.voucherNo).toBe(first + 2);
    expect(b).toEqual({
      id: b.id,
      voucherNo: first + 2,
      type: 'ManualJournal',
      date: '2026-01-04',
      postedAt: at('2026-01-05', 8),
      description: 'second',
      lines: [{ account: ACCOUNTS.bank, amount: 7, description: 'in' }, { account: ACCOUNTS.sales, amount: -7 }],
      actor: { kind: 'agency', integrationId: 'int-1' },
      importedVoucherNo: null,
      externalImportReference: null,
      reversesVoucherId: null,
    });
    expect(a.id).not.toBe(b.id);
    expect(w.vouchers.slice(-2)).toEqual([a, b]);
    expect(voucherById(w, a.id)).toBe(a);
    expect(voucherById(w, b.id)).toBe(b);
    expect(voucherById(w, 'nope')).toBeUndefined();
    expect([Object.isFrozen(b), Object.isFrozen(b.lines), Object.isFrozen(b.actor), Object.isFrozen(b.lines[0])]).toEqual([true, true, true, true]);
  });

  it('refuses a bad voucher as an internal error naming type, field and reason, and posts nothing', () => {
    const { w, ctx } = world();
    const before = JSON.stringify(w);
    expect(() => postVoucher(ctx, manual([{ account: ACCOUNTS.bank, amount: 1 }, { account: ACCOUNTS.sales, amount: 0 }]))).toThrow(
      'internal: voucher ManualJournal lines do not balance: they sum to 0.01 NOK',
    );
    expect(JSON.stringify(w)).toBe(before);
  });

  it('a voucher is found by id as soon as it is posted, also after earlier look-ups', () => {
    const { w, ctx } = world();
    for (let i = 1; i <= 3; i++) {
      const v = postVoucher(ctx, manual(pair(i)));
      expect(voucherById(w, v.id)).toBe(v);
    }
    const v = postVoucher(ctx, manual(pair(9)));
    const r = reverseVoucher(ctx, v, '2026-01-05', 'undo');
    expect([voucherById(w, v.id), voucherById(w, r.id)]).toEqual([v, r]);
  });

  it('a world read back from storage finds the vouchers it already had', () => {
    const { w, ctx } = world();
    const v = postVoucher(ctx, manual(pair(100)));
    const loaded = structuredClone(w) as World;
    expect(voucherById(loaded, v.id)).toEqual(v);
    expect(voucherById(loaded, w.vouchers[0]!.id)).toEqual(w.vouchers[0]);
  });
});

describe('import references: money is never posted twice', () => {
  it('keys by reference and by imported voucher number, either or both', () => {
    expect(importReferenceKeys({})).toEqual([]);
    expect(importReferenceKeys({ externalImportReference: null, importedVoucherNo: '' })).toEqual([]);
    expect(importReferenceKeys({ externalImportReference: 'R1' })).toEqual(['ref:R1']);
    expect(importReferenceKeys({ importedVoucherNo: '42' })).toEqual(['no:42']);
    expect(importReferenceKeys({ externalImportReference: 'R1', importedVoucherNo: '42' })).toEqual(['ref:R1', 'no:42']);
  });

  it('a posted reference is refused a second time, naming the voucher and the field', () => {
    const { w, ctx } = world();
    const v = postVoucher(ctx, manual(pair(100), { externalImportReference: 'R1', importedVoucherNo: '42' }));
    expect(v).toMatchObject({ externalImportReference: 'R1', importedVoucherNo: '42' });
    expect(w.importReferences).toMatchObject({ 'ref:R1': v.id, 'no:42': v.id });
    assertNotDuplicate(ctx, { externalImportReference: 'R2', importedVoucherNo: '43' });
    assertNotDuplicate(ctx, {});
    const byRef = refusal(() => assertNotDuplicate(ctx, { externalImportReference: 'R1' }));
    expect(byRef.kind).toBe('duplicate');
    expect(byRef.details).toEqual({ field: 'externalImportReference' });
    expect(byRef.message).toBe(`a voucher with externalImportReference 'R1' was already posted (voucher ${v.voucherNo}); it is not posted twice`);
    // A face renames the domain's field names to its wire's, in the field and in the message.
    const wire = (f: string) => ({ externalImportReference: 'ExternalImportReference', importedVoucherNo: 'ImportedVoucherNo' })[f] ?? f;
    const byNo = refusal(() => assertNotDuplicate(ctx, { importedVoucherNo: '42' })).renamed(wire);
    expect(byNo.details).toEqual({ field: 'ImportedVoucherNo' });
    expect(byNo.message).toBe(`a voucher with ImportedVoucherNo '42' was already posted (voucher ${v.voucherNo}); it is not posted twice`);
    const named = refusal(() => assertNotDuplicate(ctx, { externalImportReference: 'R1' })).renamed(wire);
    expect(named.message).toBe(`a voucher with ExternalImportReference 'R1' was already posted (voucher ${v.voucherNo}); it is not posted twice`);
  });

  it('a posting without references is never a duplicate, whatever references were spelled before', () => {
    const { ctx } = world();
    postVoucher(ctx, manual(pair(100), { externalImportReference: 'null', importedVoucherNo: 'undefined' }));
    postVoucher(ctx, manual(pair(100), { externalImportReference: 'undefined', importedVoucherNo: 'null' }));
    expect(() => assertNotDuplicate(ctx, { externalImportReference: null, importedVoucherNo: null })).not.toThrow();
    expect(() => assertNotDuplicate(ctx, {})).not.toThrow();
  });

  it('a reference waiting in the voucher reception, or one whose voucher is gone, is still refused', () => {
    const { w, ctx } = world();
    w.voucherReception['draft-1'] = { id: 'draft-1' } as never;
    w.importReferences['ref:R9'] = 'draft-1';
    w.importReferences['no:9'] = 'unknown';
    expect(refusal(() => assertNotDuplicate(ctx, { externalImportReference: 'R9' })).message).toBe(
      "a voucher with externalImportReference 'R9' was already sent to the voucher reception (draft draft-1); it is not posted twice",
    );
    expect(refusal(() => assertNotDuplicate(ctx, { importedVoucherNo: '9' })).message).toBe("a voucher with importedVoucherNo '9' was already posted; it is not posted twice");
  });
});

describe('reversals', () => {
  it('a ReversalVoucher with every line negated, remembered against the original', () => {
    const { w, ctx } = world();
    const v = postVoucher(ctx, manual([{ account: ACCOUNTS.bank, amount: 300, description: 'in' }, { account: ACCOUNTS.sales, amount: -200 }, { account: ACCOUNTS.outputVat, amount: -100 }]));
    expect(reversalOf(w, v.id)).toBeNull();
    const r = reverseVoucher(ctx, v, '2026-01-06', 'undo');
    expect(r).toMatchObject({ type: 'ReversalVoucher', date: '2026-01-06', description: 'undo', reversesVoucherId: v.id, voucherNo: v.voucherNo + 1 });
    expect(r.lines).toEqual([{ account: ACCOUNTS.bank, amount: -300, description: 'in' }, { account: ACCOUNTS.sales, amount: 200 }, { account: ACCOUNTS.outputVat, amount: 100 }]);
    expect(reversalOf(w, v.id)).toBe(r.id);
    expect(w.reversals).toEqual({ [v.id]: r.id });
  });

  it('an unmatched part is reversed with its line', () => {
    const { w, ctx } = world();
    const v = postVoucher(ctx, manual([
      { account: ACCOUNTS.bank, amount: 300 },
      { account: ACCOUNTS.customerReceivables, amount: -300, customerId: 1, unmatched: { reason: 'unknownReference', amount: -300 } },
    ]));
    const r = reverseVoucher(ctx, v, '2026-01-06', 'undo');
    expect(r.lines).toEqual([
      { account: ACCOUNTS.bank, amount: -300 },
      { account: ACCOUNTS.customerReceivables, amount: 300, customerId: 1, unmatched: { reason: 'unknownReference', amount: 300 } },
    ]);
    expect(v.lines[1]!.unmatched).toEqual({ reason: 'unknownReference', amount: -300 });
    expect(invariantBreachesOf(w)).toEqual([]);
  });
});

describe('matches against an invoice', () => {
  it('lower the open amount, share the invoice’s match group, and stamp the change', () => {
    const { w, ctx, invoice } = world();
    const inv = invoice(100_000, '2026-01-05');
    w.clock.now = at('2026-01-07', 9);
    const group = w.counters.matchGroup;
    const v = postVoucher(ctx, manual(pair(30_000), { date: '2026-01-06' }));
    const first = addMatch(ctx, inv, { kind: 'payment', voucher: v, amount: 30_000, paidFromAccount: '12345678903' });
    expect(first).toEqual({
      id: w.counters.match,
      kind: 'payment',
      voucherId: v.id,
      amount: 30_000,
      date: '2026-01-06',
      postedAt: at('2026-01-07', 9),
      matchId: group + 1,
      isWriteOff: false,
      paidFromAccount: '12345678903',
      reversedByVoucherId: null,
    });
    expect(w.counters.matchGroup).toBe(group + 1);
    expect(inv.openAmount).toBe(70_000);
    expect(inv.lastChanged).toBe(at('2026-01-07', 9));
    expect(inv.balanceLastChanged).toBe(at('2026-01-07', 9));
    const second = addMatch(ctx, inv, { kind: 'writeOff', voucher: v, amount: 20_000 });
    expect(second).toMatchObject({ id: first.id + 1, matchId: group + 1, isWriteOff: true, paidFromAccount: null });
    const back = addMatch(ctx, inv, { kind: 'writeOffReversal', voucher: v, amount: -20_000, matchId: 77 });
    expect(back).toMatchObject({ matchId: 77, isWriteOff: true, amount: -20_000 });
    expect(addMatch(ctx, inv, { kind: 'creditNote', voucher: v, amount: 1 }).isWriteOff).toBe(false);
    expect(inv.openAmount).toBe(69_999);
    expect(inv.matches).toHaveLength(4);
  });

  it('down to exactly zero, never below: that is a bug, not input', () => {
    const { ctx, invoice } = world();
    const inv = invoice(100, '2026-01-05');
    const v = postVoucher(ctx, manual(pair(100)));
    addMatch(ctx, inv, { kind: 'payment', voucher: v, amount: 100 });
    expect(inv.openAmount).toBe(0);
    expect(() => addMatch(ctx, inv, { kind: 'payment', voucher: v, amount: 1 })).toThrow(`internal: invoice ${inv.invoiceNo} open amount below zero`);
  });

  it('match groups count up', () => {
    const { ctx } = world();
    const g = nextMatchGroup(ctx);
    expect(nextMatchGroup(ctx)).toBe(g + 1);
    expect(ctx.world.counters.matchGroup).toBe(g + 1);
  });
});

describe('later entries matched with earlier open lines', () => {
  it('payment vouchers are the bank journal and the OCR giro, nothing else', () => {
    expect([...PAYMENT_VOUCHER_TYPES]).toEqual(['BankJournal', 'IncomingOcrGiro']);
    for (const type of ['OutgoingInvoice', 'ManualJournal', 'ReversalVoucher', 'OutgoingPaymentReminder'] as const) expect(PAYMENT_VOUCHER_TYPES.has(type)).toBe(false);
  });

  it('a line is keyed by voucher and index, each key its own', () => {
    expect(lineKey('v1', 0)).toBe('v1#0');
    expect(lineKey('v1', 12)).toBe('v1#12');
    expect(new Set([lineKey('v1', 0), lineKey('v1', 1), lineKey('v2', 0), lineKey('v2', 1)]).size).toBe(4);
  });

  it('a match dated apart from its voucher and naming a line keeps both; one without a line has no line at all', () => {
    const { ctx, invoice } = world();
    const inv = invoice(100_000, '2026-01-05');
    const v = postVoucher(ctx, manual(pair(30_000), { date: '2026-01-03' }));
    const later = addMatch(ctx, inv, { kind: 'payment', voucher: v, amount: 10_000, date: '2026-01-06', line: 0 });
    expect(later).toMatchObject({ date: '2026-01-06', line: 0 });
    const plain = addMatch(ctx, inv, { kind: 'payment', voucher: v, amount: 10_000 });
    expect(plain.date).toBe('2026-01-03');
    expect('line' in plain).toBe(false);
    expect(addMatch(ctx, inv, { kind: 'payment', voucher: v, amount: 1, line: 1 }).line).toBe(1);
  });

  it('are gathered by line across invoices, in order, those without a line left out', () => {
    const { w, ctx, invoice } = world();
    const a = invoice(100_000, '2026-01-05');
    const b = invoice(100_000, '2026-01-05');
    const v = postVoucher(ctx, manual(pair(50_000)));
    const u = postVoucher(ctx, manual(pair(50_000)));
    expect(laterMatches(w)).toEqual(new Map());
    addMatch(ctx, a, { kind: 'payment', voucher: v, amount: 1_000 });
    expect(laterMatches(w).size).toBe(0);
    const a0 = addMatch(ctx, a, { kind: 'payment', voucher: v, amount: 2_000, line: 0 });
    const a1 = addMatch(ctx, a, { kind: 'payment', voucher: v, amount: 3_000, line: 1 });
    const a0again = addMatch(ctx, a, { kind: 'payment', voucher: v, amount: 4_000, line: 0 });
    const b0 = addMatch(ctx, b, { kind: 'payment', voucher: v, amount: 5_000, line: 0 });
    const bu = addMatch(ctx, b, { kind: 'payment', voucher: u, amount: 6_000, line: 0 });
    const got = laterMatches(w);
    expect([...got.keys()].sort()).toEqual([lineKey(v.id, 0), lineKey(v.id, 1), lineKey(u.id, 0)].sort());
    expect(got.get(lineKey(v.id, 0))).toEqual([
      { invoice: a, match: a0 },
      { invoice: a, match: a0again },
      { invoice: b, match: b0 },
    ]);
    expect(got.get(lineKey(v.id, 1))).toEqual([{ invoice: a, match: a1 }]);
    expect(got.get(lineKey(u.id, 0))).toEqual([{ invoice: b, match: bu }]);
    expect(got.get(lineKey(v.id, 0))![0]!.match).toBe(a0);
  });

  it('the open part: what no invoice took, less what later matches closed (not reversed; or as of a date)', () => {
    const credit = line({ account: ACCOUNTS.customerReceivables, amount: -80_000, customerId: 1, unmatched: { reason: 'unknownReference', amount: -80_000 } });
    const m = (amount: number, date: string, reversed = false) =>
      ({ invoice: {} as never, match: { amount, date, reversedByVoucherId: reversed ? 'r' : null } as InvoiceMatch }) satisfies LaterMatch;
    expect(openPart(credit, undefined)).toBe(-80_000);
    expect(openPart(credit, [])).toBe(-80_000);
    const later = [m(30_000, '2026-01-05'), m(20_000, '2026-01-07', true), m(-20_000, '2026-01-09'), m(10_000, '2026-01-08')];
    expect(openPart(credit, later)).toBe(-80_000 + 30_000 - 20_000 + 10_000);
    expect(openPart(credit, later, '2026-01-04')).toBe(-80_000);
    expect(openPart(credit, later, '2026-01-05')).toBe(-50_000);
    expect(openPart(credit, later, '2026-01-07')).toBe(-30_000);
    expect(openPart(credit, later, '2026-01-08')).toBe(-20_000);
    expect(openPart(credit, later, '2026-01-09')).toBe(-40_000);
  });

  it('the open part as a property: the unmatched part plus the matches counted, by reversal or by date', () => {
    const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, '0')}`);
    const entry = fc.record({ amount: fc.integer({ min: -1_000_000, max: 1_000_000 }), date: day, reversed: fc.boolean() });
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: -1 }), fc.array(entry, { maxLength: 6 }), day, (amount, entries, asOf) => {
        const l = line({ account: ACCOUNTS.customerReceivables, amount, customerId: 1 });
        const later: LaterMatch[] = entries.map((e) => ({
          invoice: {} as never,
          match: { amount: e.amount, date: e.date, reversedByVoucherId: e.reversed ? 'r' : null } as InvoiceMatch,
        }));
        const sum = (keep: (e: (typeof entries)[number]) => boolean) => entries.filter(keep).reduce((s, e) => s + e.amount, 0);
        expect(openPart(l, later)).toBe(amount + sum((e) => !e.reversed));
        expect(openPart(l, later, asOf)).toBe(amount + sum((e) => e.date <= asOf));
      }),
    );
  });
});

describe('an invoice’s own lines', () => {
  it('debit 1500 for the gross, credit sales for the net and VAT for the VAT; a credit note the other way', () => {
    const { invoice } = world();
    const inv = invoice(12_500, '2026-01-05');
    const c = { customerId: inv.customerId, invoiceId: inv.id };
    expect(invoiceLines(inv, 10_000, 2_500, 1)).toEqual([
      { account: ACCOUNTS.customerReceivables, amount: 12_500, ...c },
      { account: ACCOUNTS.sales, amount: -10_000, vatCode: inv.vatCode },
      { account: ACCOUNTS.outputVat, amount: -2_500, vatCode: inv.vatCode },
    ]);
    expect(invoiceLines(inv, 10_000, 2_500, -1)).toEqual([
      { account: ACCOUNTS.customerReceivables, amount: -12_500, ...c },
      { account: ACCOUNTS.sales, amount: 10_000, vatCode: inv.vatCode },
      { account: ACCOUNTS.outputVat, amount: 2_500, vatCode: inv.vatCode },
    ]);
    expect(invoiceLines(inv, 12_500, 0, 1)).toHaveLength(2);
  });
});
