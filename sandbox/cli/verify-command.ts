/**
 * `inkasso-sandbox verify <pact file or folder>…`: an agency verifies its own pact against an in-process sandbox.
 * Each interaction's provider state comes from the catalogue (contracts/provider-states.md); the report shows
 * every interaction and, for a failure, exactly what differs. Exit code 0 when everything matches, 1 on a
 * mismatch, 2 when the pacts cannot be verified as written (unknown provider state, bad params, unreadable file).
 */
import { Command, Option } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadPacts, PactInputError } from '../../contracts/pact/pact-file.js';
import {
  formatReport,
  junitXml,
  verifyPacts,
  verifyPactsIsolated,
  type VerificationReport,
  type VerifyOptions,
} from '../../contracts/pact/verify.js';
import { junitErrorXml } from '../../contracts/pact/report.js';

const isTty = process.stdout.isTTY;
const red = (s: string) => (isTty ? `\x1b[31m${s}\x1b[0m` : s);

interface VerifyCliOptions {
  junit?: string;
  json?: boolean;
  startDate?: string;
  verifierOutput?: boolean;
  logLevel?: VerifyOptions['logLevel'];
  inProcess?: boolean;
}

export function verifyCommand(): Command {
  return new Command('verify')
    .description("Verify an agency's pact files against an in-process sandbox (provider states from the catalogue)")
    .argument('<pacts...>', 'pact files, or folders of them (*.json)')
    .option('--junit <file>', 'also write the results as JUnit XML (one testcase per interaction)')
    .option('--json', 'print the report as JSON instead of text')
    .addOption(
      new Option('--start-date <date>', "start every interaction's client on this date (YYYY-MM-DD); default: today").env(
        'SANDBOX_VERIFY_START_DATE',
      ),
    )
    .option('--verifier-output', "also show the Pact verifier's own output")
    .addOption(new Option('--in-process', 'run the verifier in this process (its output is always shown)').hideHelp())
    .addOption(
      new Option('--log-level <level>', 'log level of the Pact verifier')
        .choices(['error', 'warn', 'info', 'debug', 'trace'])
        .default('error'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  inkasso-sandbox verify pacts/\n  inkasso-sandbox verify pacts/kravia-poweroffice.json --junit ' +
        'pact-results.xml\n\nProvider states: see contracts/provider-states.md in the package.',
    )
    .action(async (paths: string[], opts: VerifyCliOptions) => {
      process.env.PACT_DO_NOT_TRACK = 'true';
      const writeJunit = async (text: string) => {
        if (!opts.junit) return;
        const file = resolve(opts.junit);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, text);
        if (!opts.json) console.log(`JUnit XML: ${opts.junit}`);
      };
      // Exit 2 (nothing could be verified) still writes both reports, so CI shows why.
      const cannotVerify = async (message: string) => {
        console.error(red(message));
        if (opts.json) console.log(JSON.stringify({ ok: false, error: { exitCode: 2, message }, pacts: paths }, null, 2));
        await writeJunit(junitErrorXml(message, paths)).catch((e) =>
          console.error(red(`could not write ${opts.junit}: ${(e as Error).message}`)),
        );
        process.exitCode = 2;
      };
      if (opts.startDate && (!/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(opts.startDate) || Number.isNaN(Date.parse(opts.startDate.slice(0, 10)))))
        return cannotVerify(`--start-date must be a date (YYYY-MM-DD), not '${opts.startDate}'`);
      const options: VerifyOptions = {
        ...(opts.startDate ? { startDate: opts.startDate } : {}),
        ...(opts.logLevel ? { logLevel: opts.logLevel } : {}),
      };
      let report: VerificationReport;
      try {
        // Read the pacts first: an unknown state or a bad parameter stops here, before anything starts.
        await loadPacts(paths);
        // The Rust core writes its own log to stdout; a child process keeps it out of the report unless asked for.
        report = opts.inProcess
          ? await verifyPacts(paths, options)
          : await verifyPactsIsolated(paths, options, { showVerifierOutput: Boolean(opts.verifierOutput) });
      } catch (e) {
        const err = e as Error;
        return cannotVerify(
          err instanceof PactInputError ? `cannot verify: ${err.message}` : `verification failed to run: ${err.message}`,
        );
      }
      if (opts.json) console.log(JSON.stringify(report, null, 2));
      else console.log(formatReport(report, { color: Boolean(isTty) }));
      await writeJunit(junitXml(report));
      if (!report.ok) process.exitCode = 1;
    });
}
