/**
 * Scenarios inside a running sandbox: load one into a new client, or play one stepwise on a client, keeping the
 * progress in the client's world (so a snapshot rewinds it too). The runner talks to this same sandbox through
 * the in-process fetch: the steps go through the control and agency faces like any caller's.
 */
import type { Engine } from '../engine.js';
import type { Dispatcher } from '../http/core/dispatcher.js';
import { dispatcherFetch } from '../http/fetch.js';
import { reject } from '../domain/errors.js';
import { ACTORS } from '../domain/context.js';
import type { ScenarioProgress } from '../domain/model.js';
import { Catalogue } from './catalogue.js';
import { ScenarioRunner, stepLabel, type RunLimits, type RunOutcome } from './run.js';
import type { ScenarioFile } from '../../contracts/schemas/scenario.js';
import type { ClientView, ScenarioCatalogueView, ScenarioRunView } from '../../sdk/control/client.js';
import type { ScenarioHost } from '../http/core/services.js';

export const IN_PROCESS_URL = 'http://sandbox.in-process';

export class ScenarioService implements ScenarioHost {
  constructor(
    readonly catalogue: Catalogue,
    private readonly engine: Engine,
    private readonly dispatcher: () => Dispatcher,
    private readonly adminToken?: string,
  ) {}

  async scenario(name: string, field = 'scenario'): Promise<ScenarioFile> {
    const found = await this.catalogue.get(name);
    if (!found) throw reject.notFound('scenario', `${name} (see GET /_sandbox/scenarios)`, field);
    return found;
  }

  private runner(scenario: ScenarioFile): ScenarioRunner {
    return new ScenarioRunner(scenario, {
      baseUrl: IN_PROCESS_URL,
      fetch: dispatcherFetch(this.dispatcher()),
      ...(this.adminToken ? { adminToken: this.adminToken } : {}),
    });
  }

  /** A new client with a scenario's world loaded (its timeline not yet played). */
  async createClient(name: string, options: { id?: string; name?: string; startDate?: string }): Promise<ClientView> {
    const scenario = await this.scenario(name);
    const { client, progress } = await this.runner(scenario).createClient(options);
    await this.saveProgress(client.id, progress);
    return client.get();
  }

  /** Play (part of) a scenario's timeline on a client, continuing where an earlier run stopped. */
  async run(clientId: string, name: string, limits: RunLimits): Promise<RunOutcome> {
    const scenario = await this.scenario(name, 'name');
    const runner = this.runner(scenario);
    const client = runner.control.client(clientId);
    const saved = await this.engine.read(clientId, (w) => w.scenario ?? null);
    const progress = saved && saved.name === name ? structuredClone(saved) : await runner.setUp(client);
    if (progress.finished) return { steps: [], progress, ok: true, failure: null };
    // Progress is saved after every step, so a snapshot or a failure mid-run always knows where the scenario stands.
    const outcome = await runner.run(client, progress, { ...limits, afterStep: () => this.saveProgress(clientId, progress) });
    await this.saveProgress(clientId, outcome.progress);
    return outcome;
  }

  /** The catalogue as the control API lists it. */
  async catalogueView(): Promise<ScenarioCatalogueView> {
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

  /** Run, answered as the control API answers it: what ran and where it stopped. */
  async runView(clientId: string, name: string, limits: RunLimits): Promise<ScenarioRunView> {
    const outcome = await this.run(clientId, name, limits);
    const scenario = await this.scenario(name);
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
