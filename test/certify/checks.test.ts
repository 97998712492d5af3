/**
 * The checks' judgement at its edges, on hand-made evidence (the CLI tests run them on real runs): where a cursor is
 * read from, what counts as a needless token, when a check is skipped rather than failed.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS, cursorOf, judge } from '../../sandbox/certify/checks.js';
import type { Evidence, JournalRecord } from '../../sandbox/certify/types.js';

let seq = 0;
function entry(over: Partial<JournalRecord>): JournalRecord {
  return { seq: ++seq, at: '2026-12-01T12:00:00.000Z', sandboxTime: '2026-03-02T08:00:00+01:00', face: 'v1', method: 'GET', path: '/x', status: 200, operationId: null, integrationId: 'i1', durationMs: 1, problem: null, ...over };
}

function evidence(journal: JournalRecord[]): Evidence {
  return { clientId: 'c', integrationId: 'i1', startedAt: '2026-12-01T12:00:00.000Z', invoices: [], steps: [], journal, events: [], vouchers: [], reception: [], ledger: { ok: true, breaches: [] }, collections: [], v1RefreshOffered: true };
}

const verdict = (id: string, e: Evidence) => judge(e).find((c) => c.id === id)!;

describe('cursorOf', () => {
  it('reads fromDateTime, the path form and v2 …GreaterThan filters, and puts back an unencoded +', () => {
    expect(cursorOf(entry({ path: '/api.poweroffice.net/DebtCollection/GetAllMatchedItems?fromDateTime=2026-03-02T08%3A00%3A00%2B01%3A00' }))).toBe('2026-03-02T08:00:00+01:00');
    expect(cursorOf(entry({ path: '/DebtCollection/GetAllMatchedItems?fromDateTime=2026-03-02T08:00:00+01:00' }))).toBe('2026-03-02T08:00:00+01:00');
    expect(cursorOf(entry({ path: '/DebtCollection/GetAllMatchedItems/2026-03-01T00%3A00%3A00Z' }))).toBe('2026-03-01T00:00:00Z');
    expect(cursorOf(entry({ path: '/goapi.poweroffice.net/v2/OutgoingInvoices?balanceLastChangedDateTimeOffsetGreaterThan=2026-03-01T00%3A00%3A00Z' }))).toBe('2026-03-01T00:00:00Z');
    expect(cursorOf(entry({ path: '/DebtCollection' }))).toBeUndefined();
  });
});

describe('sandbox-clock', () => {
  const read = (cursor: string) => entry({ operationId: 'getAllMatchedItems', path: `/DebtCollection/GetAllMatchedItems?fromDateTime=${encodeURIComponent(cursor)}` });

  it('passes cursors at or before the sandbox time, a minute of slack included', () => {
    expect(verdict('sandbox-clock', evidence([read('2000-01-01T00:00:00Z'), read('2026-03-02T07:50:00+01:00'), read('2026-03-02T08:00:30+01:00')])).verdict).toBe('pass');
  });

  it('fails a cursor later than the sandbox time of its own request, naming the fix', () => {
    const r = verdict('sandbox-clock', evidence([read('2026-03-02T07:50:00+01:00'), read('2026-12-01T12:00:00Z')]));
    expect(r.verdict).toBe('fail');
    expect(r.message).toMatch(/1 changed-since read.*machine clock.*--shim-clock/);
    expect(r.evidence[0]).toMatch(/274 day\(s\) after the sandbox time/);
  });

  it('is skipped when nothing asked for changes', () => {
    expect(verdict('sandbox-clock', evidence([entry({ operationId: 'getCases', path: '/DebtCollection' })])).verdict).toBe('skip');
  });
});

describe('token-reuse', () => {
  const tokenAt = (path: string, time: string, grantType = 'client_credentials') => entry({ face: 'auth', method: 'POST', path, sandboxTime: time, grantType, operationId: 'requestToken' });
  const v1 = '/api.poweroffice.net/OAuth/Token';
  const v2 = '/goapi.poweroffice.net/OAuth/Token';

  it('passes one token per host per sandbox instant', () => {
    const e = evidence([tokenAt(v1, '2026-03-02T08:00:00+01:00'), tokenAt(v2, '2026-03-02T08:00:00+01:00'), tokenAt(v1, '2026-03-02T08:30:00+01:00', 'refresh_token')]);
    expect(verdict('token-reuse', e).verdict).toBe('pass');
  });

  it('fails a second token for one host while the clock stood still', () => {
    const e = evidence([tokenAt(v1, '2026-03-02T08:00:00+01:00'), entry({}), tokenAt(v1, '2026-03-02T08:00:00+01:00')]);
    const r = verdict('token-reuse', e);
    expect(r.verdict).toBe('fail');
    expect(r.message).toMatch(/^1 token\(s\) were fetched while the previous one was still valid/);
  });

  it('forgives a new token after a 401 (revoked or expired)', () => {
    const e = evidence([tokenAt(v1, '2026-03-02T08:00:00+01:00'), entry({ status: 401 }), tokenAt(v1, '2026-03-02T08:00:00+01:00')]);
    expect(verdict('token-reuse', e).verdict).toBe('pass');
  });

  it('allows a v1 and a v2 token per instant on the shared unprefixed endpoint', () => {
    const e = evidence([tokenAt('/OAuth/Token', '2026-03-02T08:00:00+01:00'), tokenAt('/OAuth/Token', '2026-03-02T08:00:00+01:00')]);
    expect(verdict('token-reuse', e).verdict).toBe('pass');
  });
});

describe('retry-after', () => {
  it('measures the pause after a 429 in wall time', () => {
    const limited = entry({ status: 429, at: '2026-12-01T12:00:00.000Z' });
    const soon = entry({ at: '2026-12-01T12:00:00.400Z' });
    expect(verdict('retry-after', evidence([limited, soon])).verdict).toBe('fail');
    const later = entry({ at: '2026-12-01T12:00:01.050Z' });
    expect(verdict('retry-after', evidence([limited, later])).verdict).toBe('pass');
  });

  it('is skipped when no call was answered 429', () => {
    expect(verdict('retry-after', evidence([entry({})])).verdict).toBe('skip');
  });
});

describe('portability', () => {
  it('treats an entry without warnings as none, and fails on any warning with its code', () => {
    expect(verdict('portability', evidence([entry({})])).verdict).toBe('pass');
    const r = verdict('portability', evidence([entry({ warnings: [{ code: 'unknown-query-parameter', message: 'foo is not a filter' }] })]));
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]).toMatch(/unknown-query-parameter: foo is not a filter/);
  });
});

describe('every check', () => {
  it('has an id, a title and a rule, and judges empty evidence without throwing', () => {
    const results = judge(evidence([]));
    expect(results.map((r) => r.id)).toEqual(CHECKS.map((c) => c.id));
    for (const r of results) {
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.rule.length).toBeGreaterThan(20);
      expect(r.message).not.toMatch(/the check itself failed/);
    }
  });
});
