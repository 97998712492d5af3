/**
 * Test harness: a real sandbox (real express app through supertest, real engine, real store) with strict
 * invariant checks and response validation on, plus small helpers for the control and agency faces.
 */
import request from 'supertest';
import { createSandbox, type Sandbox, type SandboxOptions } from '../sandbox/server.js';
import { QUIET_LOGGER } from '../sandbox/engine.js';

export interface TestSandbox extends Sandbox {
  http: ReturnType<typeof request>;
}

export async function testSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  // Rate limits off unless a test asks: suites send far more than 10 requests a second.
  const sandbox = await createSandbox({ memory: true, strict: true, validateResponses: true, rateLimits: false, logger: QUIET_LOGGER, ...options });
  return { ...sandbox, http: request(sandbox.app) };
}

export interface ClientFixture {
  id: string;
  integration: { id: string; applicationKey: string; clientKey: string; subscriptionKey: string };
  body: any;
}

export async function newClient(t: TestSandbox, body: Record<string, unknown> = {}): Promise<ClientFixture> {
  const res = await t.http.post('/_sandbox/clients').send({ name: 'Test AS', startDate: '2026-01-05', ...body });
  if (res.status !== 201) throw new Error(`createClient ${res.status}: ${JSON.stringify(res.body)}`);
  return { id: res.body.id, integration: res.body.integrations[0], body: res.body };
}

export const ADDRESS = { addressLine1: 'Storgata 1', zipCode: '0155', city: 'Oslo', countryCode: 'NO' };

export async function newCustomer(t: TestSandbox, clientId: string, body: Record<string, unknown> = {}): Promise<any> {
  const res = await t.http.post(`/_sandbox/clients/${clientId}/customers`).send({ name: 'Ola Nordmann AS', mailAddress: ADDRESS, ...body });
  if (res.status !== 201) throw new Error(`createCustomer ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function newInvoice(t: TestSandbox, clientId: string, body: Record<string, unknown>): Promise<any> {
  const res = await t.http.post(`/_sandbox/clients/${clientId}/invoices`).send({ amount: 1000, ...body });
  if (res.status !== 201) throw new Error(`postInvoice ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function advance(t: TestSandbox, clientId: string, body: Record<string, unknown>): Promise<any> {
  const res = await t.http.post(`/_sandbox/clients/${clientId}/clock/advance`).send(body);
  if (res.status !== 200) throw new Error(`advance ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function invoice(t: TestSandbox, clientId: string, id: string): Promise<any> {
  const res = await t.http.get(`/_sandbox/clients/${clientId}/invoices/${id}`);
  if (res.status !== 200) throw new Error(`getInvoice ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export type Api = 'v1' | 'v2';

/** The sandbox's prefixes for the two production hosts, and each API's base path under them. */
export const HOSTS = { v1: '/api.poweroffice.net', v2: '/goapi.poweroffice.net', v1Demo: '/api-demo.poweroffice.net', v2Demo: '/goapi.poweroffice.net/Demo' } as const;
export const BASE = { v1: HOSTS.v1, v2: `${HOSTS.v2}/v2` } as const;
export const TOKEN_URL = { v1: `${HOSTS.v1}/OAuth/Token`, v2: `${HOSTS.v2}/OAuth/Token` } as const;

export const basicAuth = (i: Pick<ClientFixture['integration'], 'applicationKey' | 'clientKey'>) => `Basic ${Buffer.from(`${i.applicationKey}:${i.clientKey}`).toString('base64')}`;

/** The whole token answer of one host: v1 without the subscription key (it has none), v2 with it. */
export async function tokenResponse(t: TestSandbox, integration: ClientFixture['integration'], api: Api = 'v2'): Promise<{ access_token: string; expires_in: number; refresh_token?: string }> {
  let r = t.http.post(TOKEN_URL[api]).set('Authorization', basicAuth(integration));
  if (api === 'v2') r = r.set('Ocp-Apim-Subscription-Key', integration.subscriptionKey);
  const res = await r.type('form').send({ grant_type: 'client_credentials' });
  if (res.status !== 200) throw new Error(`token ${api} ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An access token for one API (default v2, what the unprefixed /OAuth/Token gives when the key is sent). */
export async function token(t: TestSandbox, integration: ClientFixture['integration'], api: Api = 'v2'): Promise<string> {
  return (await tokenResponse(t, integration, api)).access_token;
}

/** Which API a path belongs to: a host prefix says it, else /v2 (or /Demo/v2) is v2 and the rest v1. */
export function apiOfPath(path: string): Api {
  const p = path.toLowerCase();
  if (p.startsWith(HOSTS.v2)) return 'v2';
  if (p.startsWith(HOSTS.v1) || p.startsWith(HOSTS.v1Demo)) return 'v1';
  return /^\/(demo\/)?v2(\/|\?|$)/.test(p) ? 'v2' : 'v1';
}

/**
 * An agency caller with one token per API: each request carries the token of the API its path belongs to (and the
 * subscription key), so tests written against the unprefixed paths keep working. `v1`/`v2` call through the
 * host prefixes, relative to each API's base URL as an agency configures it (v1 `/DebtCollection`, v2 `/Customers`).
 */
export async function agency(t: TestSandbox, integration: ClientFixture['integration']) {
  const tokens = { v1: await token(t, integration, 'v1'), v2: await token(t, integration, 'v2') };
  const auth = (r: request.Test, path: string) => r.set('Authorization', `Bearer ${tokens[apiOfPath(path)]}`).set('Ocp-Apim-Subscription-Key', integration.subscriptionKey);
  const caller = (prefix: string) => ({
    get: (path: string) => auth(t.http.get(prefix + path), prefix + path),
    post: (path: string, body?: unknown) => auth(t.http.post(prefix + path), prefix + path).send(body as object),
    delete: (path: string) => auth(t.http.delete(prefix + path), prefix + path),
  });
  return { tokens, ...caller(''), v1: caller(BASE.v1), v2: caller(BASE.v2) };
}

/** The whole world as JSON text: compare before and after a refused request. */
export function worldText(t: Sandbox, clientId: string): Promise<string> {
  return t.engine.read(clientId, (w) => JSON.stringify(w));
}
