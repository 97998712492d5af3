/**
 * The conformance timeline: a client with five overdue invoices of four customers (one without a postal address),
 * then a direct payment, a credit note, a write-off and money the agency collected itself, each followed by a clock
 * step. Faults are armed where a check needs them: a 429 on the first pickup, a v1 business failure on the first
 * status update after the payment, and a lost answer on the first settlement post.
 */
import { appendFile } from 'node:fs/promises';
import type { TimelineInvoice } from './types.js';
import { OSLO_ADDRESS as ADDRESS } from '../../sdk/control/fixtures.js';

export class ControlClient {
  constructor(
    readonly baseUrl: string,
    readonly adminToken?: string,
  ) {}

  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/_sandbox${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.adminToken ? { 'x-sandbox-admin-token': this.adminToken } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`control API ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export const START_DATE = '2026-03-02';

/** Customers and invoices (NOK), dated so that every invoice is a collection draft on the start date. */
const CUSTOMERS = [
  { label: 'A', name: 'Alfa Bygg AS', address: true },
  { label: 'B', name: 'Beta Frisør AS', address: true },
  { label: 'C', name: 'Ceta Catering AS', address: true },
  { label: 'D', name: 'Delta Utleie AS', address: false },
];
const INVOICES = [
  { label: 'A1', customer: 'A', amount: 1000 },
  { label: 'A2', customer: 'A', amount: 2500 },
  { label: 'B1', customer: 'B', amount: 1800 },
  { label: 'C1', customer: 'C', amount: 1200 },
  { label: 'D1', customer: 'D', amount: 700 },
];

/** What the debtor owes the agency on each invoice after each step (payments and credit notes lower it, a write-off does not). */
export const EXPECTED_OUTSTANDING: Record<string, number[]> = {
  //        approve payment credit writeOff settle
  A1: [1000, 1000, 1000, 1000, 600],
  A2: [2500, 2500, 2000, 2000, 2000],
  B1: [1800, 0, 0, 0, 0],
  C1: [1200, 1200, 1200, 1200, 1200],
  D1: [700, 700, 700, 700, 700],
};

export const SETTLEMENT = { invoice: 'A1', amount: 400, reference: 'CERT-A1-1' };
export const DIRECT_PAYMENT = { invoice: 'B1', amount: 1800 };
export const CREDIT_NOTE = { invoice: 'A2', amount: 500 };
export const WRITE_OFF = { invoice: 'C1' };
export const NO_ADDRESS_INVOICE = 'D1';

export interface Setup {
  clientId: string;
  view: any;
  integration: { id: string; applicationKey: string; clientKey: string; subscriptionKey: string };
  invoices: TimelineInvoice[];
}

/**
 * The vendor's rate limits are off unless asked for: hitting them depends on the machine's speed, and a verdict
 * must not. Retry-After is judged on an injected 429 instead.
 */
export async function createConformanceClient(control: ControlClient, rateLimits = false): Promise<any> {
  return control.call('POST', '/clients', {
    name: 'Certify AS',
    startDate: START_DATE,
    settings: { rateLimits: { enabled: rateLimits } },
  });
}

/** Customers and overdue invoices on an existing client (the --client mode brings its own). */
export async function seedTimeline(control: ControlClient, clientId: string): Promise<TimelineInvoice[]> {
  const customers = new Map<string, { id: number }>();
  for (const c of CUSTOMERS)
    customers.set(
      c.label,
      await control.call('POST', `/clients/${clientId}/customers`, { name: c.name, ...(c.address ? { mailAddress: ADDRESS } : {}) }),
    );
  const clock = await control.call<{ today: string }>('GET', `/clients/${clientId}/clock`);
  const day = (offset: number) => new Date(Date.parse(`${clock.today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const out: TimelineInvoice[] = [];
  for (const i of INVOICES) {
    const customer = customers.get(i.customer)!;
    const inv = await control.call('POST', `/clients/${clientId}/invoices`, {
      customerId: customer.id,
      amount: i.amount,
      invoiceDate: day(-45),
      dueDate: day(-30),
    });
    out.push({
      label: i.label,
      id: inv.id,
      invoiceNo: inv.invoiceNo,
      customerLabel: i.customer,
      customerId: customer.id,
      amount: i.amount,
    });
  }
  // Drafts by now (30 days overdue, no reminder steps); override any the client's settings still hold back.
  const ids = out.map((i) => i.id);
  const lists = await control.call<{ draft: Array<{ invoice: { id: string } }> }>('GET', `/clients/${clientId}/collection`);
  const missing = ids.filter((id) => !lists.draft.some((d) => d.invoice.id === id));
  if (missing.length) await control.call('POST', `/clients/${clientId}/collection/override`, { invoiceIds: missing });
  return out;
}

export interface StepContext {
  control: ControlClient;
  clientId: string;
  invoice(label: string): TimelineInvoice;
  /** Tell the agency its debtor paid it (one JSON line in the collections file). */
  collected(line: { reference: string; invoiceId: string; invoiceNo: number; amount: number; date: string }): Promise<void>;
  today(): Promise<string>;
}

export interface Step {
  name: string;
  description: string;
  run(ctx: StepContext): Promise<void>;
}

const fault = (ctx: StepContext, body: unknown) => ctx.control.call('POST', `/clients/${ctx.clientId}/faults`, body);

export const STEPS: Step[] = [
  {
    name: 'approve',
    description: 'The client approves five drafts of four customers (Delta has no postal address); the first pickup answers 429',
    async run(ctx) {
      await fault(ctx, { match: { operationId: 'getAvailableInvoices' }, effect: { status: 429 }, count: 1 });
      await ctx.control.call('POST', `/clients/${ctx.clientId}/collection/approve`, {
        invoiceIds: ['A1', 'A2', 'B1', 'C1', 'D1'].map((l) => ctx.invoice(l).id),
      });
    },
  },
  {
    name: 'direct-payment',
    description:
      `The debtor pays ${DIRECT_PAYMENT.invoice} (${DIRECT_PAYMENT.amount} NOK) directly to the client; the next UpdateStatus answers ` +
      `200 with success:false`,
    async run(ctx) {
      await fault(ctx, { match: { operationId: 'updateStatus' }, effect: { businessFailure: true }, count: 1 });
      await ctx.control.call('POST', `/clients/${ctx.clientId}/payments`, {
        invoiceId: ctx.invoice(DIRECT_PAYMENT.invoice).id,
        amount: DIRECT_PAYMENT.amount,
      });
    },
  },
  {
    name: 'credit-note',
    description: `The client credits ${CREDIT_NOTE.amount} NOK of ${CREDIT_NOTE.invoice}`,
    async run(ctx) {
      await ctx.control.call('POST', `/clients/${ctx.clientId}/credit-notes`, {
        invoiceId: ctx.invoice(CREDIT_NOTE.invoice).id,
        amount: CREDIT_NOTE.amount,
      });
    },
  },
  {
    name: 'write-off',
    description: `The client writes ${WRITE_OFF.invoice} off in its own books (the debtor still owes the agency)`,
    async run(ctx) {
      await ctx.control.call('POST', `/clients/${ctx.clientId}/write-offs`, { invoiceIds: [ctx.invoice(WRITE_OFF.invoice).id] });
    },
  },
  {
    name: 'settlement',
    description:
      `The debtor pays the agency ${SETTLEMENT.amount} NOK on ${SETTLEMENT.invoice}; the answer to the first BankJournals ` +
      `POST is lost`,
    async run(ctx) {
      await fault(ctx, { match: { operationId: 'v2PostBankJournal' }, effect: { dropAfterWrite: true }, count: 1 });
      const inv = ctx.invoice(SETTLEMENT.invoice);
      await ctx.collected({
        reference: SETTLEMENT.reference,
        invoiceId: inv.id,
        invoiceNo: inv.invoiceNo,
        amount: SETTLEMENT.amount,
        date: await ctx.today(),
      });
    },
  },
];

export async function appendCollection(file: string, line: object): Promise<void> {
  await appendFile(file, `${JSON.stringify(line)}\n`);
}
