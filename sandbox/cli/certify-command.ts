/** `inkasso-sandbox certify`: the agency conformance kit. The work is in sandbox/certify, loaded only when run. */
import { Command, Option } from 'commander';

export function certifyCommand(): Command {
  return new Command('certify')
    .description(
      "Run an agency's integration against the conformance timeline and judge it check by check (exit 1 on a failed check, 2 when it " +
        'could not be judged)',
    )
    .option(
      '--agency-cmd <command>',
      'the command that starts the integration (run once, through the shell, with the POWEROFFICE_* variables set)',
    )
    .option('--base-url <url>', 'certify against a sandbox already running here (with --client, an integration started elsewhere)')
    .option('--client <id>', 'the client the integration started elsewhere uses (with --base-url)')
    .addOption(new Option('--admin-token <token>', "the sandbox's admin token, if it has one").env('SANDBOX_ADMIN_TOKEN'))
    .option(
      '--collections-file <file>',
      'where the kit writes what debtors paid the agency (JSON lines); default a temp file, passed as INKASSO_CERTIFY_COLLECTIONS',
    )
    .option('--quiet-seconds <n>', 'seconds without an agency write that count as quiet (reads go on: an integration polls)', '3')
    .option('--step-timeout <seconds>', 'longest wait for quiet after a step', '30')
    .option('--start-timeout <seconds>', "longest wait for the integration's first call", '30')
    .option('--step-minutes <n>', 'sandbox minutes the clock moves after each step', '30')
    .option(
      '--rate-limits',
      "keep the vendor's rate limits on for the new client (off by default: hitting them depends on the machine's speed)",
    )
    .option('--shim-clock', "Node integrations: preload a clock shim so Date follows the sandbox's clock")
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--json [file]', 'write the report as JSON (to stdout without a file)')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--verbose', "show the agency's own output")
    .action(async (opts: Record<string, string | boolean | undefined>, cmd: Command) => {
      const usage = (message: string): never => {
        process.stderr.write(`error: ${message}\n`);
        process.exit(2);
      };
      if (!opts.agencyCmd && !opts.client)
        usage('give --agency-cmd "<command>", or --base-url with --client for an integration started elsewhere');
      if (opts.client && !opts.baseUrl) usage('--client needs --base-url (the sandbox the integration talks to)');
      const num = (name: string, v: unknown) => {
        const n = Number(v);
        if (!Number.isFinite(n) || n <= 0) usage(`--${name} must be a positive number, not '${v}'`);
        return n;
      };
      const quietSeconds = num('quiet-seconds', opts.quietSeconds);
      const stepTimeout = num('step-timeout', opts.stepTimeout);
      const startTimeout = num('start-timeout', opts.startTimeout);
      const stepMinutes = num('step-minutes', opts.stepMinutes);
      const { runCertify } = await import('../certify/cli.js');
      process.exitCode = await runCertify({
        agencyCmd: opts.agencyCmd as string | undefined,
        baseUrl: opts.baseUrl as string | undefined,
        clientId: opts.client as string | undefined,
        adminToken: opts.adminToken as string | undefined,
        collectionsFile: opts.collectionsFile as string | undefined,
        quietMs: quietSeconds * 1000,
        stepTimeoutMs: stepTimeout * 1000,
        startTimeoutMs: startTimeout * 1000,
        stepMinutes,
        shimClock: Boolean(opts.shimClock),
        rateLimits: Boolean(opts.rateLimits),
        junit: opts.junit as string | undefined,
        json: opts.json as string | boolean | undefined,
        html: opts.html as string | undefined,
        verbose: Boolean(opts.verbose),
      });
      void cmd;
    });
}
