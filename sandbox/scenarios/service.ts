/**
 * Scenarios inside a running sandbox: load one into a new client, or play one stepwise on a client, keeping the
 * progress in the client's world (so a snapshot rewinds it too). The runner drives the engine it is given, the
 * same one the dispatcher serves: the service needs nothing from the HTTP layer, so it is built before it.
 */
import type { Engine } from '../engine.js';
import { reject } from '../domain/errors.js';
import { ACTORS } from '../domain/context.js';
import type { ScenarioProgress } from '../domain/model.js';
import { Catalogue } from './catalogue.js';
import { ScenarioRunner, stepLabel, type RunLimits, type RunOutcome } from './run.js';
import type { ScenarioFile } from '../../contracts/schemas/scenario.js';
import type { ScenarioCatalogueView, ScenarioRunView } from '../../contracts/schemas/control.js';
import type { ScenarioHost } from '../http/core/services.js';
import type { Static } from '@sinclair/typebox';

export class ScenarioService implements ScenarioHost {
  constructor(
    readonly catalogue: Catalogue,
    private readonly engine: Engine,
  ) {}

  async scenario(name: string, field = 'scenario'): Promise<ScenarioFile> {
    const found = await this.catalogue.get(name);
    if (!found) throw reject.notFound('scenario', `${name} (see GET /_sandbox/scenarios)`, field);
    return found;
  }

  /** A new client with a scenario's world loaded (its timeline not yet played). */
  async createClient(
    scenario: string | ScenarioFile,
    options: { id?: string; name?: string; startDate?: string },
  ): Promise<{ id: string }> {
    const s = typeof scenario === 'string' ? await this.scenario(scenario) : scenario;
    const { clientId, progress } = await new ScenarioRunner(s, this.engine).createClient(options);
    await this.saveProgress(clientId, progress);
    return { id: clientId };
  }

  /** Play (part of) a catalogue scenario's timeline on a client, continuing where an earlier run stopped. */
  async run(clientId: string, name: string, limits: RunLimits): Promise<RunOutcome> {
    return this.play(clientId, await this.scenario(name, 'name'), limits);
  }

  /**
   * Play (part of) a scenario's timeline on a client: continuing the client's saved progress in it, or else setting
   * its world up first (relative dates count from the client's today).
   */
  async play(clientId: string, scenario: ScenarioFile, limits: RunLimits): Promise<RunOutcome> {
    const runner = new ScenarioRunner(scenario, this.engine);
    const saved = await this.engine.read(clientId, (w) => w.scenario ?? null);
    const progress = saved && saved.name === scenario.name ? structuredClone(saved) : await runner.setUp(clientId);
    if (progress.finished) return { steps: [], progress, ok: true, failure: null };
    // Progress is saved after every step, so a snapshot or a failure mid-run always knows where the scenario stands.
    const outcome = await runner.run(clientId, progress, { ...limits, afterStep: () => this.saveProgress(clientId, progress) });
    await this.saveProgress(clientId, outcome.progress);
    return outcome;
  }

  /** The catalogue as the control API lists it. */
  async catalogueView(): Promise<Static<typeof ScenarioCatalogueView>> {
    const all = await this.catalogue.all();
    return {
      scenarios: all.map(({ scenario: s }) => ({
        name: s.name,
        title: s.title,
        description: s.description,
        rules: s.rules ?? [],
        steps: s.timeline.length,
        start: s.start,
      })),
    };
  }

  /**
   * Run, answered as the control API answers it: what ran and where it stopped. `inline` is a scenario sent with the
   * request (a file the catalogue does not hold, played by `scenario run --base-url`), checked as the loader checks one.
   */
  async runView(
    clientId: string,
    name: string,
    limits: { until?: string | number; steps?: number },
    inline?: ScenarioFile,
  ): Promise<Static<typeof ScenarioRunView>> {
    const scenario = inline ? await checkedInline(name, inline) : await this.scenario(name, 'name');
    const outcome = await this.play(clientId, scenario, limits);
    const next = outcome.progress.finished ? null : outcome.progress.nextStep;
    return {
      clientId,
      scenario: name,
      steps: outcome.steps,
      nextStep: next,
      nextStepLabel: next === null ? null : stepLabel(scenario.timeline[next]!),
      finished: outcome.progress.finished,
      ok: outcome.ok,
      failure: outcome.failure,
    };
  }

  private async saveProgress(clientId: string, progress: ScenarioProgress): Promise<void> {
    await this.engine.write(clientId, ACTORS.sandbox, (ctx) => {
      ctx.world.scenario = progress;
    });
  }
}

/** A scenario sent inline: its name is the one in the path, and it makes sense (refs, dates, clock order). */
async function checkedInline(name: string, scenario: ScenarioFile): Promise<ScenarioFile> {
  if (scenario.name !== name) throw reject.invalid('scenario.name', `is '${scenario.name}', but the path names '${name}'`);
  const { semanticProblems, pathText } = await import('./load.js');
  const problems = semanticProblems(scenario);
  if (problems.length) throw reject.invalid('scenario', problems.map((p) => `${pathText(p.path)}: ${p.message}`).join('; '));
  return scenario;
}
