import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { sandboxHandlers, type SandboxHandlers } from '../../sdk/msw/index.js';
import { createAgencyClient, createSandbox, endpointsOf, NetworkError, POWEROFFICE, POWEROFFICE_DEMO } from '../../sdk/index.js';

let sandbox: SandboxHandlers;
let server: ReturnType<typeof setupServer>;

beforeAll(async () => {
  sandbox = await sandboxHandlers({ strict: true, validateResponses: true });
  server = setupServer(...sandbox.handlers);
  server.listen({ onUnhandledRequest: 'error' });
});
afterAll(async () => {
  server.close();
  await sandbox.close();
});

describe('msw mode: the sandbox in-process, no port, no process', () => {
  it('answers the control API and the agency API through plain fetch', async () => {
    const control = createSandbox({ baseUrl: sandbox.baseUrl });
    const client = await control.clients.create({ name: 'msw AS', startDate: '2026-01-05' });
    const customer = await client.customers.create({ name: 'Ola AS' });
    const inv = await client.invoices.create({ customerId: customer.id, amount: 1200, invoiceDate: '2025-12-22', dueDate: '2026-01-05' });
    await client.clock.advance({ days: 14 });
    await client.collection.approve({ invoiceIds: [inv.id] });

    const agency = createAgencyClient({ ...endpointsOf(client.view) });
    const available = await agency.debtCollection.availableInvoices();
    expect(available.data.map((i) => i.id)).toEqual([inv.id]);
    const kase = await agency.debtCollection.createCase({ code: 'MSW-1', invoices: [inv.id] });
    expect(kase.invoices).toHaveLength(1);
    const pdf = await agency.debtCollection.invoicePdf(inv.id);
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-');
    expect((await client.collection.lists()).open[0]?.code).toBe('MSW-1');
  });

  it('answers the vendor hosts too: an agency configured with the production or demo URLs reaches the sandbox unchanged', async () => {
    const control = createSandbox({ baseUrl: sandbox.baseUrl });
    const client = await control.clients.create({ name: 'msw vendor hosts AS', startDate: '2026-01-05' });
    await client.customers.create({ name: 'Kari AS' });
    const { endpoints, ...keys } = endpointsOf(client.view);
    expect(endpoints.v1.baseUrl).toBe(`${sandbox.baseUrl}/api.poweroffice.net`);
    for (const urls of [POWEROFFICE, POWEROFFICE_DEMO, endpoints]) {
      const agency = createAgencyClient({ endpoints: urls, ...keys });
      expect(await agency.debtCollection.isActive()).toBe(true);
      expect((await agency.v2.customers()).map((c) => c.Name)).toEqual(['Kari AS']);
    }
    const hosts = new Set((await client.requests()).filter((r) => r.face !== 'control').map((r) => r.host));
    expect([...hosts].sort()).toEqual(['api-demo.poweroffice.net', 'api.poweroffice.net', 'goapi.poweroffice.net']);
  });

  it('is the same engine as the server: the raw HTTP answers match, and faults work', async () => {
    const res = await fetch(`${sandbox.baseUrl}/DebtCollection/IsActiveDebtCollection`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ Message: 'Authorization has been denied for this request.' });
    const control = createSandbox({ baseUrl: sandbox.baseUrl });
    const client = await control.clients.create({ name: 'faults' });
    await client.faults.add({ match: { operationId: 'isActiveDebtCollection' }, effect: { drop: true }, count: 5 });
    const agency = createAgencyClient({ ...endpointsOf(client.view), retry: { maxRetries: 1 }, sleep: async () => undefined });
    await expect(agency.debtCollection.isActive()).rejects.toBeInstanceOf(NetworkError);
  });
});
