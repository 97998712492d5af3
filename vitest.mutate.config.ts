// The tests Stryker runs against each mutant: the pure domain and clock tests only. The scores in TESTING.md are
// what these alone kill (the HTTP suites would kill more, but make a run take hours on 2 cores).
// Kept apart from vitest.config.ts so `npm test` is unaffected.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/domain/**/*.test.ts', 'test/clock/**/*.test.ts'],
    // time.ts is not mutated, and its Intl comparisons take most of the run: a static mutant reruns every test.
    exclude: ['test/domain/time-zones.test.ts'],
    environment: 'node',
    env: { PACT_DO_NOT_TRACK: 'true' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
