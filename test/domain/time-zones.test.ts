/**
 * Offsets come from a DST transition table built from Intl; these properties hold the table to Intl itself over
 * 1900-2100, at random instants and in the hours around each change, for zones with odd offsets and rules.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatLocalInstant, localDate, localTimeToMs, offsetMinutes, fromMillis, dayNumber, fromDayNumber } from '../../sandbox/domain/time.js';

const DAY = 86_400_000;
const ZONES = ['Europe/Oslo', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Europe/Amsterdam', 'America/Sao_Paulo'];

/** The reference: the zone's wall clock as Intl formats it. */
const formats = new Map<string, Intl.DateTimeFormat>();
function intlWall(ms: number, timeZone: string) {
  let f = formats.get(timeZone);
  if (!f) formats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })));
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(ms)) p[x.type] = x.value;
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second) };
}

function intlOffsetMinutes(ms: number, timeZone: string): number {
  const w = intlWall(ms, timeZone);
  const asUtc = dayNumber(w.date) * DAY + ((w.hour * 60 + w.minute) * 60 + w.second) * 1000;
  return Math.round((asUtc - (ms - (((ms % 1000) + 1000) % 1000))) / 60_000);
}

function intlFormat(ms: number, timeZone: string): string {
  const w = intlWall(ms, timeZone);
  const off = intlOffsetMinutes(ms, timeZone);
  const abs = Math.abs(off);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.date}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${off >= 0 ? '+' : '-'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** localTimeToMs's rule (first occurrence when the clock goes back; the gap read with the earlier offset), on Intl offsets. */
function intlLocalTimeToMs(date: string, hour: number, minute: number, timeZone: string): number {
  const naive = dayNumber(date) * DAY + (hour * 60 + minute) * 60_000;
  const before = intlOffsetMinutes(naive - DAY, timeZone);
  const after = intlOffsetMinutes(naive + DAY, timeZone);
  const early = naive - before * 60_000;
  if (intlOffsetMinutes(early, timeZone) === before) return early;
  const late = naive - after * 60_000;
  if (intlOffsetMinutes(late, timeZone) === after) return late;
  return early;
}

const FROM = Date.UTC(1900, 0, 1);
const TO = Date.UTC(2101, 0, 1);
const zone = fc.constantFrom(...ZONES);
const anyInstant = fc.integer({ min: FROM, max: TO - 1 });
/** Instants in the small hours (UTC-12..+14 covers every zone's local night) of days in the DST months. */
const nearChange = fc
  .record({ year: fc.integer({ min: 1900, max: 2100 }), month: fc.constantFrom(1, 2, 3, 4, 5, 9, 10, 11, 12), day: fc.integer({ min: 1, max: 31 }), ms: fc.integer({ min: -14 * 3_600_000, max: 14 * 3_600_000 }) })
  .map(({ year, month, day, ms }) => Date.UTC(year, month - 1, day) + ms);

function agreesWithIntl(ms: number, timeZone: string): void {
  expect(offsetMinutes(ms, timeZone), `offset ${timeZone} ${new Date(ms).toISOString()}`).toBe(intlOffsetMinutes(ms, timeZone));
  expect(formatLocalInstant(fromMillis(ms), timeZone)).toBe(intlFormat(ms, timeZone));
  expect(localDate(fromMillis(ms), timeZone)).toBe(intlWall(ms, timeZone).date);
}

describe('UTC offsets by transition table', () => {
  it('match Intl at random instants 1900-2100', () => {
    fc.assert(fc.property(anyInstant, zone, (ms, tz) => agreesWithIntl(ms, tz)), { numRuns: 3000 });
  });

  it('match Intl in the hours around DST changes, to the millisecond', () => {
    fc.assert(fc.property(nearChange, zone, (ms, tz) => agreesWithIntl(ms, tz)), { numRuns: 5000 });
  });

  it('match Intl on every second of both Oslo change nights in 2026', () => {
    for (const night of [Date.UTC(2026, 2, 29, 0, 0), Date.UTC(2026, 9, 25, 0, 0)])
      for (let ms = night; ms < night + 3 * 3_600_000; ms += 1000) expect(offsetMinutes(ms, 'Europe/Oslo')).toBe(intlOffsetMinutes(ms, 'Europe/Oslo'));
    expect(offsetMinutes(Date.UTC(2026, 2, 29, 0, 59, 59, 999), 'Europe/Oslo')).toBe(60);
    expect(offsetMinutes(Date.UTC(2026, 2, 29, 1, 0, 0, 0), 'Europe/Oslo')).toBe(120);
    expect(offsetMinutes(Date.UTC(2026, 9, 25, 0, 59, 59, 999), 'Europe/Oslo')).toBe(120);
    expect(offsetMinutes(Date.UTC(2026, 9, 25, 1, 0, 0, 0), 'Europe/Oslo')).toBe(60);
  });

  it('give the same local times as the same rule on Intl offsets, change days included', () => {
    const localTime = fc.record({
      day: fc.integer({ min: dayNumber('1900-01-02'), max: dayNumber('2100-12-30') }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
    });
    fc.assert(
      fc.property(localTime, zone, ({ day, hour, minute }, tz) => {
        const date = fromDayNumber(day);
        expect(localTimeToMs(date, hour, minute, tz)).toBe(intlLocalTimeToMs(date, hour, minute, tz));
      }),
      { numRuns: 3000 },
    );
    for (const date of ['2026-03-29', '2026-10-25', '1980-04-06', '1980-09-28'])
      for (let hour = 0; hour < 5; hour++)
        for (const minute of [0, 30, 59]) expect(localTimeToMs(date, hour, minute, 'Europe/Oslo')).toBe(intlLocalTimeToMs(date, hour, minute, 'Europe/Oslo'));
  });
});
