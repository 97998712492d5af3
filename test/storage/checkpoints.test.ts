/**
 * When the file store writes checkpoints: past the record bound (and then the log segments it covers are gone),
 * when a client has been idle, and on a clean close. Real files in a temp folder, the engine over LowdbStore.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../sandbox/engine.js';
import { LowdbStore } from '../../sandbox/storage/lowdb-store.js';
import { ACTORS } from '../../sandbox/domain/context.js';
import { createCustomer } from '../../sandbox/domain/commands/customers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inkasso-checkpoints-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const customer = (engine: Engine, name: string) => engine.write('c', ACTORS.erpUser, (ctx) => createCustomer(ctx, { name }));

/** Wait (polling, no tight deadline) until the store on disk says what we expect. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`never: ${what}`);
}

async function onDisk() {
  const store = await LowdbStore.open(dir);
  try {
    const stored = await store.load('c');
    const segments = (await readdir(join(dir, 'logs', 'c')).catch(() => [] as string[])).filter((f) => f.endsWith('.log'));
    return { seq: stored!.seq, records: stored!.records.length, segments: segments.length };
  } finally {
    await store.close();
  }
}

describe('checkpoints of the file store', () => {
  it('past the record bound a checkpoint is written and the log it covers is deleted', async () => {
    const engine = await Engine.create({ store: await LowdbStore.open(dir), checkpointRecords: 5, checkpointIdleMs: 0 });
    await engine.createClient({ id: 'c', name: 'C AS', startDate: '2026-01-05' });
    for (let i = 0; i < 12; i++) await customer(engine, `K${i}`);
    await eventually(async () => (await onDisk()).seq >= 10, 'a checkpoint at 10');
    const state = await onDisk();
    expect(state.seq + state.records).toBe(12);
    expect(state.records).toBeLessThan(5);
    await engine.close();
    expect(await onDisk()).toEqual({ seq: 12, records: 0, segments: 0 });
  });

  it('a client idle for the idle time gets a checkpoint without a close', async () => {
    const engine = await Engine.create({ store: await LowdbStore.open(dir), checkpointIdleMs: 200 });
    await engine.createClient({ id: 'c', name: 'C AS', startDate: '2026-01-05' });
    for (let i = 0; i < 3; i++) await customer(engine, `K${i}`);
    await eventually(async () => (await onDisk()).seq === 3, 'an idle checkpoint at 3');
    expect((await onDisk()).records).toBe(0);
    await engine.close();
  });

  it('without a checkpoint (a kill) the next start replays the log', async () => {
    const engine = await Engine.create({ store: await LowdbStore.open(dir), checkpointIdleMs: 0 });
    await engine.createClient({ id: 'c', name: 'C AS', startDate: '2026-01-05' });
    for (let i = 0; i < 7; i++) await customer(engine, `K${i}`);
    expect(await onDisk()).toMatchObject({ seq: 0, records: 7 });
    const again = await Engine.create({ store: await LowdbStore.open(dir), checkpointIdleMs: 0 });
    expect(await again.read('c', (w) => Object.values(w.customers).map((c) => c.name))).toEqual(['K0', 'K1', 'K2', 'K3', 'K4', 'K5', 'K6']);
    expect(again.replayStats.records).toBe(7);
    await again.close();
    await engine.store.close();
  });
});
