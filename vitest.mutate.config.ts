// The tests Stryker runs against each mutant: the pure domain and clock tests plus the HTTP suites that drive the
// rules end to end. Kept apart from vitest.config.ts so `npm test` is unaffected.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/domain/**/*.test.ts',
      'test/clock/**/*.test.ts',
      'test/http/timing.test.ts',
      'test/http/collection-transitions.test.ts',
      'test/http/time-travel.test.ts',
      'test/http/agency-v1.test.ts',
      'test/http/agency-v2.test.ts',
      'test/http/rejections.test.ts',
      'test/scenarios/catalogue.test.ts',
    ],
    environment: 'node',
    env: { PACT_DO_NOT_TRACK: 'true' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
