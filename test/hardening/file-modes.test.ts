/** Issue 10 item 4: the data folder is private (700) and so is every file holding keys (600), old folders too. */
import { afterEach, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createSandbox } from '../../sandbox/server.js';

const temps: string[] = [];
afterEach(async () => {
  for (const d of temps.splice(0)) await rm(d, { recursive: true, force: true });
});

async function modes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string, rel: string) => {
    out[rel || '.'] = ((await stat(d)).mode & 0o777).toString(8);
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name), rel ? `${rel}/${e.name}` : e.name);
      else out[rel ? `${rel}/${e.name}` : e.name] = ((await stat(join(d, e.name))).mode & 0o777).toString(8);
    }
  };
  await walk(dir, '');
  return out;
}

async function useIt(dataDir: string) {
  const sb = await createSandbox({ dataDir });
  const created = await request(sb.app).post('/_sandbox/clients').send({ id: 'modes', name: 'Modes AS', startDate: '2026-01-05' });
  expect(created.status).toBe(201);
  expect((await request(sb.app).post('/_sandbox/clients/modes/snapshots').send({ name: 'first' })).status).toBe(201);
  await sb.close();
}

describe('file modes in the data folder', () => {
  it('a new data folder is 700 with its folders 700 and its files (index.json, worlds, token-secret) 600', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inkasso-modes-'));
    temps.push(root);
    const dataDir = join(root, 'data');
    await useIt(dataDir);
    const m = await modes(dataDir);
    expect(m['index.json']).toBe('600');
    for (const [path, mode] of Object.entries(m)) {
      const isDir = (await stat(join(dataDir, path))).isDirectory();
      expect(mode, path).toBe(isDir ? '700' : '600');
    }
  });

  it('an existing folder from before (755, index.json 644) is made private on start', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inkasso-modes-'));
    temps.push(root);
    const dataDir = join(root, 'data');
    await useIt(dataDir);
    await chmod(dataDir, 0o755);
    await chmod(join(dataDir, 'index.json'), 0o644);
    await mkdir(join(dataDir, 'clients'), { recursive: true });
    await chmod(join(dataDir, 'clients'), 0o755);
    await writeFile(join(dataDir, 'unrelated.txt'), 'left alone', { mode: 0o644 });
    const sb = await createSandbox({ dataDir });
    await sb.close();
    const m = await modes(dataDir);
    expect(m['.']).toBe('700');
    expect(m['clients']).toBe('700');
    expect(m['index.json']).toBe('600');
  });
});
