/**
 * The contract files committed under contracts/, generated from the TypeBox sources: the OpenAPI document, every
 * named model as JSON Schema, and the scenario file schema. `npm run contracts` writes them; a test fails when a
 * committed file differs from what the sources give (drift).
 */
import type { TSchema } from '@sinclair/typebox';
import { openApiDocument } from './openapi.js';
import { allRoutes } from '../sandbox/http/routes.js';
import { SANDBOX_VERSION } from '../sandbox/version.js';
import { fidelityMarkdown } from './fidelity.js';
import * as common from './schemas/common.js';
import * as v1 from './schemas/v1.js';
import * as v2 from './schemas/v2.js';
import * as control from './schemas/control.js';
import * as seed from './schemas/seed.js';
import { Scenario } from './schemas/scenario.js';
import { pactOperations } from '../sandbox/http/control/pact.js';

/** Plain JSON (TypeBox's symbol keys dropped). */
function plain(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema));
}

/** Every route the server mounts. */
export function documentedRoutes() {
  return allRoutes(pactOperations);
}

export function modelsSchema(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (const [prefix, mod] of [
    ['', common],
    ['', v1],
    ['', v2],
    ['', control],
    ['', seed],
  ] as const) {
    for (const [name, value] of Object.entries(mod as Record<string, unknown>)) {
      if (value && typeof value === 'object' && (value as TSchema).type === 'object') defs[prefix + name] = plain(value);
    }
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://inkasso-sandbox.dev/contracts/models.schema.json',
    title: 'inkasso-sandbox models',
    description: 'Every named model of the agency API (v1, v2), the control API and the shared error bodies.',
    definitions: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))),
  };
}

export function scenarioSchema(): unknown {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://inkasso-sandbox.dev/contracts/scenario.schema.json',
    title: 'inkasso-sandbox scenario',
    ...(plain(Scenario) as object),
  };
}

export function artifacts(): Record<string, unknown> {
  return {
    'openapi.json': openApiDocument(documentedRoutes(), { version: SANDBOX_VERSION }),
    'models.schema.json': modelsSchema(),
    'scenario.schema.json': scenarioSchema(),
    'FIDELITY.md': fidelityMarkdown(),
  };
}

/** JSON pretty-printed; a text artifact (markdown) as it is. */
export function serialize(value: unknown): string {
  return typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`;
}
