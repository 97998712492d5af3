/**
 * A CPU profile of the read and write paths in one process, without HTTP client noise: the bench world on a
 * real port (set up through the APIs), then each target answered N times by the dispatcher and serialised as
 * express would, first with views made afresh each time (view cache off), then answered from the view cache.
 * Writes bench/results/profile/read.cpuprofile (the uncached pass; PROFILE_CACHED=1 for the cached one) and prints the time per answer.
 * Usage: npx tsx bench/profile-read.ts [N]   (PROFILE_ONLY=OpenItems: only the targets whose name has that)
 */
import { Session } from 'node:inspector/promises';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../sandbox/server.js';
import { Dispatcher } from '../sandbox/http/core/dispatcher.js';
import { setUp } from './fixture.js';

const N = Number(process.argv[2] ?? 200);
const dir = await mkdtemp(join(tmpdir(), 'bench-profile-'));
const server = await startServer({ port: 0, dataDir: dir, viewCache: false });
try {
  const targets = await setUp(server.url.replace('localhost', '127.0.0.1'));
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const cached = new Dispatcher(server.engine, server.services, server.dispatcher.operations, {
    ...server.dispatcher.options,
    viewCache: true,
  });
  const pass = async (dispatcher: Dispatcher, label: string) => {
    for (const t of targets.filter((x) => !process.env.PROFILE_ONLY || x.name.includes(process.env.PROFILE_ONLY))) {
      const [path, q] = t.path.split('?');
      const req = {
        method: t.method,
        path: path!,
        query: new URLSearchParams(q ?? ''),
        headers: { ...t.headers, host: '127.0.0.1' },
        ...(t.body ? { body: new TextEncoder().encode(t.body) } : {}),
        remoteAddress: '127.0.0.1',
      };
      const started = performance.now();
      let bytes = 0;
      for (let i = 0; i < N; i++) {
        const res = await dispatcher.handle(req);
        if (res.status >= 300) throw new Error(`${t.name}: ${res.status} ${JSON.stringify(res.body)}`);
        bytes = res.serialized ? res.serialized.length : Buffer.byteLength(JSON.stringify(res.body));
      }
      console.log(`${label} ${t.name}: ${((performance.now() - started) / N).toFixed(3)} ms per answer (${bytes} B)`);
    }
  };
  const profiled = process.env.PROFILE_CACHED === '1' ? cached : server.dispatcher;
  await pass(profiled, profiled === cached ? 'cached' : 'fresh ');
  const { profile } = await session.post('Profiler.stop');
  await pass(profiled === cached ? server.dispatcher : cached, profiled === cached ? 'fresh ' : 'cached');
  await mkdir('bench/results/profile', { recursive: true });
  await writeFile('bench/results/profile/read.cpuprofile', JSON.stringify(profile));
  console.log('wrote bench/results/profile/read.cpuprofile');
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
