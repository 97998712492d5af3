/**
 * Issue 10 item 9: SIGTERM/SIGINT stop accepting at once, let requests in flight finish within a bounded grace
 * (--shutdown-grace), then close every connection and exit, even with a 60 s latency fault holding one request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { cli, killAll } from './cli-spawn.js';

afterEach(killAll);

/** A raw GET that resolves with the status, or with the error when the connection is cut. */
function get(url: string, headers: Record<string, string>): Promise<{ status?: number; error?: string }> {
  return new Promise((ok) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => ok({ status: res.statusCode! }));
      res.on('error', (e) => ok({ error: e.message }));
    });
    req.on('error', (e) => ok({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end();
  });
}

describe('shutdown on a signal', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s: short requests in flight finish, a 60 s one is cut at the grace, new connections are refused', async (signal) => {
    const p = cli(['start', '--memory', '--port', '0', '--no-rate-limits', '--shutdown-grace', '3000']);
    const url = /listening on (http:\/\/\S+?:\d+)/.exec(await p.line(/listening on/))![1]!;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await res.json()) as any;
    };
    const client = await post('/_sandbox/clients', { name: 'Shutdown AS', startDate: '2026-01-05' });
    const integration = client.integrations[0];
    const tokenRes = await fetch(client.endpoints.v2.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${integration.applicationKey}:${integration.clientKey}`).toString('base64')}`, 'ocp-apim-subscription-key': integration.subscriptionKey, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(tokenRes.status).toBe(200);
    const auth = { authorization: `Bearer ${((await tokenRes.json()) as any).access_token}`, 'ocp-apim-subscription-key': integration.subscriptionKey };
    await post(`/_sandbox/clients/${client.id}/faults`, { match: { operationId: 'v2ListCustomers' }, effect: { latencyMs: 1000 }, count: 1 });
    await post(`/_sandbox/clients/${client.id}/faults`, { match: { operationId: 'v2ListOutgoingInvoices' }, effect: { latencyMs: 60_000 }, count: 1 });

    const short = get(`${client.endpoints.v2.baseUrl}/Customers`, auth);
    const long = get(`${client.endpoints.v2.baseUrl}/OutgoingInvoices`, auth);
    await new Promise((ok) => setTimeout(ok, 300)); // both reach the server and sit in their latency
    p.proc.kill(signal);
    await p.line(/shutting down/);
    const late = await get(`${url}/_sandbox/clients`, {});
    expect(late.error, 'a new connection after the signal').toBeDefined();

    expect(await short).toMatchObject({ status: expect.any(Number) });
    expect((await short).status).toBeLessThan(500);
    const cut = await long;
    expect(cut.status, 'the 60 s request is cut, not answered').toBeUndefined();
    expect(cut.error).toBeDefined();
    const { code } = await p.exited;
    expect(code).toBe(0);
    expect(p.output()).toMatch(/closed 1 connection still busy after 3000 ms/);
  });
});
