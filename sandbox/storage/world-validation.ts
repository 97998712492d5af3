/** Checks a world read from disk or an import against the world schema; a corrupt file is named, never half-used. */
import { Ajv } from 'ajv';
import { WorldSchema, type World } from '../domain/model.js';
import { upgradeWorld } from '../domain/world.js';

const ajv = new Ajv({ allErrors: false, strict: false });
const validate = ajv.compile(WorldSchema);

/** The first problem with `value` as a world, or undefined if it is one. */
export function worldProblem(value: unknown): string | undefined {
  if (validate(value)) return undefined;
  const e = validate.errors?.[0];
  return e ? `${e.instancePath || '(root)'} ${e.message}` : 'not a world';
}

export function assertWorld(value: unknown, source: string): World {
  upgradeWorld(value);
  const problem = worldProblem(value);
  if (problem) throw new Error(`${source} is not a valid client world: ${problem}`);
  return value as World;
}
