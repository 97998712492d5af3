/**
 * `inkasso-sandbox scenario …`: list, validate and play scenarios. Playing is the server's runner either way: an
 * in-process sandbox's (the scenario service over its engine), or a running server's through its control API
 * (POST /_sandbox/clients/{id}/scenarios/{name}/run, one step per call for progress, the scenario sent along).
 */
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { Catalogue } from '../scenarios/catalogue.js';
import { loadScenarioFile, ScenarioFileError } from '../scenarios/load.js';
import type { StepResult } from '../scenarios/run.js';
import type { ScenarioFile } from '../../contracts/schemas/scenario.js';

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

/** One scenario played on one client, as far as it went. */
interface Played {
  clientId: string;
  ok: boolean;
  failure: string | null;
  steps: StepResult[];
  finished: boolean;
  nextStep: number | null;
}

/** Where scenarios are played: a client to play on, the play itself (progress per step), and clean-up. */
interface Player {
  newClient(scenario: ScenarioFile): Promise<string>;
  play(clientId: string, scenario: ScenarioFile, until: string | number | undefined, onStep: (r: StepResult) => void): Promise<Played>;
  deleteClient(clientId: string): Promise<void>;
  close(): Promise<void>;
}

/** An in-process sandbox in memory: its scenario service, straight over its engine. */
async function inProcessPlayer(): Promise<Player> {
  const { assembleSandbox } = await import('../assemble.js');
  const { ScenarioService } = await import('../scenarios/service.js');
  const sandbox = await assembleSandbox({ memory: true, strict: true });
  const service = sandbox.services.scenarios as InstanceType<typeof ScenarioService>;
  return {
    newClient: async (scenario) => (await service.createClient(scenario, {})).id,
    async play(clientId, scenario, until, onStep) {
      const outcome = await service.play(clientId, scenario, { ...(until !== undefined ? { until } : {}), onStep });
      const { progress } = outcome;
      return { clientId, ...outcome, finished: progress.finished, nextStep: progress.finished ? null : progress.nextStep };
    },
    deleteClient: (clientId) => sandbox.engine.deleteClient(clientId),
    close: () => sandbox.close(),
  };
}

/** A running server: its runner through the control API, a step per call, with this scenario sent along. */
async function remotePlayer(baseUrl: string, adminToken: string | undefined): Promise<Player> {
  const { SandboxControl } = await import('../../sdk/control/client.js');
  const control = new SandboxControl({ baseUrl, ...(adminToken ? { adminToken } : {}) });
  return {
    async newClient(s) {
      const created = await control.clients.create({
        name: s.title,
        startDate: s.start,
        ...(s.integrations ? { integrations: s.integrations.map(({ ref: _ref, ...i }) => i) } : {}),
      });
      return created.view.id;
    },
    async play(clientId, scenario, until, onStep) {
      const client = control.client(clientId);
      const steps: StepResult[] = [];
      for (;;) {
        const view = await client.scenarios.run(scenario.name, { steps: 1, scenario, ...(until !== undefined ? { until } : {}) });
        for (const r of view.steps) {
          steps.push(r);
          onStep(r);
        }
        if (!view.ok || view.finished || view.steps.length === 0)
          return { clientId, ok: view.ok, failure: view.failure, steps, finished: view.finished, nextStep: view.nextStep };
      }
    },
    deleteClient: (clientId) => control.client(clientId).delete(),
    close: async () => {},
  };
}

async function play(scenarios: ScenarioFile[], opts: RunOptions): Promise<boolean> {
  let player: Player;
  if (opts.baseUrl) player = await remotePlayer(opts.baseUrl, opts.adminToken);
  else {
    player = await inProcessPlayer();
    if (!opts.json)
      console.log(dim('(in-process sandbox in memory; use --base-url http://localhost:4010 to play against a running server)'));
  }
  const until = opts.until === undefined ? undefined : /^\d+$/.test(opts.until) ? Number(opts.until) : opts.until;
  const results: Array<{ scenario: string; clientId: string; ok: boolean; failure: string | null; steps: StepResult[] }> = [];
  let cleaned = 0;
  try {
    for (const scenario of scenarios) {
      const started = performance.now();
      const clientId = opts.clientId ?? (await player.newClient(scenario));
      if (!opts.json) console.log(`\n▶ ${scenario.name}: ${scenario.title} (${scenario.timeline.length} steps, client ${clientId})`);
      const total = scenario.timeline.length;
      const outcome = await player.play(clientId, scenario, until, (r) => {
        if (opts.json) return;
        const when = r.now ? r.now.slice(0, 16).replace('T', ' ') : '';
        console.log(`  ${r.ok ? green('✓') : red('✗')} ${String(r.index + 1).padStart(2)}/${total} ${dim(when)}  ${r.label}`);
        if (!r.ok) console.log(red(`      ${r.failure}`));
      });
      results.push({ scenario: scenario.name, clientId, ok: outcome.ok, failure: outcome.failure, steps: outcome.steps });
      // --clean drops what this run made; a failed scenario's client stays, it is the evidence.
      if (opts.clean && !opts.clientId && outcome.ok) {
        await player.deleteClient(clientId);
        cleaned += 1;
      }
      if (!opts.json)
        console.log(
          outcome.ok
            ? green(
                `  passed in ${Math.round(performance.now() - started)}` +
                  ` ms${outcome.finished ? '' : ` (paused before step ${outcome.nextStep! + 1})`}`,
              )
            : red('  FAILED'),
        );
    }
  } finally {
    await player.close();
  }
  const failed = results.filter((r) => !r.ok);
  if (opts.json) console.log(JSON.stringify({ ok: failed.length === 0, results }, null, 2));
  else {
    console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
    if (opts.clean)
      console.log(
        `deleted ${cleaned} client${cleaned === 1 ? '' : 's'}` +
          `${failed.length ? `; kept the failed scenarios' clients: ${failed.map((f) => f.clientId).join(', ')}` : ''}`,
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
