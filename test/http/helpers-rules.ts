/**
 * Small helpers for the business-rule suites (timing, collection transitions, rejections). Everything goes
 * through HTTP on the real app; these only shorten the control-API calls and the error-shape assertions.
 */
import { expect } from 'vitest';
import type request from 'supertest';
import {
  agency,
  invoice,
  newClient,
  newCustomer,
  newInvoice,
  worldText,
  type ClientFixture,
  type TestSandbox,
} from '../harness.js';

export type Res = request.Response;

/** The control API of one client, relative to /_sandbox/clients/{id}. */
export function ctl(t: TestSandbox, clientId: string) {
  const base = `/_sandbox/clients/${clientId}`;
  return {
    base,
    get: (path: string) => t.http.get(`${base}${path}`),
    post: (path: string, body?: unknown) => t.http.post(`${base}${path}`).send(body as object),
    put: (path: string, body?: unknown) => t.http.put(`${base}${path}`).send(body as object),
    patch: (path: string, body?: unknown) => t.http.patch(`${base}${path}`).send(body as object),
    /** A raw body (malformed JSON and the like). */
    raw: (method: 'post' | 'put' | 'patch', path: string, text: string) => t.http[method](`${base}${path}`).set('Content-Type', 'application/json').send(text),
  };
}

export async function ok(res: Res | Promise<Res>, status = 200): Promise<any> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** PUT settings, expecting success. */
export function putSettings(t: TestSandbox, clientId: string, body: Record<string, unknown>): Promise<any> {
  return ok(ctl(t, clientId).put('/settings', body));
}

/** A client (start 2026-01-05 08:00 Oslo unless told) with one complete-address customer. */
export async function world(t: TestSandbox, opts: { startDate?: string; settings?: Record<string, unknown>; customer?: Record<string, unknown> } = {}) {
  const client = await newClient(t, { startDate: opts.startDate ?? '2026-01-05', ...(opts.settings ? { settings: opts.settings } : {}) });
  const customer = await newCustomer(t, client.id, opts.customer ?? {});
  return { client, customer, c: ctl(t, client.id) };
}

export async function status(t: TestSandbox, clientId: string, invoiceId: string): Promise<string> {
  return (await invoice(t, clientId, invoiceId)).status;
}

export async function lists(t: TestSandbox, clientId: string): Promise<any> {
  return ok(ctl(t, clientId).get('/collection'));
}

export async function reminderEntry(t: TestSandbox, clientId: string, invoiceId: string): Promise<any> {
  const l = await lists(t, clientId);
  return l.reminderList.find((e: any) => e.invoice.id === invoiceId);
}

export async function explain(t: TestSandbox, clientId: string, invoiceId: string): Promise<any> {
  return ok(ctl(t, clientId).get(`/invoices/${invoiceId}/explain`));
}

export async function vouchers(t: TestSandbox, clientId: string): Promise<any[]> {
  return (await ok(ctl(t, clientId).get('/vouchers'))).vouchers;
}

export async function ledgerOk(t: TestSandbox, clientId: string): Promise<void> {
  const check = await ok(ctl(t, clientId).get('/ledger/check'));
  expect(check).toMatchObject({ ok: true, breaches: [] });
  expect(check.receivables).toBe(check.customerLedgerTotal);
}

export async function approveIds(t: TestSandbox, clientId: string, invoiceIds: string[]): Promise<any> {
  return ok(ctl(t, clientId).post('/collection/approve', { invoiceIds }));
}

export async function overrideToInkasso(t: TestSandbox, clientId: string, invoiceIds: string[]): Promise<any> {
  return ok(ctl(t, clientId).post('/collection/override', { invoiceIds, nextAction: 'Inkasso' }));
}

