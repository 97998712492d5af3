/**
 * Issue 10 item 11: a local time the clock shows twice (25 October 2026, 02:00-03:00 in Oslo) is the first one,
 * summer time (+02:00); a local time that never happens (29 March 2026, 02:00-03:00) moves forward by the gap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClient, testSandbox, type TestSandbox } from '../harness.js';
import { formatLocalInstant, fromMillis, localTimeToMs } from '../../sandbox/domain/time.js';

const OSLO = 'Europe/Oslo';
const at = (date: string, h: number, m: number) => formatLocalInstant(fromMillis(localTimeToMs(date, h, m, OSLO)), OSLO);

describe('local times on the days the clock changes', () => {
  it.each([
    // Autumn: 03:00 CEST becomes 02:00 CET, so 02:00-02:59 happens twice.
    ['2026-10-25', 1, 59, '2026-10-25T01:59:00+02:00'],
    ['2026-10-25', 2, 0, '2026-10-25T02:00:00+02:00'],
    ['2026-10-25', 2, 30, '2026-10-25T02:30:00+02:00'],
    ['2026-10-25', 2, 59, '2026-10-25T02:59:00+02:00'],
    ['2026-10-25', 3, 0, '2026-10-25T03:00:00+01:00'],
    ['2026-10-25', 12, 0, '2026-10-25T12:00:00+01:00'],
    ['2026-10-24', 2, 30, '2026-10-24T02:30:00+02:00'],
    ['2026-10-26', 2, 30, '2026-10-26T02:30:00+01:00'],
    // Spring: 02:00 CET becomes 03:00 CEST, so 02:00-02:59 never happens.
    ['2026-03-29', 1, 59, '2026-03-29T01:59:00+01:00'],
    ['2026-03-29', 2, 30, '2026-03-29T03:30:00+02:00'],
    ['2026-03-29', 3, 0, '2026-03-29T03:00:00+02:00'],
    ['2026-03-29', 12, 0, '2026-03-29T12:00:00+02:00'],
    ['2026-03-28', 2, 30, '2026-03-28T02:30:00+01:00'],
  ])('%s %i:%i is %s', (date, h, m, expected) => {
    expect(at(date, h, m)).toBe(expected);
  });

  describe('through clock/advance', () => {
    let t: TestSandbox;
    beforeAll(async () => {
      t = await testSandbox();
    });
    afterAll(() => t.close());

    it('advance to 2026-10-25T02:30 lands on the first 02:30 (+02:00); 60 minutes later the clock shows 02:30 again (+01:00)', async () => {
      const c = await newClient(t, { startDate: '2026-10-20' });
      const first = await t.http.post(`/_sandbox/clients/${c.id}/clock/advance`).send({ to: '2026-10-25T02:30' });
      expect(first.status).toBe(200);
      expect(first.body.now ?? first.body.clock?.now).toBe('2026-10-25T02:30:00+02:00');
      const later = await t.http.post(`/_sandbox/clients/${c.id}/clock/advance`).send({ minutes: 60 });
      expect(later.body.now ?? later.body.clock?.now).toBe('2026-10-25T02:30:00+01:00');
    });

    it('advance to 2026-03-29T02:30 (a time that never happens) lands on 03:30 summer time', async () => {
      const c = await newClient(t, { startDate: '2026-03-25' });
      const res = await t.http.post(`/_sandbox/clients/${c.id}/clock/advance`).send({ to: '2026-03-29T02:30' });
      expect(res.status).toBe(200);
      expect(res.body.now ?? res.body.clock?.now).toBe('2026-03-29T03:30:00+02:00');
    });
  });
});
