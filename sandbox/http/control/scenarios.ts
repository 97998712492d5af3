/** Control API: the scenario catalogue, and playing a scenario on a client (stepwise if asked). */
import type { Operation, RequestContext } from '../core/types.js';
import type { ScenarioHost } from '../core/services.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { controlOp, TAGS } from './common.js';

function scenariosOf(ctx: RequestContext): ScenarioHost {
  if (!ctx.services.scenarios) throw new Error('internal: this sandbox runs without the scenario catalogue');
  return ctx.services.scenarios;
}

export const scenarioOperations: Operation[] = [
  controlOp(R.listScenarios, {
    summary: 'The scenario catalogue with descriptions',
    tags: TAGS.clock,
    answers: 'scenarios',
    handle: (_, ctx) => scenariosOf(ctx).catalogueView(),
  }),
  controlOp(R.runScenario, {
    summary: "Play a scenario's timeline on a client: all of it, `until` a step, or `steps` more; runs again continue where it stopped",
    description:
      'The first run loads the scenario world onto the client (relative dates count from its today). Pausing lets your own ' +
      'integration act between steps. ' +
      'A scenario file the catalogue does not hold can be sent as `scenario` (its name must be the one in the path); send it with ' +
      'every run of it.',
    tags: TAGS.clock,
    answers: 'what ran, and where it stopped (ok false names the failing step, the expectation and what the world holds)',
    handle: ({ params, body }, ctx) =>
      scenariosOf(ctx).runView(
        params.clientId,
        params.name,
        {
          ...(body.until !== undefined ? { until: body.until } : {}),
          ...(body.steps !== undefined ? { steps: body.steps } : {}),
        },
        body.scenario,
      ),
  }),
];
