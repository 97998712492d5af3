/**
 * The Pact state-change URL (POST /_sandbox/pact/state) on a real sandbox: the values it answers, which calls share
 * a client, the older `states` form, and its error answers (an unknown state named, with the closest known one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSandbox, type TestSandbox } from '../harness.js';

let t: TestSandbox;
const URL_ = '/_sandbox/pact/state';

beforeAll(async () => {
  t = await testSandbox();
});
afterAll(() => t.close());

async function setup(body: Record<string, unknown>, query = '') {
  const res = await t.http.post(`${URL_}${query}`).send({ action: 'setup', params: {}, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Record<string, any>;
}

describe('POST /_sandbox/pact/state', () => {
  it("answers the state's values and the integration's credentials, which work on the agency faces", async () => {
    const values = await setup({ state: 'an approved invoice {invoiceNo} of {amount} NOK exists', params: { invoiceNo: 10001, amount: 1250 } }, '?session=values&startDate=2026-01-05');
    expect(values).toMatchObject({ invoiceNo: 10001, amount: 1250, today: '2026-01-19', remainingAmount: 1250 });
    expect(values.invoiceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(values.v1Authorization).toBe(`Bearer ${values.v1AccessToken}`);
    expect(values.tokenAuthorization).toBe(`Basic ${Buffer.from(`${values.applicationKey}:${values.clientKey}`).toString('base64')}`);

    const v1 = await t.http.get('/DebtCollection/Invoices/AvailableInvoices').set('Authorization', values.v1Authorization);
    expect(v1.status).toBe(200);
    expect(v1.body.data.map((i: { id: string }) => i.id)).toEqual([values.invoiceId]);
    const v2 = await t.http.get(`/v2/Customers/${values.customerId}`).set('Authorization', values.v2Authorization).set('Ocp-Apim-Subscription-Key', values.subscriptionKey);
    expect(v2.status).toBe(200);
    expect(v2.body.Number).toBe(values.customerNo);
  });

  it('an interaction without a provider state (the empty name) runs in "a debt-collection integration"', async () => {
    const values = await setup({ state: '' }, '?session=empty');
    expect(values).toHaveProperty('bankAccountId');
    expect(values).toHaveProperty('v2AccessToken');
  });

  it('the states of one interaction share a client until its teardown or its request; the next interaction gets a new one', async () => {
    const q = '?session=grouping&startDate=2026-01-05';
    const first = await setup({ state: 'an approved invoice exists', params: { amount: 100 } }, q);
    const second = await setup({ state: 'an invoice 30 days overdue' }, q);
    expect(second.clientId).toBe(first.clientId);
    expect(second.invoiceId).not.toBe(first.invoiceId);
    // teardown ends the interaction (pact-js always sends it)
    expect((await t.http.post(`${URL_}${q}`).send({ state: 'an invoice 30 days overdue', params: {}, action: 'teardown' })).body).toEqual({});
    const third = await setup({ state: 'no approved invoices' }, q);
    expect(third.clientId).not.toBe(first.clientId);
    // without teardown (pact_verifier_cli's default), the interaction's request on the client ends it
    await t.http.get('/DebtCollection/Invoices/AvailableInvoices').set('Authorization', third.v1Authorization).expect(200);
    const fourth = await setup({ state: 'no approved invoices' }, q);
    expect(fourth.clientId).not.toBe(third.clientId);
  });

  it('the older `states` form sets every state up on one client; sessions keep runs apart', async () => {
    const values = await setup({ states: ['a debt-collection integration', { name: 'an approved invoice exists', params: { amount: 700 } }], state: undefined }, '?session=older');
    expect(values).toMatchObject({ amount: 700 });
    const other = await setup({ state: 'a debt-collection integration' }, '?session=older-2');
    expect(other.clientId).not.toBe(values.clientId);
    const continued = await setup({ state: 'no approved invoices' }, '?session=older');
    expect(continued.clientId).toBe(values.clientId);
  });

  it('values written inline in the state name are its parameters', async () => {
    const values = await setup({ state: 'an approved invoice 20001 of 99.5 NOK exists' }, '?session=inline');
    expect(values).toMatchObject({ invoiceNo: 20001, amount: 99.5 });
  });
});

describe('its error answers', () => {
  it('an unknown state is a 400 naming it, with the closest known state and the catalogue', async () => {
    const res = await t.http.post(URL_).send({ state: 'an aproved invoice exist', params: {}, action: 'setup' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.detail).toContain('unknown provider state:\n  "an aproved invoice exist" (did you mean "an approved invoice {invoiceNo} of {amount} NOK exists"?)');
    expect(res.body.detail).toContain('"an open case {caseCode} for an invoice of {amount} NOK"');
    expect(Object.keys(res.body.errors)).toEqual(['state']);
    // the older form names the state's place in the list
    const older = await t.http.post(URL_).send({ states: ['a debt-collection integration', 'an aproved invoice exist'], action: 'setup' });
    expect(older.status).toBe(400);
    expect(Object.keys(older.body.errors)).toEqual(['states[1]']);
  });

  it('an unknown state with nothing close is named without a guess', async () => {
    const res = await t.http.post(URL_).send({ state: 'the moon is made of cheese and the sky is green', action: 'setup' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/^unknown provider state:\n {2}"the moon is made of cheese and the sky is green"\n/);
  });

  it('a parameter of the wrong type, or one the state does not take, is a 400 saying which', async () => {
    const wrong = await t.http.post(URL_).send({ state: 'an invoice {days} days overdue', params: { days: 'thirty' }, action: 'setup' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.detail).toContain('params of "an invoice {days} days overdue": days must be integer');
    const unknown = await t.http.post(URL_).send({ states: ['a debt-collection integration', { name: 'no approved invoices', params: { colour: 'red' } }], action: 'setup' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('colour is not a parameter of this state');
  });

  it('a state that cannot be set up as asked is a 400 with the reason', async () => {
    const res = await t.http.post(URL_).send({ state: 'an open case {caseCode} with a direct payment of {amount} NOK', params: { amount: 5000, invoiceAmount: 100 }, action: 'setup' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/could not be set up on client .+: the payment \(5000 NOK\) is more than the invoice \(100 NOK\): raise invoiceAmount/);
  });

  it('a body that is not a state change is a 400 from the schema', async () => {
    const res = await t.http.post(URL_).send({ state: 42, action: 'setup' });
    expect(res.status).toBe(400);
    const bad = await t.http.post(URL_).send({ state: 'no approved invoices', action: 'prepare' });
    expect(bad.status).toBe(400);
  });

  it('is a control operation: with an admin token set it needs that token', async () => {
    const guarded = await testSandbox({ adminToken: 'pact-admin-secret' });
    try {
      expect((await guarded.http.post(URL_).send({ state: '', action: 'setup' })).status).toBe(401);
      const res = await guarded.http.post(URL_).set('X-Sandbox-Admin-Token', 'pact-admin-secret').send({ state: 'no approved invoices', action: 'setup' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.invoiceId).toBeTruthy();
    } finally {
      await guarded.close();
    }
  });
});
