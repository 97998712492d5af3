/** Checks a world read from disk or an import against the world schema; a corrupt file is named, never half-used. */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { WorldSchema, type World } from '../domain/model.js';
import { upgradeWorld } from '../domain/world.js';

// TypeBox's compiler, made on first use: ajv took most of a second to compile the world schema at every start.
let check: TypeCheck<typeof WorldSchema> | undefined;

/** The first problem with `value` as a world, or undefined if it is one. */
export function worldProblem(value: unknown): string | undefined {
  // Judge the world as it will be used: settings added since it was stored get their defaults.
  const upgraded = upgradeWorld(structuredClone(value));
  check ??= TypeCompiler.Compile(WorldSchema);
  if (check.Check(upgraded)) return undefined;
  const e = check.Errors(upgraded).First();
  return e ? `${e.path || '(root)'} ${e.message}` : 'not a world';
}

export function assertWorld(value: unknown, source: string): World {
  upgradeWorld(value);
  const problem = worldProblem(value);
  if (problem) throw new Error(`${source} is not a valid client world: ${problem}`);
  return value as World;
}
