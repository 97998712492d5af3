/**
 * Time in a client's world. Domain code never reads the machine clock: every function here takes the
 * instant or date it works on. Local dates are 'YYYY-MM-DD' strings in the client's time zone
 * (Europe/Oslo by default); instants are ISO-8601 UTC strings ('…Z') so they sort as text.
 */

export type LocalDate = string;
export type Instant = string;

const DAY_MS = 86_400_000;

/** The calendar the sandbox works in: wide enough for any test, narrow enough that derived dates (reminders,
 * interest, DST rules) never leave four-digit years. Requests outside it are refused, not clamped. */
export const FIRST_SUPPORTED_DATE = '1900-01-01';
export const LAST_SUPPORTED_DATE = '2199-12-31';

export function isSupportedDate(date: LocalDate): boolean {
  return date >= FIRST_SUPPORTED_DATE && date <= LAST_SUPPORTED_DATE;
}
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(s: string): boolean {
  const m = LOCAL_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const back = new Date(Date.UTC(y, mo - 1, d));
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d;
}

/** Days since 1970-01-01 for a local date (calendar arithmetic, no zone involved). */
export function dayNumber(date: LocalDate): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) throw new RangeError(`not a date: ${date}`);
  const y = digits(date, 0, 4);
  const m = digits(date, 5, 7);
  const d = digits(date, 8, 10);
  if (Number.isNaN(y + m + d)) throw new RangeError(`not a date: ${date}`);
  return daysFromCivil(y, m, d);
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    n = n * 10 + c;
  }
  return n;
}

// Howard Hinnant's days_from_civil / civil_from_days: calendar maths without Date objects (hot in the clock).
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// Dates the clock makes again and again (reminder and due dates, today) come from one table: the same string
// object every time, so a year's reminders keep one text per day instead of one per use.
const DATE_TEXT_BASE = -25_567; // 1900-01-01
const dateTexts: Array<LocalDate | undefined> = [];

export function fromDayNumber(n: number): LocalDate {
  const i = n - DATE_TEXT_BASE;
  if (i >= 0 && i < 110_000) return (dateTexts[i] ??= formatDayNumber(n));
  return formatDayNumber(n);
}

function formatDayNumber(n: number): LocalDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** b - a in whole days. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return dayNumber(b) - dayNumber(a);
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3})\d*)?Z$/;

// Rules fire at few distinct moments (day starts), so the same instants convert again and again.
const millisCache = new Map<string, number>();
const instantCache = new Map<number, Instant>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size > 100_000) cache.clear();
  cache.set(key, value);
  return value;
}

export function toMillis(instant: Instant): number {
  const hit = millisCache.get(instant);
  return hit !== undefined ? hit : remember(millisCache, instant, parseMillis(instant));
}

