/** The real command line as a child process, for the hardening tests (start-up refusals, signals). */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = ['--import', 'tsx', join(ROOT, 'sandbox', 'cli.ts')];

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'PORT' || k === 'HOST' || k.startsWith('SANDBOX_')) delete env[k];
  return env;
}

export interface Cli {
  proc: ChildProcessWithoutNullStreams;
  output(): string;
  stdout(): string;
  /** Resolves with the first line matching, or rejects when the process exits first. */
  line(pattern: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

export function cli(args: string[]): Cli {
  const proc = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: cleanEnv(), stdio: 'pipe' });
  running.add(proc);
  let out = '';
  let stdout = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d));
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    out += d;
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    proc.once('exit', (code, signal) => setImmediate(() => ok({ code, signal }))),
  );
  return {
    proc,
    output: () => out,
    stdout: () => stdout,
    exited,
    line(pattern) {
      return new Promise((ok, fail) => {
        let done = false;
        const look = () => {
          if (done) return;
          const l = out.split('\n').find((x) => pattern.test(x));
          if (l) {
            done = true;
            ok(l);
          } else waiters.push(look);
        };
        void exited.then(({ code }) => {
          look();
          if (!done) fail(new Error(`exited (${code}) without a line matching ${pattern}: ${out}`));
        });
        look();
      });
    },
  };
}

/** Kill whatever is still running (afterEach). */
export async function killAll(): Promise<void> {
  for (const p of running) {
    if (p.exitCode === null && p.signalCode === null) {
      p.kill('SIGKILL');
      await new Promise((ok) => p.once('exit', ok));
    }
  }
  running.clear();
}
