/**
 * Issue 10 item 22: a long advance can answer a summary (counts per event type and the first N events) instead of
 * every event; clients can be deleted by id prefix; `scenario run --clean` leaves no clients behind.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCustomer, newInvoice, testSandbox, type TestSandbox } from '../harness.js';
import { startServer, type RunningServer } from '../../sandbox/server.js';
import { cli, killAll } from './cli-spawn.js';

afterEach(killAll);

describe('clock/advance summary', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  it('?summary=true&first=5 answers counts per type and the first 5 events, the same advance as the full form', async () => {
    const c = await newClient(t, { startDate: '2026-01-05' });
    const customer = await newCustomer(t, c.id);
    for (let i = 0; i < 12; i++) await newInvoice(t, c.id, { customerId: customer.id, invoiceDate: '2026-01-05', dueDate: `2026-01-${String(10 + i).padStart(2, '0')}`, amount: 1000 + i });
    expect((await t.http.post(`/_sandbox/clients/${c.id}/snapshots`).send({ name: 'before' })).status).toBe(201);
    const full = await t.http.post(`/_sandbox/clients/${c.id}/clock/advance`).send({ days: 365 });
    expect(full.status).toBe(200);
    expect(full.body.summary).toBeUndefined();
    expect((await t.http.post(`/_sandbox/clients/${c.id}/snapshots/before/restore`)).status).toBe(200);

    const short = await t.http.post(`/_sandbox/clients/${c.id}/clock/advance?summary=true&first=5`).send({ days: 365 });
    expect(short.status).toBe(200);
    const byType: Record<string, number> = {};
    for (const e of full.body.events) byType[e.type] = (byType[e.type] ?? 0) + 1;
    expect(full.body.events.length).toBeGreaterThan(5);
    expect(short.body.summary).toEqual({ eventCount: full.body.events.length, byType, firstEvents: 5 });
    expect(short.body.events.map((e: any) => e.type)).toEqual(full.body.events.slice(0, 5).map((e: any) => e.type));
    expect(short.body.now).toBe(full.body.now);
    expect(JSON.stringify(short.body).length).toBeLessThan(JSON.stringify(full.body).length / 2);
  });

  it('summary without first gives 20 events; a bad first is a 400 naming it', async () => {
    const c = await newClient(t);
    const customer = await newCustomer(t, c.id);
    for (let i = 0; i < 25; i++) await newInvoice(t, c.id, { customerId: customer.id, invoiceDate: '2026-01-05', dueDate: '2026-01-10', amount: 1000 + i });
    const res = await t.http.post(`/_sandbox/clients/${c.id}/clock/advance?summary=true`).send({ days: 60 });
    expect(res.status).toBe(200);
    expect(res.body.summary.eventCount).toBeGreaterThan(20);
    expect(res.body.summary.firstEvents).toBe(20);
    expect(res.body.events).toHaveLength(20);
    const bad = await t.http.post(`/_sandbox/clients/${c.id}/clock/advance?summary=true&first=-1`).send({ days: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('first');
  });
});

describe('DELETE /_sandbox/clients?prefix=', () => {
  it('deletes every client whose id starts with the prefix and names them; others stay', async () => {
    const t = await testSandbox();
    for (const id of ['run-1-a', 'run-1-b', 'run-2-a', 'keep']) await newClient(t, { id });
    const res = await t.http.delete('/_sandbox/clients?prefix=run-1-');
    expect(res.status).toBe(200);
    expect(res.body.deleted.sort()).toEqual(['run-1-a', 'run-1-b']);
    const left = (await t.http.get('/_sandbox/clients')).body.clients.map((c: any) => c.id).sort();
    expect(left).toEqual(['keep', 'run-2-a']);
    await t.close();
  });

  it('refuses a missing or empty prefix with 400 naming prefix, deleting nothing', async () => {
    const t = await testSandbox();
    await newClient(t, { id: 'stays' });
    for (const q of ['', '?prefix=']) {
      const res = await t.http.delete(`/_sandbox/clients${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.errors, q).toHaveProperty('prefix');
    }
    expect((await t.http.get('/_sandbox/clients')).body.clients).toHaveLength(1);
    await t.close();
  });
});

describe('scenario run --clean', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ memory: true, port: 0, rateLimits: false });
  });
  afterAll(() => server.close());

  it('against a running server deletes the clients the run created', async () => {
    const before = (await server.engine.listClients()).length;
    const plain = cli(['scenario', 'run', 'excluded-customer', '--base-url', server.url]);
    expect((await plain.exited).code).toBe(0);
    expect((await server.engine.listClients()).length).toBe(before + 1);
    const clean = cli(['scenario', 'run', 'excluded-customer', '--base-url', server.url, '--clean']);
    expect((await clean.exited).code, clean.output()).toBe(0);
    expect(clean.output()).toMatch(/deleted 1 client/);
    expect((await server.engine.listClients()).length).toBe(before + 1);
  });
});