/** An overdue invoice made a draft at once (override) and approved: ready for a case. */
export async function approvedInvoice(t: TestSandbox, client: ClientFixture, body: Record<string, unknown>): Promise<any> {
  const inv = await newInvoice(t, client.id, { invoiceDate: '2025-12-01', dueDate: '2025-12-15', ...body });
  if (inv.status === 'None') await overrideToInkasso(t, client.id, [inv.id]);
  if ((await status(t, client.id, inv.id)) === 'Draft') await approveIds(t, client.id, [inv.id]);
  expect(await status(t, client.id, inv.id)).toBe('Approved');
  return inv;
}

/** Opens a case via v1 with the given invoices; returns the case body. */
export async function openCase(a: Awaited<ReturnType<typeof agency>>, code: string, invoiceIds: string[]): Promise<any> {
  const res = await a.post('/DebtCollection', { code, invoices: invoiceIds });
  if (res.status !== 200) throw new Error(`createCase ${res.status}: ${JSON.stringify(res.body)}`);
  expect(res.body.success).toBe(true);
  return res.body.data;
}

/** A control-API ProblemDetails with the given status; `field` must be named in `errors`. */
export function expectProblem(res: Res, status: number, field?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.stringContaining(String(status)) });
  if (field !== undefined) {
    expect(res.body.errors, `errors should name ${field}: ${JSON.stringify(res.body)}`).toBeDefined();
    expect(Object.keys(res.body.errors)).toContain(field);
    expect(res.body.errors[field][0]).toEqual(expect.any(String));
  }
}

/** A control-API 409 with currentState and (when given) allowed. */
export function expectConflict(res: Res, currentState: string | RegExp, allowed?: string[], field?: string): void {
  expectProblem(res, 409, field);
  if (typeof currentState === 'string') expect(res.body.currentState).toBe(currentState);
  else expect(res.body.currentState).toMatch(currentState);
  if (allowed) expect(res.body.allowed).toEqual(allowed);
}

/** The v1 failure envelope. */
/**
 * A v1 business failure as the vendor answers it: HTTP 200, success false, only the validation keys with a value.
 * `httpStatus` is what the client setting v1ErrorStatuses 'http' would answer; it and the field are in X-Sandbox-Detail.
 */
export function expectV1Failure(res: Res, httpStatus: number, field?: string, exception?: string): Record<string, any> {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return v1Envelope(res, httpStatus, field, exception);
}

/** A v1 refusal that keeps its HTTP status whatever the setting (a missing privilege 403, an unknown path 404). */
export function expectV1Refusal(res: Res, status: number, exception?: string): Record<string, any> {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return v1Envelope(res, status, undefined, exception);
}

function v1Envelope(res: Res, httpStatus: number, field?: string, exception?: string): Record<string, any> {
  expect(res.body.success).toBe(false);
  expect(Object.keys(res.body.validation).sort()).toEqual(['errorLogReference', 'exception', 'summary']);
  expect(res.body.validation).toMatchObject({ summary: expect.any(String), errorLogReference: expect.any(String), exception: exception ?? expect.any(String) });
  const detail = JSON.parse(String(res.headers['x-sandbox-detail']));
  expect(detail.httpStatus, JSON.stringify(detail)).toBe(httpStatus);
  if (field !== undefined) expect(Object.keys(detail.fields ?? {})).toContain(field);
  return detail;
}

/** Run a refused request and check the world is byte-for-byte what it was. */
export async function unchanged(t: TestSandbox, clientId: string, refused: () => Promise<Res>): Promise<Res> {
  const before = await worldText(t, clientId);
  const res = await refused();
  expect(await worldText(t, clientId)).toBe(before);
  return res;
}

/** Late-payment interest by hand: simple, actual/365, rate in percent, on `principalNok` for `days` days, in NOK. */
export function interestByHand(principalNok: number, percent: number, days: number): number {
  return Math.round((principalNok * 100 * percent * days) / 100 / 365) / 100;
}

export { agency, invoice, newClient, newCustomer, newInvoice, worldText };
