/**
 * Issue 10 item 12: each journal entry carries the client's sandbox time (in its zone, with the offset), and a
 * wrong path sent with a valid token is journaled on that token's client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, agency, newClient, testSandbox, type TestSandbox } from '../harness.js';

describe('the request journal', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  it("records the client's sandbox time, in its zone, on agency and control calls", async () => {
    const c = await newClient(t, { startDate: '2026-07-01' });
    await advance(t, c.id, { to: '2026-07-03T10:15' });
    const a = await agency(t, c.integration);
    expect((await a.get('/DebtCollection')).status).toBe(200);
    await t.http.get(`/_sandbox/clients/${c.id}/customers`);
    const requests = (await t.http.get(`/_sandbox/clients/${c.id}/requests`)).body.requests as any[];
    const v1 = requests.find((r) => r.face === 'v1' && r.path === '/DebtCollection');
    expect(v1.sandboxTime).toBe('2026-07-03T10:15:00+02:00');
    const control = requests.find((r) => r.face === 'control' && r.path.endsWith('/customers'));
    expect(control.sandboxTime).toBe('2026-07-03T10:15:00+02:00');
  });

  it('journals a 404 on a wrong path sent with a valid token, on its client, with the integration', async () => {
    const c = await newClient(t);
    const a = await agency(t, c.integration);
    const v1 = await a.get('/DebtCollection/NoSuchThing/42');
    expect(v1.status).toBe(404);
    const v2 = await a.get('/v2/NoSuchList');
    expect(v2.status).toBe(404);
    const requests = (await t.http.get(`/_sandbox/clients/${c.id}/requests`)).body.requests as any[];
    expect(requests).toContainEqual(expect.objectContaining({ path: '/DebtCollection/NoSuchThing/42', status: 404, face: 'v1', integrationId: c.integration.id, operationId: null, sandboxTime: expect.stringMatching(/^2026-01-05T08:00:00\+01:00$/) }));
    expect(requests).toContainEqual(expect.objectContaining({ path: '/v2/NoSuchList', status: 404, face: 'v2', integrationId: c.integration.id }));
  });

  it('a wrong path with no token or a bad one is journaled nowhere and still answers 404', async () => {
    const c = await newClient(t);
    const res = await t.http.get('/DebtCollection/NoSuchThing/42').set('Authorization', 'Bearer not-a-token');
    expect(res.status).toBe(404);
    const requests = (await t.http.get(`/_sandbox/clients/${c.id}/requests`)).body.requests as any[];
    expect(requests.filter((r) => r.status === 404)).toEqual([]);
  });
});
