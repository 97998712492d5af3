/**
 * Issue 10 items 1 and 3: the control API is not reachable from outside by accident. A request with no peer
 * address is not loopback (only the in-process adapters say "in-process"); a non-loopback bind without an admin
 * token refuses to start unless asked; the admin token is compared in constant time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox/server.js';
import { dispatcherFetch } from '../../sandbox/http/fetch.js';
import { cli, killAll } from './cli-spawn.js';

afterEach(killAll);

describe('no peer address is not loopback', () => {
  it('refuses a control request whose transport lost the peer address (a reset connection)', async () => {
    const sb = await createSandbox({ memory: true });
    for (const [method, path] of [['GET', '/_sandbox/clients'], ['POST', '/_sandbox/clients'], ['DELETE', '/_sandbox/clients/x']] as const) {
      const res = await sb.dispatcher.handle({ method, path, query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode('{"name":"Blind AS"}') });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect(await sb.engine.listClients()).toEqual([]);
    await sb.close();
  });

  it('the in-process adapter (fetch, msw) says so explicitly and is answered', async () => {
    const sb = await createSandbox({ memory: true });
    const f = dispatcherFetch(sb.dispatcher);
    const res = await f('http://inkasso-sandbox.test/_sandbox/clients', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Local AS', startDate: '2026-01-05' }) });
    expect(res.status).toBe(201);
    await sb.close();
  });
});

describe('binding a non-loopback host', () => {
  it('without --admin-token refuses to start and names both ways out', async () => {
    const p = cli(['start', '--memory', '--port', '0', '--host', '0.0.0.0']);
    const { code } = await p.exited;
    expect(code).not.toBe(0);
    expect(p.output()).toContain('--admin-token');
    expect(p.output()).toContain('--allow-open-control');
    expect(p.output()).not.toMatch(/listening on/);
  });

  it('starts with --allow-open-control (control API then loopback-only) or with --admin-token', async () => {
    const open = cli(['start', '--memory', '--port', '0', '--host', '0.0.0.0', '--allow-open-control']);
    expect(await open.line(/listening on/)).toMatch(/listening on/);
    const url = /listening on (http:\/\/\S+?:\d+)/.exec(await open.line(/listening on/))![1]!;
    expect((await fetch(`${url}/_sandbox/clients`)).status).toBe(200);
    open.proc.kill('SIGTERM');
    await open.exited;
    const guarded = cli(['start', '--memory', '--port', '0', '--host', '0.0.0.0', '--admin-token', 'long-enough-admin-token']);
    const gurl = /listening on (http:\/\/\S+?:\d+)/.exec(await guarded.line(/listening on/))![1]!;
    expect((await fetch(`${gurl}/_sandbox/clients`)).status).toBe(401);
    expect((await fetch(`${gurl}/_sandbox/clients`, { headers: { 'x-sandbox-admin-token': 'long-enough-admin-token' } })).status).toBe(200);
  });
});
