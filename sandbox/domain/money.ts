/** Money: integer øre inside the sandbox, NOK only at the edge; parsing, formatting and the one øre conversion. */
import { reject } from './errors.js';

/** Money is integer øre (1/100 NOK) everywhere inside the sandbox; faces convert at the edge. */
export type Ore = number;

/** NOK decimal as the real API shows it (1250.5), from øre. */
export function oreToNok(ore: Ore): number {
  return ore / 100;
}

/** Øre from a NOK decimal; undefined when the value has more than two decimals or is not finite. */
export function nokToOre(nok: number): Ore | undefined {
  if (!Number.isFinite(nok)) return undefined;
  const scaled = nok * 100;
  const ore = Math.round(scaled);
  // Tolerance relative to the size: x*100 in binary floating point is off by a few ulps, which exceeds any fixed
  // epsilon for large amounts (17 billion NOK was refused with 1e-6).
  if (!Number.isSafeInteger(ore) || Math.abs(ore - scaled) > Math.max(1e-6, Math.abs(scaled) * 8 * Number.EPSILON)) return undefined;
  return ore;
}

/** Øre from NOK at the edge: the one conversion of input amounts, refusing more than two decimals by field name. */
export function toOre(nok: number, field = 'amount'): Ore {
  const ore = nokToOre(nok);
  if (ore === undefined) throw reject.invalid(field, 'must be NOK with at most two decimals');
  return ore;
}

export function formatNok(ore: Ore): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} NOK`;
}

/** Split a gross amount into net and VAT at a rate in basis points (2500 = 25 %), VAT rounded to øre. */
export function splitVat(gross: Ore, rateBasisPoints: number): { net: Ore; vat: Ore } {
  const vat = Math.round((gross * rateBasisPoints) / (10_000 + rateBasisPoints));
  return { net: gross - vat, vat };
}
