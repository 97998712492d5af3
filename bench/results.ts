/** Where a benchmark leaves its figures: bench/results/<name>.json, with the machine and the time it ran. */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname } from 'node:path';

export async function writeResults(file: string, figures: Record<string, unknown>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version };
  await writeFile(file, JSON.stringify({ machine, at: new Date().toISOString(), ...figures }, null, 2));
}
