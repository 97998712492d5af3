import { afterAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createSandbox, startServer, type RunningServer } from '../../sandbox/server.js';
import { newClient, testSandbox, worldText } from '../harness.js';

describe('a shared sandbox', () => {
  it('protects /_sandbox with the admin token when one is set; the agency API stays on its own auth', async () => {
    const sb = await createSandbox({ memory: true, adminToken: 's3cret' });
    const denied = await request(sb.app).post('/_sandbox/clients').send({ name: 'x' });
    expect(denied.status).toBe(401);
    expect(denied.body).toMatchObject({ status: 401, detail: expect.stringContaining('admin token') });
    const wrong = await request(sb.app).get('/_sandbox/clients').set('X-Sandbox-Admin-Token', 'nope');
    expect(wrong.status).toBe(401);
    const ok = await request(sb.app).post('/_sandbox/clients').set('X-Sandbox-Admin-Token', 's3cret').send({ name: 'x' });
    expect(ok.status).toBe(201);
    await request(sb.app).get('/_sandbox/clients').set('Authorization', 'Bearer s3cret').expect(200);
    // Without a token the agency face answers with its own 401, not the admin one.
    const agency = await request(sb.app).get('/DebtCollection');
    expect(agency.body).toEqual({ Message: 'Authorization has been denied for this request.' });
    await sb.close();
  });

  describe('without an admin token the control API answers loopback callers only', () => {
    let server: RunningServer;
    afterAll(() => server?.close());
    it('refuses a non-loopback caller with 403', async () => {
      server = await startServer({ memory: true, port: 0, host: '127.0.0.1' });
      const res = await server.dispatcher.handle({ method: 'GET', path: '/_sandbox/clients', query: new URLSearchParams(), headers: {}, remoteAddress: '10.1.2.3' });
      expect(res.status).toBe(403);
      expect((res.body as any).detail).toContain('only loopback callers');
      const local = await fetch(`${server.url}/_sandbox/clients`);
      expect(local.status).toBe(200);
    });
  });

  it('refuses a body over the size limit with 413 in the face format', async () => {
    const sb = await createSandbox({ memory: true, bodyLimit: '1kb' });
    const res = await request(sb.app).post('/_sandbox/clients').set('content-type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(5000) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: 413, detail: expect.stringContaining('larger than the limit (1kb)') });
    const v1 = await request(sb.app).post('/DebtCollection').set('content-type', 'application/json').send(JSON.stringify({ code: 'x'.repeat(5000) }));
    expect(v1.status).toBe(413);
    expect(v1.body).toMatchObject({ success: false, validation: { summary: expect.stringContaining('larger than the limit') } });
    await sb.close();
  });

  it('refuses deeply nested JSON and over-long strings, naming where, and changes nothing', async () => {
    const t = await testSandbox({ bodyLimit: '2mb' });
    const c = await newClient(t);
    const before = await worldText(t, c.id);
    const deep = '{"name":"x","mailAddress":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + '}';
    const res = await t.http.post(`/_sandbox/clients/${c.id}/customers`).set('content-type', 'application/json').send(deep);
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('nests deeper than 32 levels');
    const long = await t.http.post(`/_sandbox/clients/${c.id}/customers`).send({ name: 'x'.repeat(100_001) });
    expect(long.status).toBe(400);
    expect(long.body.errors).toHaveProperty('name');
    expect(await worldText(t, c.id)).toBe(before);
    await t.close();
  });

  it('refuses client ids and snapshot names that could reach outside the data folder', async () => {
    const t = await testSandbox();
    for (const id of ['../etc', 'a/b', '..', '.hidden', 'x'.repeat(65)]) {
      const res = await t.http.post('/_sandbox/clients').send({ id });
      expect(res.status, id).toBe(400);
      expect(res.body.errors).toHaveProperty('id');
    }
    const c = await newClient(t);
    expect((await t.http.post(`/_sandbox/clients/${c.id}/snapshots`).send({ name: '../../x' })).status).toBe(400);
    expect((await t.http.get(`/_sandbox/clients/..%2F..%2Fetc`)).status).toBe(400);
    await t.close();
  });
});
