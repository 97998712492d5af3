/** Issue 10 item 3: the admin token is compared in constant time (hash both, timingSafeEqual), never with !==. */
import { describe, expect, it, vi } from 'vitest';
import request from 'supertest';

const calls = vi.hoisted(() => ({ n: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.n++;
      return real.timingSafeEqual(a, b);
    },
  };
});

const { createSandbox } = await import('../../sandbox/server.js');

describe('the admin token', () => {
  it('is checked with timingSafeEqual, for right, wrong, shorter and longer tokens alike', async () => {
    const sb = await createSandbox({ memory: true, adminToken: 'correct-horse-battery' });
    for (const [given, status] of [['correct-horse-battery', 200], ['correct-horse-batterx', 401], ['c', 401], ['correct-horse-battery-staple', 401], ['', 401]] as const) {
      const before = calls.n;
      const res = await request(sb.app).get('/_sandbox/clients').set('X-Sandbox-Admin-Token', given);
      expect(res.status, given).toBe(status);
      expect(calls.n, `comparisons for '${given}'`).toBeGreaterThan(before);
    }
    await sb.close();
  });
});
