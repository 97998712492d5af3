/** The certify command's body: run, print, write the reports, pick the exit code. */
import { writeFile } from 'node:fs/promises';
import { certify, SetupError, type CertifyOptions } from './run.js';
import { htmlReport, junitXml, terminalSummary } from './report.js';

export interface CertifyCliOptions extends Omit<CertifyOptions, 'log' | 'agencyOutput'> {
  junit?: string | undefined;
  json?: string | boolean | undefined;
  html?: string | undefined;
  verbose: boolean;
}

/** 0 certified, 1 a check failed, 2 the run could not be judged. */
export async function runCertify(o: CertifyCliOptions): Promise<number> {
  const jsonToStdout = o.json === true;
  const log = (line: string) => process.stderr.write(`[certify] ${line}\n`);
  try {
    const report = await certify({
      ...o,
      log,
      ...(o.verbose ? { agencyOutput: (line: string) => process.stderr.write(`[agency] ${line}\n`) } : {}),
    });
    if (o.junit) await writeFile(o.junit, junitXml(report));
    if (o.html) await writeFile(o.html, htmlReport(report));
    if (typeof o.json === 'string') await writeFile(o.json, `${JSON.stringify(report, null, 2)}\n`);
    if (jsonToStdout) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(`${terminalSummary(report, Boolean(process.stdout.isTTY))}\n`);
    return report.summary.failed ? 1 : 0;
  } catch (e) {
    if (e instanceof SetupError) {
      process.stderr.write(`certify could not judge the integration: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`certify failed: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}
