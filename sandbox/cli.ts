#!/usr/bin/env node
/** The inkasso-sandbox command line. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import type { RunningServer } from './server.js';
import { SANDBOX_VERSION } from './version.js';
import { DEFAULT_DATA_DIR } from './defaults.js';

/** The server: its one-file bundle when the build made one (a faster cold start), else the modules. */
async function loadServer(): Promise<typeof import('./server.js')> {
  const bundle = new URL('./server.bundle.js', import.meta.url);
  if (existsSync(fileURLToPath(bundle))) return (await import(bundle.href)) as typeof import('./server.js');
  return import('./server.js');
}

const program = new Command();
program
  .name('inkasso-sandbox')
  .description("A stateful emulation of PowerOffice Go's debt-collection API with a clock you control.")
  .version(SANDBOX_VERSION);

program
  .command('start')
  .description('Run the sandbox HTTP server (agency API + control API under /_sandbox)')
  .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT').default('4010'))
  .addOption(
    new Option('--host <host>', 'address to bind; the control API answers non-loopback callers only with --admin-token')
      .env('HOST')
      .default('127.0.0.1'),
  )
  .addOption(new Option('-d, --data-dir <dir>', 'folder for the lowdb JSON files').env('SANDBOX_DATA_DIR').default(DEFAULT_DATA_DIR))
  .addOption(new Option('-m, --memory', 'keep everything in memory (nothing survives a restart)').env('SANDBOX_MEMORY'))
  .addOption(
    new Option('--database-url <url>', 'keep everything in PostgreSQL (postgres://…), shared by every sandbox process on it').env(
      'SANDBOX_DATABASE_URL',
    ),
  )
  .addOption(
    new Option('--admin-token <token>', 'require this token on /_sandbox (header X-Sandbox-Admin-Token)').env('SANDBOX_ADMIN_TOKEN'),
  )
  .addOption(
    new Option(
      '--allow-open-control',
      'bind a non-loopback host without --admin-token (the control API then answers loopback callers only)',
    ).env('SANDBOX_ALLOW_OPEN_CONTROL'),
  )
  .addOption(
    new Option('--trust-proxy', 'behind a reverse proxy: build links from well-formed X-Forwarded-Host/-Proto').env('SANDBOX_TRUST_PROXY'),
  )
  .addOption(
    new Option('--validate-responses', 'check every response against the contract (500 on drift)').env('SANDBOX_VALIDATE_RESPONSES'),
  )
  .addOption(new Option('--strict', 'check the ledger invariants after every write (slower; for CI)').env('SANDBOX_STRICT'))
  .addOption(new Option('--no-rate-limits', "switch the vendor's rate limits off server-wide").env('SANDBOX_NO_RATE_LIMITS'))
  .addOption(new Option('--body-limit <size>', 'largest request body').default('1mb'))
  .addOption(
    new Option('--shutdown-grace <ms>', 'on SIGTERM/SIGINT, how long requests in flight may take to finish')
      .env('SANDBOX_SHUTDOWN_GRACE')
      .default('5000'),
  )
  .addOption(
    new Option('--checkpoint-every <records>', 'write a client checkpoint after this many log records (bounds the replay at start)').env(
      'SANDBOX_CHECKPOINT_RECORDS',
    ),
  )
  .action(
    async (opts: {
      port: string;
      host: string;
      dataDir: string;
      memory?: boolean;
      adminToken?: string;
      allowOpenControl?: boolean;
      trustProxy?: boolean;
      validateResponses?: boolean;
      strict?: boolean;
      rateLimits: boolean;
      bodyLimit: string;
      shutdownGrace: string;
      checkpointEvery?: string;
      databaseUrl?: string;
    }) => {
      const port = Number(opts.port);
      if (!/^\d+$/.test(opts.port) || port > 65535) program.error(`--port must be a number from 0 to 65535, not '${opts.port}'`);
      if (opts.checkpointEvery !== undefined && !/^[1-9]\d{0,6}$/.test(opts.checkpointEvery))
        program.error(`--checkpoint-every must be a whole number of records from 1, not '${opts.checkpointEvery}'`);
      const loopbackHost = opts.host === 'localhost' || opts.host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(opts.host);
      if (!loopbackHost && !opts.adminToken && !opts.allowOpenControl)
        program.error(
          `refusing to bind ${opts.host} without an admin token: anyone who can reach it could try the control API. Pass ` +
            `--admin-token <token>, or --allow-open-control to keep /_sandbox loopback-only`,
        );
      let server: RunningServer;
      try {
        // Loaded here, not at the top: --help and --version need none of the server.
        const { startServer } = await loadServer();
        server = await startServer({
          port,
          host: opts.host,
          dataDir: opts.dataDir,
          memory: Boolean(opts.memory),
          ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
          validateResponses: Boolean(opts.validateResponses),
          strict: Boolean(opts.strict),
          rateLimits: opts.rateLimits !== false && !process.env.SANDBOX_NO_RATE_LIMITS,
          bodyLimit: opts.bodyLimit,
          ...(opts.checkpointEvery ? { checkpointRecords: Number(opts.checkpointEvery) } : {}),
          trustProxy: Boolean(opts.trustProxy),
          ...(opts.adminToken ? { adminToken: opts.adminToken } : {}),
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        return program.error(
          err.code === 'EADDRINUSE' ? `port ${port} is in use: pick another with --port or PORT` : `could not start: ${err.message}`,
        );
      }
      // Since the process started (performance.now's origin), module loading included: what a user waits for.
      const ms = Math.round(performance.now());
      const clients = (await server.engine.listClients()).length;
      const damaged = server.engine.damaged;
      const where =
        opts.memory && !opts.databaseUrl
          ? 'in memory (nothing is kept after exit)'
          : `in ${server.engine.store.location} (${clients} ` +
            `client${clients === 1 ? '' : 's'}${damaged.length ? `, ${damaged.length} damaged` : ''})`;
      console.log(`inkasso-sandbox ${SANDBOX_VERSION} listening on ${server.url} in ${ms} ms from process start; data ${where}`);
      // One line per repair and per damaged file, so nobody has to find out from a 500 later.
      for (const repair of server.engine.store.repairs ?? []) console.warn(`warning: ${repair}`);
      for (const d of damaged)
        console.warn(
          `warning: client ${d.id} set aside: ${d.source} is damaged (${d.reason}); nothing was deleted, the other clients serve; ` +
            `repair or move the file away`,
        );
      if (!loopbackHost && !opts.adminToken)
        console.warn(`warning: bound to ${opts.host} without --admin-token: the control API (/_sandbox) answers loopback callers only`);
      console.log(
        `\nTry:\n  curl -s -X POST ${server.url}/_sandbox/clients -H 'content-type: application/json' -d '{"name":"Demo ` +
          `AS","startDate":"2026-01-05"}'\n`,
      );
      console.log(`OpenAPI: ${server.url}/openapi.json   Stop: Ctrl-C`);
      const grace = /^\d+$/.test(opts.shutdownGrace) ? Number(opts.shutdownGrace) : 5000;
      let stopping = false;
      const stop = async (signal: NodeJS.Signals) => {
        // A second signal while waiting: stop now.
        if (stopping) process.exit(1);
        stopping = true;
        console.log(`${signal}: shutting down; no new connections, ${server.inFlight()} request(s) in flight get up to ${grace} ms`);
        const { cut } = await server.shutdown(grace);
        if (cut) console.log(`closed ${cut} connection${cut === 1 ? '' : 's'} still busy after ${grace} ms`);
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
  );

// The scenario runner (YAML, the catalogue) and verify (Pact's native core) load only when their command is named;
// the top-level help lists them from these stubs.
const LAZY_COMMANDS = {
  scenario: {
    description: 'List, validate and play scenario timelines',
    load: async () => (await import('./cli/scenario-command.js')).scenarioCommand(),
  },
  verify: {
    description: "Verify an agency's pact files against an in-process sandbox (provider states from the catalogue)",
    load: async () => (await import('./cli/verify-command.js')).verifyCommand(),
  },
  certify: {
    description: "Run an agency's integration against the conformance timeline and judge it check by check",
    load: async () => (await import('./cli/certify-command.js')).certifyCommand(),
  },
};
const words = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const named = words[0] === 'help' ? words[1] : words[0];
for (const [name, lazy] of Object.entries(LAZY_COMMANDS)) {
  if (name === named) program.addCommand(await lazy.load());
  else program.command(name).description(lazy.description);
}

await program.parseAsync(process.argv);
