/**
 * A restore on the file store is acknowledged once a small checkpoint naming the snapshot's file (hard-linked beside
 * the log) is durable, not after the whole world is written again. So: the real server as a child process, a
 * restore acknowledged, SIGKILL at once, restart on the same folder: the restored world is there, exactly. Then the
 * snapshot is saved over and deleted, a write follows, SIGKILL again: the restored world plus that write survive
 * (the link keeps the restored bytes whatever happens to the snapshot's name). A clean stop writes the whole world
 * and the link goes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from './http-client.js';
import { killAllChildren, startChild, type ChildServer } from './child-server.js';
import { ADDRESS, expectStatus } from './fixture.js';

const START_TIMEOUT_MS = 300_000;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inkasso-restore-kill-'));
});
afterAll(async () => {
  await killAllChildren();
  await rm(dir, { recursive: true, force: true });
});

async function exported(http: HttpClient, id: string): Promise<unknown> {
  return (await expectStatus(http.json('GET', `/_sandbox/clients/${id}/export`), 200, 'export')).world;
}

describe('a kill right after an acknowledged restore (file store)', () => {
  it('loses nothing: the restored world, and the writes after it, survive SIGKILLs; the snapshot may be saved over or deleted', async () => {
    let server: ChildServer = await startChild(dir, ['--checkpoint-every', '1000'], START_TIMEOUT_MS);
    let http = new HttpClient('127.0.0.1', server.port);
    const client = await expectStatus(http.json('POST', '/_sandbox/clients', { name: 'Restore Kill AS', startDate: '2026-01-05' }), 201, 'client');
    const base = `/_sandbox/clients/${client.id}`;
    const post = (h: HttpClient, path: string, body: unknown, status = 201) => expectStatus(h.json('POST', `${base}${path}`, body), status, `POST ${path}`);
    await expectStatus(http.json('PUT', `${base}/settings`, { reminderSteps: { paymentReminder: { enabled: true } } }), 200, 'settings');
    const ola = await post(http, '/customers', { name: 'Ola Nordmann AS', mailAddress: ADDRESS });
    for (let i = 0; i < 5; i++) await post(http, '/invoices', { customerId: ola.id, amount: 1000 + i, invoiceDate: '2025-12-01', dueDate: '2025-12-15' });
    await post(http, '/snapshots', { name: 'start' });
    const atSnapshot = await exported(http, client.id);
    await post(http, '/clock/advance', { days: 40 }, 200);
    await post(http, '/customers', { name: 'Etter snapshot AS' });
    expect(await exported(http, client.id)).not.toEqual(atSnapshot);

    // Restore, acknowledged, then SIGKILL at once.
    const restored = await post(http, '/snapshots/start/restore', {}, 200);
    expect(restored.today).toBe('2026-01-05');
    const afterRestore = await exported(http, client.id);
    await server.kill('SIGKILL');
    http.close();

    // The checkpoint names the snapshot's file instead of holding the world.
    const checkpoint = JSON.parse(await readFile(join(dir, 'clients', `${client.id}.json`), 'utf8'));
    expect(checkpoint).toMatchObject({ checkpoint: 2, snapshot: 'start' });
    expect(checkpoint.world).toBeUndefined();
    expect(await readdir(join(dir, 'logs', client.id))).toContain(checkpoint.base);

    server = await startChild(dir, [], START_TIMEOUT_MS);
    http = new HttpClient('127.0.0.1', server.port);
    expect(await exported(http, client.id)).toEqual(afterRestore);
    expect((await expectStatus(http.json('GET', `${base}/clock`), 200, 'clock')).today).toBe('2026-01-05');

    // The snapshot saved over (after a change) and then deleted; a write after it; SIGKILL again.
    await post(http, '/customers', { name: 'Etter restore AS' });
    await post(http, '/snapshots', { name: 'start' });
    await expectStatus(http.json('DELETE', `${base}/snapshots/start`), 204, 'delete snapshot');
    await post(http, '/customers', { name: 'Etter sletting AS' });
    const beforeKill = await exported(http, client.id);
    await server.kill('SIGKILL');
    http.close();

    server = await startChild(dir, [], START_TIMEOUT_MS);
    http = new HttpClient('127.0.0.1', server.port);
    expect(await exported(http, client.id)).toEqual(beforeKill);
    const names = (await expectStatus(http.json('GET', `${base}/customers`), 200, 'customers')).customers.map((c: any) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Ola Nordmann AS', 'Etter restore AS', 'Etter sletting AS']));
    expect(names).not.toContain('Etter snapshot AS');

    // A clean stop writes the whole world as the checkpoint; the link is no longer needed and goes.
    await server.kill('SIGTERM');
    http.close();
    const final = JSON.parse(await readFile(join(dir, 'clients', `${client.id}.json`), 'utf8'));
    expect(final.checkpoint).toBe(1);
    expect(final.world).toEqual(beforeKill);
    expect((await readdir(join(dir, 'logs', client.id))).filter((f) => f.startsWith('restored-'))).toEqual([]);
  }, 1_200_000);
});
