/** The README's curl tour (docs/tour.sh) run as pasted against a started server, so it keeps working. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, type RunningServer } from '../../sandbox/server.js';

function has(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tools = has('curl') && has('jq') && has('bash');
let server: RunningServer;
beforeAll(async () => {
  if (tools) server = await startServer({ memory: true, port: 0, validateResponses: true, strict: true });
});
afterAll(() => server?.close());

describe('the README tour', () => {
  it.skipIf(!tools)('runs as pasted, on the two hosts the client lists: day-14 draft, approval, case, direct payment, write-off, archive', async () => {
    // Asynchronously: the server answering curl lives in this very process.
    const { stdout: out } = await promisify(execFile)('bash', ['docs/tour.sh'], { env: { ...process.env, SANDBOX_URL: server.url }, encoding: 'utf8' });
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('["2026-01-19",["invoice.drafted","clock.advanced"]]');
    expect(lines[1]).toBe('{"status":"Draft","openAmount":1250}');
    expect(lines).toContain('{"count":1,"first":{"invoiceNo":10001,"remainingAmount":1250}}');
    expect(lines).toContain('[{"Number":10001,"Name":"Ola Nordmann AS"}]');
    expect(lines).toContain('[{"voucherType":19,"amount":-400,"isWriteOff":false}]');
    expect(lines).toContain('[{"amount":-400,"isWriteOff":false},{"amount":-850,"isWriteOff":true}]');
    expect(lines.at(-1)).toBe('{"open":[],"archived":[{"code":"K-1001","status":"Closed","balanceAgency":0}]}');
  });
  if (!tools) it('needs curl, jq and bash to run the README tour (skipped here)', () => expect(tools).toBe(false));
});
