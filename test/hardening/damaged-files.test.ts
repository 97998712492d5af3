/**
 * Issue 10 item 7: a damaged file in the data folder. A truncated client file is named in one line at start, that
 * client is set aside (listed as damaged with the file and the reason, its requests answer an error naming the file),
 * every other client serves; a truncated index.json is kept aside and rebuilt from the client and snapshot files;
 * nothing is deleted. Real data folder, the real CLI process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import request from 'supertest';
import { createSandbox } from '../../sandbox/server.js';
import { cli, killAll } from './cli-spawn.js';

const temps: string[] = [];
afterEach(async () => {
  await killAll();
  for (const d of temps.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Every file under `dir` with a hash of its bytes. */
async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(await readFile(p)).digest('hex');
    }
  };
  await walk(dir);
  return out;
}

interface Keys {
  applicationKey: string;
  clientKey: string;
  subscriptionKey: string;
}

/** Three clients (one with a snapshot) written by the real server, then closed. */
async function seed(dataDir: string): Promise<Record<string, Keys>> {
  const sb = await createSandbox({ dataDir });
  const keys: Record<string, Keys> = {};
  for (const id of ['good', 'broken', 'also-good']) {
    const res = await request(sb.app).post('/_sandbox/clients').send({ id, name: `${id} AS`, startDate: '2026-01-05' });
    expect(res.status).toBe(201);
    keys[id] = res.body.integrations[0];
    expect((await request(sb.app).post(`/_sandbox/clients/${id}/clock/advance`).send({ days: 3 })).status).toBe(200);
  }
  expect((await request(sb.app).post('/_sandbox/clients/good/snapshots').send({ name: 'first' })).status).toBe(201);
  await sb.close();
  return keys;
}

async function startCli(dataDir: string) {
  const p = cli(['start', '--data-dir', dataDir, '--port', '0', '--no-rate-limits']);
  const banner = await p.line(/listening on/);
  const url = /listening on (http:\/\/\S+?:\d+)/.exec(banner)![1]!;
  await p.line(/Stop: Ctrl-C/);
  return { p, url, banner };
}