function parseMillis(instant: Instant): number {
  // Fast path for the sandbox's own UTC instants; anything else through Date.parse.
  const m = ISO_UTC.exec(instant);
  if (m) {
    const frac = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
    return (
      daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])) * DAY_MS +
      ((Number(m[4]) * 60 + Number(m[5])) * 60 + Number(m[6])) * 1000 +
      frac
    );
  }
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${instant}`);
  return ms;
}

export function fromMillis(ms: number): Instant {
  const hit = instantCache.get(ms);
  return hit !== undefined ? hit : remember(instantCache, ms, new Date(ms).toISOString());
}

export function addMillis(instant: Instant, ms: number): Instant {
  return fromMillis(toMillis(instant) + ms);
}

// One formatter per zone; Intl formatters are costly to build and cheap to reuse.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const floorSecond = (ms: number) => ms - (((ms % 1000) + 1000) % 1000);

/** The zone's offset in ms at an instant, asked of Intl (slow: only to build the transition tables). */
function intlOffsetMs(ms: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) parts[p.type] = p.value;
  const wall =
    daysFromCivil(Number(parts.year), Number(parts.month), Number(parts.day)) * DAY_MS +
    ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000;
  return wall - floorSecond(ms);
}

/** A zone's offsets over one UTC year: the offset at its start and every change in it (from, offsetMs). */
interface YearOffsets {
  start: number;
  end: number;
  offset: number;
  changes: Array<{ at: number; offset: number }>;
}

// Offsets by DST transition table, built lazily per zone and UTC year from Intl and identical to it: Intl per
// call was a third of a read request's time. Zones change their offset at most a few times a year, never twice
// within a day, so a daily scan finds every change and a search to the second pins it.
const offsetTables = new Map<string, Map<number, YearOffsets>>();

function yearOffsets(year: number, timeZone: string): YearOffsets {
  let zone = offsetTables.get(timeZone);
  if (!zone) offsetTables.set(timeZone, (zone = new Map()));
  let table = zone.get(year);
  if (table) return table;
  const start = daysFromCivil(year, 1, 1) * DAY_MS;
  const end = daysFromCivil(year + 1, 1, 1) * DAY_MS;
  table = { start, end, offset: intlOffsetMs(start, timeZone), changes: [] };
  let t = start;
  let offset = table.offset;
  while (t < end) {
    const next = Math.min(t + DAY_MS, end);
    const after = next === end ? intlOffsetMs(end - 1000, timeZone) : intlOffsetMs(next, timeZone);
    if (after !== offset) {
      // The first whole second in (t, next] with the new offset.
      let lo = t;
      let hi = next === end ? end - 1000 : next;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (intlOffsetMs(mid, timeZone) === offset) lo = mid;
        else hi = mid;
      }
      table.changes.push({ at: hi, offset: after });
      offset = after;
    }
    t = next;
  }
  zone.set(year, table);
  return table;
}

let lastTable: YearOffsets | undefined;
let lastZone = '';

function offsetMs(ms: number, timeZone: string): number {
  let table = lastTable;
  if (!table || timeZone !== lastZone || ms < table.start || ms >= table.end) {
    table = yearOffsets(Number(fromDayNumber(Math.floor(ms / DAY_MS)).slice(0, 4)), timeZone);
    lastTable = table;
    lastZone = timeZone;
  }
  let offset = table.offset;
  for (const c of table.changes) {
    if (c.at > ms) break;
    offset = c.offset;
  }
  return offset;
}

interface WallClock {
  date: LocalDate;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const wall = floorSecond(ms) + offsetMs(ms, timeZone);
  const day = Math.floor(wall / DAY_MS);
  const secondOfDay = (wall - day * DAY_MS) / 1000;
  return {
    date: fromDayNumber(day),
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor(secondOfDay / 60) % 60,
    second: secondOfDay % 60,
  };
}

/** The zone's offset from UTC in minutes at an instant (+60 for CET, +120 for CEST). */
export function offsetMinutes(ms: number, timeZone: string): number {
  return Math.round(offsetMs(ms, timeZone) / 60_000);
}

/** A cache per time zone (the clock asks for the same few zones, dates and instants again and again). */
function perZone<K, V>(): (timeZone: string) => Map<K, V> {
  const zones = new Map<string, Map<K, V>>();
  let lastZone = '';
  let last: Map<K, V> | undefined;
  return (timeZone) => {
    if (timeZone === lastZone && last) return last;
    let m = zones.get(timeZone);
    if (!m) zones.set(timeZone, (m = new Map()));
    lastZone = timeZone;
    return (last = m);
  };
}

const localDates = perZone<Instant, LocalDate>();

/** The local calendar date of an instant (cached: rules fire at few distinct moments). */
export function localDate(instant: Instant, timeZone: string): LocalDate {
  const cache = localDates(timeZone);
  let date = cache.get(instant);
  if (date === undefined) {
    date = wallClock(toMillis(instant), timeZone).date;
    if (cache.size > 50_000) cache.clear();
    cache.set(instant, date);
  }
  return date;
}

const startsOfDay = perZone<LocalDate, number>();

/** Milliseconds of local midnight (00:00) of a date in the zone; the moment day-rules fire. */
export function startOfLocalDayMs(date: LocalDate, timeZone: string): number {
  const cache = startsOfDay(timeZone);
  const hit = cache.get(date);
  if (hit !== undefined) return hit;
  const ms = localTimeToMs(date, 0, 0, timeZone);
  if (cache.size > 20_000) cache.clear();
  cache.set(date, ms);
  return ms;
}

/**
 * A wall-clock time on a local date, as milliseconds. A time the clock shows twice (autumn) is the first one, on
 * the offset in force before the change; a time that never happens (spring) moves forward by the gap, as
 * java.time and Temporal ('compatible') do.
 */
export function localTimeToMs(date: LocalDate, hour: number, minute: number, timeZone: string): number {
  const naive = dayNumber(date) * DAY_MS + (hour * 60 + minute) * 60_000;
  // Zone changes are months apart, so a day either side gives the offsets in force before and after.
  const before = offsetMinutes(naive - DAY_MS, timeZone);
  const after = offsetMinutes(naive + DAY_MS, timeZone);
  const early = naive - before * 60_000;
  if (offsetMinutes(early, timeZone) === before) return early;
  const late = naive - after * 60_000;
  if (offsetMinutes(late, timeZone) === after) return late;
  return early; // in the gap: the earlier offset reads the time as that far past the change
}

export function startOfLocalDay(date: LocalDate, timeZone: string): Instant {
  return fromMillis(startOfLocalDayMs(date, timeZone));
}

// Views format the same instants (lastChanged, createdAt) on every read: keep the text per zone.
const localInstantTexts = new Map<string, Map<Instant, string>>();

/** An instant as ISO-8601 with the zone's offset, e.g. 2026-01-19T00:00:00+01:00, as the client sees it. */
export function formatLocalInstant(instant: Instant, timeZone: string): string {
  let texts = localInstantTexts.get(timeZone);
  if (!texts) localInstantTexts.set(timeZone, (texts = new Map()));
  const hit = texts.get(instant);
  if (hit !== undefined) return hit;
  const ms = toMillis(instant);
  const w = wallClock(ms, timeZone);
  const off = offsetMinutes(ms, timeZone);
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  const text = `${w.date}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  if (texts.size > 100_000) texts.clear();
  texts.set(instant, text);
  return text;
}

/** A local date as the v1 API's DateTime (local midnight, no offset), e.g. 2026-01-05T00:00:00. */
export function formatLocalDateTime(date: LocalDate): string {
  return `${date}T00:00:00`;
}
