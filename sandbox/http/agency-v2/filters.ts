/** v2 list filters: number ranges ("10000-11000, 12000, 13000-") in one string, and the ...GreaterThan cut-offs. */
import { parseMoment } from '../../clock/targets.js';
import { reject } from '../../domain/errors.js';
import { toMillis } from '../../domain/time.js';
import { VOUCHER_TYPES } from '../../../contracts/schemas/enums.js';

/** True when `n` is in one of the ranges; no ranges (filter absent) lets everything through. */
export type RangeFilter = (n: number | null | undefined) => boolean;

/**
 * One filter string, already checked against the schema's pattern: comma-separated "n", "n-" or "n-m". Blank means
 * no filter, as the vendor says ("If null or whitespace, the filter is not used").
 */
export function numberRanges(value: string | undefined): RangeFilter {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) return () => true;
  const ranges = items.map((item) => {
    const [from, to] = item.split('-').map((s) => s.trim());
    const low = Number(from);
    if (to === undefined) return [low, low] as const;
    return [low, to === '' ? Infinity : Number(to)] as const;
  });
  return (n) => n !== null && n !== undefined && ranges.some(([low, high]) => n >= low && n <= high);
}

export interface CutOffOptions {
  /** settings.v2Wire.repairPlusInTimestamps: read a space before the offset as the lost '+'. */
  repairPlus: boolean;
  /** Told when the value carries an unencoded '+' (a space where the offset sign was). */
  onUnencodedPlus: (message: string) => void;
}

/** A '+' sent unencoded in the query decodes to a space: "…T08:00:00 01:00". */
const LOST_PLUS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$/;

/**
 * A ...GreaterThan cut-off as epoch ms. A date means local midnight; the vendor's own example separates date and
 * time with a space ("2021-09-25 08:03:00.123456+00:00"), which .NET parses. A space where the offset's '+' was is
 * refused as ASP.NET's binding refuses it (400 "The value '…' is not valid."), unless the client's setting repairs it.
 */
export function cutOff(value: string | undefined, timeZone: string, field: string, options: CutOffOptions): number | undefined {
  if (value === undefined || !value.trim()) return undefined;
  let v = value.trim().replace(/^(\d{4}-\d{2}-\d{2}) (?=\d{2}:\d{2})/, '$1T');
  const lost = LOST_PLUS.exec(v);
  if (lost) {
    options.onUnencodedPlus(
      `${field}='${value}' has a space where the offset's '+' was (send it as %2B); ` +
        `${options.repairPlus ? 'repaired by the setting v2Wire.repairPlusInTimestamps' : 'the vendor answers 400'}`,
    );
    if (!options.repairPlus) throw reject.invalid(field, `The value '${value}' is not valid.`);
    v = `${lost[1]}+${lost[2]}`;
  }
  return toMillis(parseMoment(v.length === 10 ? `${v}T00:00` : v, timeZone, field));
}

/** A comma-separated text filter as its items (trimmed); undefined when blank, as the vendor ignores a blank filter. */
export function textList(value: string | undefined): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** VoucherType names, as the vendor's enum spells them (any case); an unknown one is 400 naming voucherTypes. */
export function voucherTypesIn(value: string | undefined): Set<string> | undefined {
  const names = textList(value);
  if (!names) return undefined;
  return new Set(
    names.map((n) => {
      const found = VOUCHER_TYPES.find((t) => t.toLowerCase() === n.toLowerCase());
      if (!found) throw reject.invalid('voucherTypes', `'${n}' is not a VoucherType (${VOUCHER_TYPES.join(', ')})`);
      return found;
    }),
  );
}
