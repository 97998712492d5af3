import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (measured: `npm test` with the JSON reporter), started first so that none of them is
 * left running alone at the end; the rest in vitest's own order (its cached durations, else larger files first).
 */
const LONGEST_FIRST = [
  'test/robustness/fuzz.test.ts',
  'test/sdk/package.test.ts',
  'test/contracts/pact-verify.test.ts',
  'test/container/container.test.ts',
  'test/typecheck.test.ts',
  'test/robustness/crash.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map((x) => x.f);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    environment: 'node',
    env: { PACT_DO_NOT_TRACK: 'true' },
    // No test may fail because the machine is slow (nothing here is timed): a bound only catches a hang.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one on a 2-core machine, which then sits half idle
    // while a file waits on its child processes (servers, tsc, npm pack). Every file runs in a process of its own
    // with its own ports, folders and database, so files may overlap.
    maxWorkers: Math.min(8, Math.max(2, availableParallelism())),
    sequence: { sequencer: LongestFirst },
    reporters: ['default'],
  },
});
