/**
 * The scenario catalogue (scenarios/*.yaml) as a test suite: every file validates (schema and sense), documents
 * itself (title, description, rules) and checks something; and every scenario plays to its end in a fresh
 * sandbox by the server's runner (each step the domain command its control or agency operation runs), with strict
 * invariant checks on.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../sandbox/server.js';
import { Catalogue, catalogueDir } from '../../sandbox/scenarios/catalogue.js';
import { loadScenarioFile } from '../../sandbox/scenarios/load.js';
import type { ScenarioService } from '../../sandbox/scenarios/service.js';

const dir = catalogueDir();
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
  .sort();
const names = files.map((f) => f.replace(/\.ya?ml$/, ''));

describe('scenario files', () => {
  it('the catalogue is not empty and loads as a whole', async () => {
    expect(files.length).toBeGreaterThan(0);
    const all = await new Catalogue().all();
    expect(all.map((e) => e.scenario.name).sort()).toEqual([...names].sort());
  });

  it.each(files)('%s validates, is documented and expects something', async (file) => {
    const scenario = await loadScenarioFile(join(dir, file));
    expect(scenario.name, 'the name is the file name').toBe(file.replace(/\.ya?ml$/, ''));
    expect(scenario.title.trim().length).toBeGreaterThan(0);
    expect(scenario.description.trim().length, 'a description explaining the rule').toBeGreaterThan(40);
    expect(scenario.rules?.length ?? 0, 'rules: tags for reports').toBeGreaterThan(0);
    const expectations = scenario.timeline.reduce((n, step) => n + (step.expect?.length ?? 0) + (step.expectError ? 1 : 0), 0);
    expect(expectations, 'at least one expectation').toBeGreaterThan(0);
  });
});

describe('scenario runs', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox({ memory: true, strict: true, validateResponses: true });
  });
  afterAll(() => sandbox.close());

  it.each(names)('%s plays to the end', async (name) => {
    const scenarios = sandbox.services.scenarios as ScenarioService;
    const view = await sandbox.services.scenarios!.createClient(name, {});
    const outcome = await scenarios.run(view.id, name, {});
    expect(outcome.failure).toBeNull();
    expect(outcome.progress.finished).toBe(true);
  });
});
