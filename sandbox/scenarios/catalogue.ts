/** The scenario catalogue: every *.yaml in the package's scenarios/ folder, validated on first use. */
import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { ScenarioFile } from '../../contracts/schemas/scenario.js';

/** scenarios/ at the package root: from the source tree, from dist/sandbox/scenarios, or from dist/sandbox. */
export function catalogueDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  // Source tree (sandbox/scenarios) and dist/sandbox (the CLI's server bundle) are both two levels below the root;
  // dist/sandbox/scenarios (tsc output) is three.
  const candidates = [join(here, '..', '..', 'scenarios'), join(here, '..', '..', '..', 'scenarios')];
  for (const candidate of candidates) if (existsSync(join(candidate, 'overdue-no-reminders.yaml'))) return candidate;
  return candidates[0]!;
}

export class Catalogue {
  private cache: Map<string, { file: string; scenario: ScenarioFile }> | undefined;

  constructor(readonly dir: string = catalogueDir()) {}

  async all(): Promise<Array<{ file: string; scenario: ScenarioFile }>> {
    if (!this.cache) {
      // The loader (YAML, schema checks) only when a scenario is first asked for: not at every server start.
      const { loadScenarioFile } = await import('./load.js');
      const files = (await readdir(this.dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
      const entries = await Promise.all(
        files.map(async (f) => ({ file: join(this.dir, f), scenario: await loadScenarioFile(join(this.dir, f)) })),
      );
      this.cache = new Map(entries.map((e) => [e.scenario.name, e]));
    }
    return [...this.cache.values()];
  }

  async get(name: string): Promise<ScenarioFile | undefined> {
    await this.all();
    return this.cache!.get(name)?.scenario;
  }
}
