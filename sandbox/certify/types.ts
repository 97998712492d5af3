/** What a certification run collects and what it concludes. */
import type { JournalEntry } from '../http/core/services.js';

/**
 * A request-journal entry as certify reads it over the control API (`GET /_sandbox/clients/{id}/requests`): the
 * server's own entry type, with what certify never looks at left out and warnings optional (older servers).
 */
export type JournalRecord = Omit<JournalEntry, 'host' | 'detail' | 'warnings' | 'fingerprint'> & {
  warnings?: Array<{ code: string; message: string; evidence?: string }>;
};

export interface CaseSnapshot {
  id: string;
  code: string;
  customerId: number | null;
  status: string;
  balanceAgency: number | null;
  invoices: Array<{ id: string; invoiceNo: number; status: string; openAmount: number }>;
  history: Array<{ at: string; statusText: string; isCaseClosed: boolean; balanceAgency: number | null }>;
  createdAt: string;
  closedAt: string | null;
}

/** One step of the timeline as it was played. */
export interface StepRecord {
  name: string;
  description: string;
  /** Sandbox time when the step's action happened (before the clock moved on). */
  at: string;
  /** Sandbox time after the advance. */
  until: string;
  quiet: boolean;
  waitedMs: number;
  agencyCalls: number;
  cases: CaseSnapshot[];
}

/** The invoices the timeline posts, by label (A1, A2, B1, ...). */
export interface TimelineInvoice {
  label: string;
  id: string;
  invoiceNo: number;
  customerLabel: string;
  customerId: number;
  amount: number;
}

export interface Evidence {
  clientId: string;
  integrationId: string;
  startedAt: string;
  invoices: TimelineInvoice[];
  steps: StepRecord[];
  journal: JournalRecord[];
  events: Array<{ seq: number; at: string; type: string; refs: Record<string, unknown>; data: Record<string, unknown> }>;
  vouchers: Array<{
    id: string;
    type: string;
    date: string;
    externalImportReference: string | null;
    lines: Array<{ account: number; amount: number; invoiceId: string | null; vatCode: string | null }>;
  }>;
  reception: Array<{
    id: string;
    status: string;
    integrationId: string | null;
    lines: Array<{ account: number; amount: number; vatCode: string | null }>;
  }>;
  ledger: { ok: boolean; breaches: unknown[] };
  collections: Array<{ reference: string; invoiceLabel: string; amount: number; date: string }>;
  /** Did the sandbox hand out a v1 refresh_token (newer sandboxes do)? */
  v1RefreshOffered: boolean;
}

export type Verdict = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  rule: string;
  verdict: Verdict;
  /** What to fix (on fail), or why it passed/was skipped. */
  message: string;
  evidence: string[];
}

export interface CertifyReport {
  tool: string;
  sandboxUrl: string;
  clientId: string;
  agencyCommand: string | null;
  startedAt: string;
  finishedAt: string;
  steps: Array<Omit<StepRecord, 'cases'>>;
  checks: CheckResult[];
  summary: { passed: number; failed: number; skipped: number };
}
