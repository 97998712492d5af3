/** Dates in scenarios: relative to the scenario's start ('+14d', '-3d', '+1d+2h') or absolute. */
import { addDays, isLocalDate, type LocalDate } from '../domain/time.js';
import { DAY_START_HOUR } from '../clock/targets.js';

const PART = /([+-]?)(\d+)([dhm])/g;

export function isRelative(value: string): boolean {
  return /^([+-]?\d+[dhm])+$/.test(value);
}

function offsets(value: string): { days: number; minutes: number } {
  let days = 0;
  let minutes = 0;
  for (const m of value.matchAll(PART)) {
    const n = Number(m[2]) * (m[1] === '-' ? -1 : 1);
    if (m[3] === 'd') days += n;
    else if (m[3] === 'h') minutes += n * 60;
    else minutes += n;
  }
  return { days, minutes };
}

/** A day: start + n days, or the absolute date. */
export function resolveDate(value: string, start: LocalDate): LocalDate {
  if (isRelative(value)) return addDays(start, offsets(value).days);
  return value;
}

/** A moment as a local date-time 'YYYY-MM-DDTHH:mm' (relative ones count from 08:00 on the start day). */
export function resolveMoment(value: string, start: LocalDate): string {
  if (!isRelative(value)) return value.length === 10 ? `${value}T${String(DAY_START_HOUR).padStart(2, '0')}:00` : value.slice(0, 16);
  const { days, minutes } = offsets(value);
  const total = DAY_START_HOUR * 60 + minutes;
  const dayShift = Math.floor(total / 1440);
  const inDay = total - dayShift * 1440;
  const day = addDays(start, days + dayShift);
  return `${day}T${String(Math.floor(inDay / 60)).padStart(2, '0')}:${String(inDay % 60).padStart(2, '0')}`;
}

/** A local date-time 'YYYY-MM-DDTHH:mm' moved by days and minutes (wall-clock arithmetic, enough to order steps). */
export function addToMoment(moment: string, days: number, minutes: number): string {
  const [day, time] = moment.split('T') as [string, string];
  const total = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)) + minutes;
  const shift = Math.floor(total / 1440);
  const inDay = total - shift * 1440;
  return `${addDays(day, days + shift)}T${String(Math.floor(inDay / 60)).padStart(2, '0')}:${String(inDay % 60).padStart(2, '0')}`;
}

/** Is a scenario date (relative, or absolute and real)? */
export function dateProblem(value: string): string | undefined {
  if (isRelative(value)) return undefined;
  const day = value.slice(0, 10);
  if (!isLocalDate(day)) return `'${value}' is not a real date`;
  const time = value.slice(11);
  if (time && !/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(time)) return `'${value}' has an impossible time`;
  return undefined;
}
