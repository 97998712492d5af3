/** Control API: the scenario catalogue, and playing a scenario on a client (stepwise if asked). */
import { operation, type Operation } from '../core/types.js';
import * as S from '../../../contracts/schemas/control.js';
import { TAGS, problems, ok } from './common.js';
import type { ScenarioService } from '../../../scenarios/runner/service.js';
import { stepLabel } from '../../../scenarios/runner/run.js';

export function scenarioOperations(service: ScenarioService): Operation[] {
  return [
    operation({
      operationId: 'listScenarios',
      face: 'control',
      method: 'GET',
      path: '/_sandbox/scenarios',
      summary: 'The scenario catalogue with descriptions',
      tags: TAGS.clock,
      auth: 'control',
      responses: { 200: { description: 'scenarios', schema: S.ScenarioCatalogueView }, ...problems },
      async handle() {
        const all = await service.catalogue.all();
        return ok(S.ScenarioCatalogueView, {
          scenarios: all.map(({ scenario: s }) => ({ name: s.name, title: s.title, description: s.description, rules: s.rules ?? [], steps: s.timeline.length, start: s.start })),
        });
      },
    }),
    operation({
      operationId: 'runScenario',
      face: 'control',
      method: 'POST',
      path: '/_sandbox/clients/{clientId}/scenarios/{name}/run',
      summary: "Play a scenario's timeline on a client: all of it, `until` a step, or `steps` more; runs again continue where it stopped",
      description: 'The first run loads the scenario world onto the client (relative dates count from its today). Pausing lets your own integration act between steps.',
      tags: TAGS.clock,
      auth: 'control',
      params: S.ScenarioParams,
      body: S.ScenarioRunInput,
      responses: { 200: { description: 'what ran, and where it stopped (ok false names the failing step, the expectation and what the world holds)', schema: S.ScenarioRunView }, ...problems },
      async handle({ params, body }, ctx) {
        const outcome = await service.run(params.clientId, params.name, { ...(body.until !== undefined ? { until: body.until } : {}), ...(body.steps !== undefined ? { steps: body.steps } : {}) });
        const scenario = await service.scenario(params.name);
        const next = outcome.progress.finished ? null : outcome.progress.nextStep;
        return ok(S.ScenarioRunView, {
          clientId: params.clientId,
          scenario: params.name,
          steps: outcome.steps,
          nextStep: next,
          nextStepLabel: next === null ? null : stepLabel(scenario.timeline[next]!),
          finished: outcome.progress.finished,
          ok: outcome.ok,
          failure: outcome.failure,
        });
      },
    }),
  ];
}
