/** v2 list filters: number ranges ("10000-11000, 12000, 13000-") and the lastChanged cut-off. */
import { parseMoment } from '../../clock/targets.js';
import { toMillis } from '../../domain/time.js';

/** True when `n` is in one of the ranges; no ranges (filter absent) lets everything through. */
export type RangeFilter = (n: number | null | undefined) => boolean;

/** Items are already checked against the schema's pattern: "n" or "n-" or "n-m". */
export function numberRanges(items: readonly string[] | undefined): RangeFilter {
  if (!items?.length) return () => true;
  const ranges = items.map((item) => {
    const [from, to] = item.split('-').map((s) => s.trim());
    const low = Number(from);
    if (to === undefined) return [low, low] as const;
    return [low, to === '' ? Infinity : Number(to)] as const;
  });
  return (n) => n !== null && n !== undefined && ranges.some(([low, high]) => n >= low && n <= high);
}

/**
 * A ...GreaterThan cut-off as epoch ms. A date means local midnight; a form-encoded '+' in the offset arrives
 * as a space, so it is put back rather than refused.
 */
export function cutOff(value: string | undefined, timeZone: string, field: string): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().replace(/ (\d{2}:\d{2})$/, '+$1');
  return toMillis(parseMoment(v.length === 10 ? `${v}T00:00` : v, timeZone, field));
}
