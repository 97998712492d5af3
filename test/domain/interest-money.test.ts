/** Interest and money against plain references: day-by-day sums across rate changes and leap years, øre round-trips. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lateInterest } from '../../sandbox/domain/interest.js';
import { formatNok, isOre, nokToOre, oreToNok, splitVat, toOre } from '../../sandbox/domain/money.js';
import { DomainRejection } from '../../sandbox/domain/errors.js';
import { addDays, dayNumber } from '../../sandbox/domain/time.js';
import { LATE_INTEREST_RATES, type DatedRate } from '../../sandbox/domain/norwegian-rates.js';

/** The reference: for each day after `from` up to and including `to`, the rate in force that day. */
function referenceInterest(principal: number, from: string, to: string, table: readonly DatedRate[]): number {
  if (principal <= 0) return 0;
  let bpDays = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
    let bp = table[0]!.basisPoints;
    for (const r of table) if (r.from <= d) bp = r.basisPoints;
    bpDays += bp;
  }
  return Math.round((principal * bpDays) / 10_000 / 365);
}

const date = (min: string, max: string) =>
  fc.integer({ min: dayNumber(min), max: dayNumber(max) }).map((n) => addDays('1970-01-01', n - dayNumber('1970-01-01')));

describe('late interest (forsinkelsesrente)', () => {
  it('equals a day-by-day sum across rate changes and leap years', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 50_000_000 }), date('2018-01-01', '2026-12-31'), fc.integer({ min: 0, max: 900 }), (principal, from, days) => {
        const to = addDays(from, days);
        expect(lateInterest(principal, from, to, LATE_INTEREST_RATES)).toBe(referenceInterest(principal, from, to, LATE_INTEREST_RATES));
      }),
      { numRuns: 300 },
    );
  });

  const rate = (from: string, basisPoints: number): DatedRate => ({ from, basisPoints, source: 'test', verified: true });
  const table: DatedRate[] = [rate('2024-01-01', 1000), rate('2024-07-01', 2000), rate('2024-07-02', 500)];

  it('no interest for the day it starts from; one day gives one day', () => {
    expect(lateInterest(36_500_000, '2024-03-01', '2024-03-01', table)).toBe(0);
    expect(lateInterest(36_500_000, '2024-03-01', '2024-03-02', table)).toBe(36_500_000 * 0.1 / 365);
    expect(lateInterest(36_500_000, '2024-03-02', '2024-03-01', table)).toBe(0);
  });

  it('a one-day rate period counts exactly its one day', () => {
    // 2024-07-01 alone runs at 20 %: from 06-30 to 07-01 is that one day.
    expect(lateInterest(36_500_000, '2024-06-30', '2024-07-01', table)).toBe(20_000);
    expect(lateInterest(36_500_000, '2024-06-29', '2024-07-02', table)).toBe(10_000 + 20_000 + 5_000);
  });

  it('nothing on a zero or negative principal', () => {
    expect(lateInterest(0, '2024-01-01', '2024-12-31', table)).toBe(0);
    expect(lateInterest(-100, '2024-01-01', '2024-12-31', table)).toBe(0);
  });

  it('leap day counts as a day (actual/365)', () => {
    expect(lateInterest(36_500_000, '2024-02-28', '2024-03-01', table)).toBe(2 * 10_000);
    expect(lateInterest(36_500_000, '2023-02-28', '2023-03-01', [rate('2000-01-01', 1000)])).toBe(10_000);
  });
});

describe('money in øre', () => {
  it('øre → NOK → øre round-trips for every safe amount a ledger holds', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (ore) => {
        expect(nokToOre(oreToNok(ore))).toBe(ore);
      }),
    );
  });

  it('refuses more than two decimals and non-finite values', () => {
    expect(nokToOre(12.345)).toBeUndefined();
    expect(nokToOre(0.001)).toBeUndefined();
    expect(nokToOre(Number.NaN)).toBeUndefined();
    expect(nokToOre(Infinity)).toBeUndefined();
    expect(nokToOre(1e300)).toBeUndefined();
    expect(nokToOre(0.1 + 0.2)).toBe(30);
    expect(nokToOre(-1250.5)).toBe(-125_050);
  });

  it('toOre converts input amounts or refuses them naming the field (amount unless told)', () => {
    expect(toOre(1250.5)).toBe(125_050);
    expect(toOre(-0.01, 'balanceAgency')).toBe(-1);
    expect(toOre(0)).toBe(0);
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return 'no refusal';
    };
    const named = refusal(() => toOre(12.345, 'balanceAgency'));
    expect(named).toBeInstanceOf(DomainRejection);
    expect(named).toMatchObject({
      kind: 'invalid',
      message: 'balanceAgency must be NOK with at most two decimals',
      details: { field: 'balanceAgency' },
    });
    expect(refusal(() => toOre(Number.NaN))).toMatchObject({
      kind: 'invalid',
      message: 'amount must be NOK with at most two decimals',
      details: { field: 'amount' },
    });
  });

  it('isOre only for safe integers', () => {
    expect(isOre(1)).toBe(true);
    expect(isOre(-0)).toBe(true);
    expect(isOre(1.5)).toBe(false);
    expect(isOre('1')).toBe(false);
    expect(isOre(2 ** 53)).toBe(false);
  });

  it('formats NOK with two decimals and the sign in front', () => {
    expect(formatNok(123_456)).toBe('1234.56 NOK');
    expect(formatNok(-5)).toBe('-0.05 NOK');
    expect(formatNok(100)).toBe('1.00 NOK');
    expect(formatNok(0)).toBe('0.00 NOK');
  });

  it('splits VAT so net + VAT is the gross, VAT rounded to øre', () => {
    expect(splitVat(12_500, 2500)).toEqual({ net: 10_000, vat: 2_500 });
    expect(splitVat(100, 1500)).toEqual({ net: 87, vat: 13 });
    expect(splitVat(1000, 0)).toEqual({ net: 1000, vat: 0 });
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.constantFrom(0, 1200, 1500, 2500), (gross, bp) => {
        const { net, vat } = splitVat(gross, bp);
        expect(net + vat).toBe(gross);
        expect(Math.abs(vat - (gross * bp) / (10_000 + bp))).toBeLessThanOrEqual(0.5);
      }),
    );
  });
});
