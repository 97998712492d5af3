/**
 * The real server as a child process (`node --import tsx sandbox/cli.ts start --port 0 --data-dir <dir>`), for
 * crash tests: start it, learn its port from the "listening on" line, kill it (SIGKILL) whenever.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The environment without the variables the CLI reads, so the machine's settings do not leak in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'PORT' || k === 'HOST' || k.startsWith('SANDBOX_')) delete env[k];
  return env;
}

export interface ChildServer {
  proc: ChildProcessWithoutNullStreams;
  port: number;
  line: string;
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildServer>();

/** Start the CLI server on a free port over `dataDir`; resolves once it prints where it listens. */
export function startChild(dataDir: string, extraArgs: string[] = [], timeoutMs = 300_000): Promise<ChildServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'sandbox', 'cli.ts'), 'start', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => proc.once('exit', (code, signal) => ok({ code, signal })));
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      fail(new Error(`no "listening on" line in ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`exited (${code ?? signal}) before listening; stdout: ${stdout}; stderr: ${stderr}`));
    });
    proc.stdout.on('data', (d) => {
      stdout += d;
      const line = stdout.split('\n').find((l) => l.includes('listening on'));
      const m = line && /listening on http:\/\/127\.0\.0\.1:(\d+)\b/.exec(line);
      if (line && m) {
        clearTimeout(timer);
        const child: ChildServer = {
          proc,
          port: Number(m[1]),
          line,
          output: () => stdout + stderr,
          exited,
          kill(signal = 'SIGKILL') {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
            return exited;
          },
        };
        running.add(child);
        void exited.then(() => running.delete(child));
        ok(child);
      }
    });
  });
}

/** Kill every child this module started that still runs (afterAll). */
export async function killAllChildren(): Promise<void> {
  await Promise.all([...running].map((c) => c.kill('SIGKILL')));
}
