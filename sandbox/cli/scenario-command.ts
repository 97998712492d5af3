/** `inkasso-sandbox scenario …`: list, validate and play scenarios, in-process or against a running sandbox. */
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { Catalogue } from '../scenarios/catalogue.js';
import { loadScenarioFile, ScenarioFileError } from '../scenarios/load.js';
import { ScenarioRunner, type StepResult } from '../scenarios/run.js';
import { IN_PROCESS_URL } from '../scenarios/service.js';
import type { ScenarioFile } from '../../contracts/schemas/scenario.js';
import { createSandbox } from '../server.js';
import { dispatcherFetch } from '../http/fetch.js';

const isTty = process.stdout.isTTY;
const green = (s: string) => (isTty ? `\x1b[32m${s}\x1b[0m` : s);
const red = (s: string) => (isTty ? `\x1b[31m${s}\x1b[0m` : s);
const dim = (s: string) => (isTty ? `\x1b[2m${s}\x1b[0m` : s);

async function resolveScenarios(target: string, catalogue: Catalogue): Promise<ScenarioFile[]> {
  if (target === 'all') return (await catalogue.all()).map((e) => e.scenario);
  if (existsSync(target)) return [await loadScenarioFile(target)];
  const found = await catalogue.get(target);
  if (!found) {
    const names = (await catalogue.all()).map((e) => e.scenario.name);
    throw new Error(`no scenario '${target}': give a file, 'all', or one of: ${names.join(', ')}`);
  }
  return [found];
}

interface RunOptions {
  baseUrl?: string;
  adminToken?: string;
  clientId?: string;
  until?: string;
  json?: boolean;
  clean?: boolean;
}

async function play(scenarios: ScenarioFile[], opts: RunOptions): Promise<boolean> {
  let transport: { baseUrl: string; fetch?: typeof fetch; adminToken?: string };
  let close = async () => {};
  if (opts.baseUrl) transport = { baseUrl: opts.baseUrl, ...(opts.adminToken ? { adminToken: opts.adminToken } : {}) };
  else {
    const sandbox = await createSandbox({ memory: true, strict: true, validateResponses: true });
    transport = { baseUrl: IN_PROCESS_URL, fetch: dispatcherFetch(sandbox.dispatcher) as typeof fetch };
    close = () => sandbox.close();
    if (!opts.json)
      console.log(dim('(in-process sandbox in memory; use --base-url http://localhost:4010 to play against a running server)'));
  }
  const results: Array<{ scenario: string; clientId: string; ok: boolean; failure: string | null; steps: StepResult[] }> = [];
  let cleaned = 0;
  try {
    for (const scenario of scenarios) {
      const runner = new ScenarioRunner(scenario, transport);
      const started = performance.now();
      const { client, progress } = opts.clientId
        ? { client: runner.control.client(opts.clientId), progress: await runner.setUp(runner.control.client(opts.clientId)) }
        : await runner.createClient();
      if (!opts.json) console.log(`\n▶ ${scenario.name}: ${scenario.title} (${scenario.timeline.length} steps, client ${client.id})`);
      const outcome = await runner.run(client, progress, {
        ...(opts.until !== undefined ? { until: /^\d+$/.test(opts.until) ? Number(opts.until) : opts.until } : {}),
        onStep: (r, total) => {
          if (opts.json) return;
          const when = r.now ? r.now.slice(0, 16).replace('T', ' ') : '';
          console.log(`  ${r.ok ? green('✓') : red('✗')} ${String(r.index + 1).padStart(2)}/${total} ${dim(when)}  ${r.label}`);
          if (!r.ok) console.log(red(`      ${r.failure}`));
        },
      });
      results.push({ scenario: scenario.name, clientId: client.id, ok: outcome.ok, failure: outcome.failure, steps: outcome.steps });
      // --clean drops what this run made; a failed scenario's client stays, it is the evidence.
      if (opts.clean && !opts.clientId && outcome.ok) {
        await client.delete();
        cleaned += 1;
      }
      if (!opts.json)
        console.log(
          outcome.ok
            ? green(
                `  passed in ${Math.round(performance.now() - started)} ms${outcome.progress.finished ? '' : ` (paused before step ${outcome.progress.nextStep + 1})`}`,
              )
            : red('  FAILED'),
        );
    }
  } finally {
    await close();
  }
  const failed = results.filter((r) => !r.ok);
  if (opts.json) console.log(JSON.stringify({ ok: failed.length === 0, results }, null, 2));
  else {
    console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
    if (opts.clean)
      console.log(
        `deleted ${cleaned} client${cleaned === 1 ? '' : 's'}${failed.length ? `; kept the failed scenarios' clients: ${failed.map((f) => f.clientId).join(', ')}` : ''}`,
      );
  }
  return failed.length === 0;
}

export function scenarioCommand(): Command {
  const cmd = new Command('scenario').description('List, validate and play scenario timelines');
  const catalogue = new Catalogue();
  const baseUrl = new Option('--base-url <url>', 'a running sandbox (default: an in-process one)').env('SANDBOX_URL');
  const adminToken = new Option('--admin-token <token>', "the server's admin token, if it has one").env('SANDBOX_ADMIN_TOKEN');

  cmd
    .command('list')
    .description('The scenario catalogue')
    .option('--json', 'as JSON')
    .action(async (opts: { json?: boolean }) => {
      const all = await catalogue.all();
      if (opts.json)
        return console.log(
          JSON.stringify(
            all.map(({ scenario: s }) => ({ name: s.name, title: s.title, description: s.description, steps: s.timeline.length })),
            null,
            2,
          ),
        );
      const width = Math.max(...all.map((e) => e.scenario.name.length));
      for (const { scenario: s } of all) console.log(`${s.name.padEnd(width)}  ${s.title} ${dim(`(${s.timeline.length} steps)`)}`);
    });

  cmd
    .command('validate')
    .description('Check scenario files without running them (schema, refs, dates, clock order)')
    .argument('<files...>', 'scenario files (YAML or JSON)')
    .action(async (files: string[]) => {
      let bad = 0;
      for (const f of files) {
        try {
          const s = await loadScenarioFile(f);
          console.log(`${green('✓')} ${f}: ${s.name} (${s.timeline.length} steps)`);
        } catch (e) {
          bad += 1;
          console.error(e instanceof ScenarioFileError ? red(e.message) : red(`${f}: ${(e as Error).message}`));
        }
      }
      if (bad) process.exitCode = 1;
    });

  cmd
    .command('run')
    .description("Play a scenario (a catalogue name, a file, or 'all') and check its expectations step by step")
    .argument('<scenario>', "catalogue name, file path, or 'all'")
    .addOption(baseUrl)
    .addOption(adminToken)
    .option('--client-id <id>', 'play on this existing client instead of a new one')
    .option('--until <step>', 'stop before the step with this id (or index)')
    .option('--json', 'print a JSON report instead of progress')
    .option('--clean', 'delete each client this run created once its scenario passed (failed ones are kept to inspect)')
    .action(async (target: string, opts: RunOptions) => {
      try {
        const ok = await play(await resolveScenarios(target, catalogue), opts);
        if (!ok) process.exitCode = 1;
      } catch (e) {
        console.error(red(e instanceof ScenarioFileError ? e.message : `error: ${(e as Error).message}`));
        process.exitCode = 1;
      }
    });
  return cmd;
}
