/** Every catalogue scenario, played through the CLI against a started server (as CI would). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, type RunningServer } from '../../sandbox/server.js';
import { Catalogue } from '../../sandbox/scenarios/catalogue.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ memory: true, port: 0, strict: true, validateResponses: true });
});
afterAll(() => server.close());

describe('inkasso-sandbox scenario run all --base-url', () => {
  it('plays the whole catalogue green against the server, with progress per step', async () => {
    const total = (await new Catalogue().all()).length;
    const { stdout } = await promisify(execFile)('node', ['--import', 'tsx', 'sandbox/cli.ts', 'scenario', 'run', 'all', '--base-url', server.url], {
      encoding: 'utf8',
      maxBuffer: 20 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(stdout).toContain(`${total} passed, 0 failed`);
    expect(stdout).toMatch(/▶ reminder-purring-inkassovarsel: .* \(\d+ steps, client /);
    expect(stdout).toMatch(/✓ +1\/\d+ 2026-01-18 08:00 {2}at \+13d/);
    const clients = (await (await fetch(`${server.url}/_sandbox/clients`)).json()) as { clients: unknown[] };
    expect(clients.clients.length).toBe(total);
  });

  it('exits non-zero and names the failing step for a scenario that fails', async () => {
    const run = promisify(execFile)('node', ['--import', 'tsx', 'sandbox/cli.ts', 'scenario', 'run', 'test/scenarios/fixtures/failing.yaml', '--base-url', server.url], { encoding: 'utf8' });
    const error = await run.catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stdout).toContain('expected invoice INV-1 (10001) to have status "Draft", but the world holds status "None"');
    expect(error.stdout).toContain('0 passed, 1 failed');
  });
});
