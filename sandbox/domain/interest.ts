/** Forsinkelsesrente: simple interest, actual/365, the rate in force on each day. */
import type { Ore } from './money.js';
import type { DatedRate } from './norwegian-rates.js';
import { dayNumber, type LocalDate } from './time.js';

const periodCache = new WeakMap<readonly DatedRate[], Array<{ day: number; bp: number }>>();

function periodsOf(table: readonly DatedRate[]): Array<{ day: number; bp: number }> {
  let periods = periodCache.get(table);
  if (!periods) {
    periods = table.map((r) => ({ day: dayNumber(r.from), bp: r.basisPoints }));
    periodCache.set(table, periods);
  }
  return periods;
}

/** Interest on `principal` for the days after `from` up to and including `to`. */
export function lateInterest(principal: Ore, from: LocalDate, to: LocalDate, table: readonly DatedRate[]): Ore {
  const start = dayNumber(from) + 1;
  const end = dayNumber(to);
  if (principal <= 0 || end < start) return 0;
  const periods = periodsOf(table);
  let basisPointDays = 0;
  for (let i = 0; i < periods.length; i++) {
    const periodStart = i === 0 ? -Infinity : periods[i]!.day;
    const periodEnd = i + 1 < periods.length ? periods[i + 1]!.day - 1 : Infinity;
    const lo = Math.max(start, periodStart);
    const hi = Math.min(end, periodEnd);
    if (hi >= lo) basisPointDays += (hi - lo + 1) * periods[i]!.bp;
  }
  return Math.round((principal * basisPointDays) / 10_000 / 365);
}
