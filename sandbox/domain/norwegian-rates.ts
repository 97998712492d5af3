/**
 * Dated Norwegian rates the reminder rules use. Each entry says where it comes from; entries marked
 * `verified: false` follow the published formula but were not read from the Ministry of Finance's table.
 * A client can override both tables in its settings (`rates`).
 */
import type { LocalDate } from './time.js';

export interface DatedRate {
  from: LocalDate;
  /** Late-payment interest (forsinkelsesrente) in basis points per year: 1250 = 12.50 %. */
  basisPoints: number;
  source: string;
  verified: boolean;
}

export interface DatedAmount {
  from: LocalDate;
  /** Inkassosats in øre. */
  ore: number;
  source: string;
  verified: boolean;
}

/** Forsinkelsesrente = Norges Bank's policy rate + 8 pp, set each 1 January and 1 July. */
export const LATE_INTEREST_RATES: readonly DatedRate[] = [
  { from: '2023-01-01', basisPoints: 1075, source: 'FOR-2022-12-15 (Finansdepartementet)', verified: true },
  { from: '2023-07-01', basisPoints: 1175, source: 'policy rate 3.75 % + 8 pp', verified: false },
  { from: '2024-01-01', basisPoints: 1250, source: 'policy rate 4.50 % + 8 pp (domain.md)', verified: true },
  { from: '2024-07-01', basisPoints: 1250, source: 'FOR-2024-06-26-1320 (domain.md)', verified: true },
  { from: '2025-01-01', basisPoints: 1250, source: 'FOR-2024-12-19-3279 § 1 (lovdata)', verified: true },
  { from: '2025-07-01', basisPoints: 1225, source: 'FOR-2025-06-23-1321; policy rate 4.25 % + 8 pp', verified: false },
  { from: '2026-01-01', basisPoints: 1200, source: 'policy rate 4.00 % + 8 pp', verified: false },
];

/** Inkassosats (inkassoforskriften § 1-1); the maximum reminder fee is 1/20 of it. */
export const INKASSOSATS: readonly DatedAmount[] = [
  { from: '2017-01-01', ore: 70_000, source: 'inkassoforskriften, 700 kr from 1 Jan 2017 (domain.md)', verified: true },
];

/** The entry in force on a date: the last one starting on or before it (the first one before any). */
export function inForce<T extends { from: LocalDate }>(table: readonly T[], date: LocalDate): T {
  let found = table[0];
  for (const entry of table) if (entry.from <= date) found = entry;
  if (!found) throw new Error('empty rate table');
  return found;
}

/** The maximum reminder fee (purregebyr) on a date: 1/20 of the inkassosats, in øre. */
export function maxReminderFee(date: LocalDate, sats: readonly DatedAmount[] = INKASSOSATS): number {
  return Math.floor(inForce(sats, date).ore / 20);
}
