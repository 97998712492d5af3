/**
 * Turning what a user asks for ("14 days", "to 2026-02-03") into an instant on a client's clock.
 * A bare date means 08:00 local time, when the client's working day starts; day rules run at 00:00, so by 08:00
 * everything due that day has happened. Days are calendar days (a day across a DST change is 23 or 25 hours).
 */
import { reject } from '../domain/errors.js';
import {
  isLocalDate,
  isSupportedDate,
  FIRST_SUPPORTED_DATE,
  LAST_SUPPORTED_DATE,
  localDate,
  localTimeToMs,
  offsetMinutes,
  addDays,
  fromMillis,
  toMillis,
  type Instant,
} from '../domain/time.js';

export const DAY_START_HOUR = 8;

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A date ('2026-01-05' -> 08:00 local), a local date-time, or a zoned date-time, as an instant. */
export function parseMoment(value: string, timeZone: string, field: string): Instant {
  // The date part first: zone arithmetic near year 9999 would itself step outside four-digit years.
  const day = value.slice(0, 10);
  if (isLocalDate(day) && !isSupportedDate(day)) throw outsideSupportedDates(field, `'${value}'`);
  const at = parseAnyMoment(value, timeZone, field);
  assertSupported(at, timeZone, field, `'${value}'`);
  return at;
}

function assertSupported(at: Instant, timeZone: string, field: string, what: string): void {
  if (!isSupportedDate(localDate(at, timeZone))) throw outsideSupportedDates(field, what);
}

function outsideSupportedDates(field: string, what: string) {
  return reject.invalid(field, `${what} is outside the dates the sandbox supports (${FIRST_SUPPORTED_DATE} to ${LAST_SUPPORTED_DATE})`);
}

function parseAnyMoment(value: string, timeZone: string, field: string): Instant {
  if (isLocalDate(value)) return fromMillis(localTimeToMs(value, DAY_START_HOUR, 0, timeZone));
  const local = LOCAL_DATE_TIME.exec(value);
  if (local && isLocalDate(local[1]!)) {
    const [h, m, s] = [Number(local[2]), Number(local[3]), Number(local[4] ?? 0)];
    if (h < 24 && m < 60 && s < 60) return fromMillis(localTimeToMs(local[1]!, h, m, timeZone) + s * 1000);
  }
  if (ZONED_DATE_TIME.test(value) && isLocalDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value)))
    return fromMillis(Date.parse(value));
  throw reject.invalid(field, `'${value}' is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:mm[:ss][Z|±HH:mm])`);
}

export interface AdvanceRequest {
  days?: number;
  hours?: number;
  minutes?: number;
  to?: string;
}

/** The instant an advance request aims at. */
export function advanceTarget(now: Instant, timeZone: string, req: AdvanceRequest): Instant {
  const hasDelta = req.days !== undefined || req.hours !== undefined || req.minutes !== undefined;
  if (req.to !== undefined && hasDelta) throw reject.invalid('to', 'cannot be combined with days, hours or minutes');
  if (req.to !== undefined) return parseMoment(req.to, timeZone, 'to');
  if (!hasDelta) throw reject.invalid('days', 'is required: give days, hours or minutes, or to');
  let ms = toMillis(now);
  if (req.days) {
    // Same wall-clock time, `days` calendar days later (a day across a DST change is 23 or 25 hours).
    const wall = ms + offsetMinutes(ms, timeZone) * 60_000;
    const inDay = ((wall % 86_400_000) + 86_400_000) % 86_400_000;
    const day = addDays(localDate(now, timeZone), req.days);
    const h = Math.floor(inDay / 3_600_000);
    const m = Math.floor((inDay % 3_600_000) / 60_000);
    ms = localTimeToMs(day, h, m, timeZone) + (inDay % 60_000);
  }
  ms += ((req.hours ?? 0) * 60 + (req.minutes ?? 0)) * 60_000;
  const target = fromMillis(ms);
  const field = req.days !== undefined ? 'days' : req.hours !== undefined ? 'hours' : 'minutes';
  assertSupported(target, timeZone, field, 'the advance ends on a date that');
  return target;
}
