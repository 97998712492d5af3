/**
 * Test harness: a real sandbox (real express app through supertest, real engine, real store) with strict
 * invariant checks and response validation on, plus small helpers for the control and agency faces.
 */
import request from 'supertest';
import { createSandbox, type Sandbox, type SandboxOptions } from '../sandbox/server.js';

export interface TestSandbox extends Sandbox {
  http: ReturnType<typeof request>;
}

export async function testSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  // Rate limits off unless a test asks: suites send far more than 10 requests a second.
  const sandbox = await createSandbox({ memory: true, strict: true, validateResponses: true, rateLimits: false, ...options });
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

export async function token(t: TestSandbox, integration: ClientFixture['integration']): Promise<string> {
  const res = await t.http
    .post('/OAuth/Token')
    .set('Authorization', `Basic ${Buffer.from(`${integration.applicationKey}:${integration.clientKey}`).toString('base64')}`)
    .set('Ocp-Apim-Subscription-Key', integration.subscriptionKey)
    .type('form')
    .send({ grant_type: 'client_credentials' });
  if (res.status !== 200) throw new Error(`token ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.access_token;
}

/** An agency caller: bearer token and subscription key set on every request. */
export async function agency(t: TestSandbox, integration: ClientFixture['integration']) {
  const bearer = await token(t, integration);
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${bearer}`).set('Ocp-Apim-Subscription-Key', integration.subscriptionKey);
  return {
    token: bearer,
    get: (path: string) => auth(t.http.get(path)),
    post: (path: string, body?: unknown) => auth(t.http.post(path)).send(body as object),
    delete: (path: string) => auth(t.http.delete(path)),
  };
}

/** The whole world as JSON text: compare before and after a refused request. */
export function worldText(t: Sandbox, clientId: string): Promise<string> {
  return t.engine.read(clientId, (w) => JSON.stringify(w));
}