async function token(url: string, k: Keys): Promise<Response> {
  return fetch(`${url}/goapi.poweroffice.net/OAuth/Token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${k.applicationKey}:${k.clientKey}`).toString('base64')}`, 'ocp-apim-subscription-key': k.subscriptionKey, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
}

async function customers(url: string, k: Keys, accessToken: string): Promise<Response> {
  return fetch(`${url}/goapi.poweroffice.net/v2/Customers`, { headers: { authorization: `Bearer ${accessToken}`, 'ocp-apim-subscription-key': k.subscriptionKey } });
}

describe('a damaged file in the data folder', () => {
  it('a truncated client file: named at start, set aside and listed, its requests name the file, the others serve, nothing is deleted', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inkasso-damaged-'));
    temps.push(root);
    const dataDir = join(root, 'data');
    const keys = await seed(dataDir);
    const brokenFile = join(dataDir, 'clients', 'broken.json');

    // A token for the client before its file is damaged (tokens survive a restart: the secret is in the folder).
    const before = await startCli(dataDir);
    const earlier = (await (await token(before.url, keys.broken!)).json()) as { access_token: string };
    expect(earlier.access_token).toBeTruthy();
    before.p.proc.kill('SIGTERM');
    expect((await before.p.exited).code).toBe(0);

    await truncate(brokenFile, Math.floor((await stat(brokenFile)).size / 2));
    const damagedBytes = await files(dataDir);

    const { p, url, banner } = await startCli(dataDir);
    expect(banner).toMatch(/\(2 clients, 1 damaged\)/);
    await p.line(/client broken set aside/); // on stderr, so it may come after the banner's last line
    const named = p.output().split('\n').filter((l) => l.includes(brokenFile));
    expect(named, p.output()).toHaveLength(1);
    expect(named[0]).toMatch(/client broken set aside: .*broken\.json is damaged \(not valid JSON .*\); nothing was deleted/);
    expect(p.output()).not.toMatch(/index\.json/);

    const list = (await (await fetch(`${url}/_sandbox/clients`)).json()) as { clients: Array<{ id: string }>; damaged: Array<{ id: string; file: string; reason: string }> };
    expect(list.clients.map((c) => c.id).sort()).toEqual(['also-good', 'good']);
    expect(list.damaged).toEqual([{ id: 'broken', file: brokenFile, reason: expect.stringMatching(/not valid JSON/) }]);

    // The damaged client: every way in names the file (control, token endpoint, an agency call with an earlier token).
    const control = await fetch(`${url}/_sandbox/clients/broken`);
    expect(control.status).toBe(500);
    const problem = (await control.json()) as { title: string; detail: string };
    expect(problem.title).toBe('Client data damaged');
    expect(problem.detail).toContain(brokenFile);
    expect(problem.detail).toMatch(/set aside/);
    const write = await fetch(`${url}/_sandbox/clients/broken/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"days":1}' });
    expect(write.status).toBe(500);
    expect(await write.text()).toContain(brokenFile);
    const tokenRes = await token(url, keys.broken!);
    expect(tokenRes.status).toBe(500);
    expect(await tokenRes.text()).toContain(brokenFile);
    const agency = await customers(url, keys.broken!, earlier.access_token);
    const agencyText = await agency.text();
    expect(agency.status, agencyText).toBe(500);
    expect(agencyText).toContain(brokenFile);
    // A new client on its id would overwrite the file: refused, naming it.
    const again = await fetch(`${url}/_sandbox/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'broken', name: 'New AS' }) });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(brokenFile);

    // Every other client serves normally.
    for (const id of ['good', 'also-good']) {
      expect((await fetch(`${url}/_sandbox/clients/${id}`)).status).toBe(200);
      const t = await token(url, keys[id]!);
      expect(t.status).toBe(200);
      const c = await customers(url, keys[id]!, ((await t.json()) as { access_token: string }).access_token);
      expect([200, 204], 'an empty list answers 204').toContain(c.status);
    }
    expect((await fetch(`${url}/_sandbox/clients/good/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"days":1}' })).status).toBe(200);

    p.proc.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    // Nothing deleted; the damaged file is exactly as it was.
    const after = await files(dataDir);
    for (const f of Object.keys(damagedBytes)) expect(Object.keys(after), f).toContain(f);
    expect(after['clients/broken.json']).toBe(damagedBytes['clients/broken.json']);
  });

  it('a truncated index.json (and a truncated client): the index is kept aside and rebuilt from the client and snapshot files, named in one line', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inkasso-damaged-'));
    temps.push(root);
    const dataDir = join(root, 'data');
    const keys = await seed(dataDir);
    const index = join(dataDir, 'index.json');
    const brokenFile = join(dataDir, 'clients', 'broken.json');
    const indexText = await readFile(index, 'utf8');
    await truncate(index, 100);
    await truncate(brokenFile, 100);
    const damagedBytes = await files(dataDir);

    const { p, url } = await startCli(dataDir);
    await p.line(/index\.json was damaged/);
    await p.line(/client broken set aside/);
    const out = p.output().split('\n');
    const indexLines = out.filter((l) => l.includes(index));
    expect(indexLines, p.output()).toHaveLength(1);
    expect(indexLines[0]).toMatch(/index\.json was damaged \(.+\): kept as .*index\.json\.damaged-\S+, rebuilt from 2 client files/);
    expect(out.filter((l) => l.includes(brokenFile))).toHaveLength(1);

    const list = (await (await fetch(`${url}/_sandbox/clients`)).json()) as { clients: Array<{ id: string; name: string }>; damaged: Array<{ id: string; file: string }> };
    expect(list.clients.map((c) => [c.id, c.name]).sort()).toEqual([
      ['also-good', 'also-good AS'],
      ['good', 'good AS'],
    ]);
    expect(list.damaged).toEqual([{ id: 'broken', file: brokenFile, reason: expect.any(String) }]);
    expect((await fetch(`${url}/_sandbox/clients/broken`)).status).toBe(500);

    // The rebuilt index holds the keys (from the worlds) and the snapshot (from its file).
    const t = await token(url, keys.good!);
    expect(t.status).toBe(200);
    expect([200, 204], 'an empty list answers 204').toContain((await customers(url, keys.good!, ((await t.json()) as { access_token: string }).access_token)).status);
    const snaps = (await (await fetch(`${url}/_sandbox/clients/good/snapshots`)).json()) as any;
    expect(JSON.stringify(snaps)).toContain('"first"');
    expect((await fetch(`${url}/_sandbox/clients/good/snapshots/first/restore`, { method: 'POST' })).status).toBe(200);

    p.proc.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    // Nothing deleted: the damaged index is kept beside the new one, byte for byte.
    const after = await files(dataDir);
    for (const f of Object.keys(damagedBytes)) expect(Object.keys(after), f).toContain(f);
    const aside = Object.keys(after).filter((f) => /^index\.json\.damaged-/.test(f));
    expect(aside).toHaveLength(1);
    expect(after[aside[0]!]).toBe(damagedBytes['index.json']);
    expect(after['clients/broken.json']).toBe(damagedBytes['clients/broken.json']);
    expect(JSON.parse(await readFile(index, 'utf8')).clients.good.summary.credentials[0].clientKey).toBe(keys.good!.clientKey);
    expect(indexText.length).toBeGreaterThan(100);
  });
});
