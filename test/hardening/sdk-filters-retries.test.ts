/**
 * Issue 10 items 13 and 14: odataFilter's text is sent encoded once (values with spaces, æøå, &, @, ' are found),
 * a Retry-After given as an HTTP date is honoured (not NaN, not "at once"), and retry waits carry jitter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../sandbox/server.js';
import { createAgencyClient, createSandbox, endpointsOf, odataFilter, type DebtCollectionCase } from '../../sdk/index.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ memory: true, port: 0, strict: true, rateLimits: false });
});
afterAll(() => server.close());

async function world(invoices: number, agencyOptions: Record<string, unknown> = {}) {
  const control = createSandbox({ baseUrl: server.url });
  const client = await control.clients.create({ name: 'Filter AS', startDate: '2026-01-05' });
  const customer = await client.customers.create({ name: 'Ola AS', mailAddress: { addressLine1: 'Gata 1', zipCode: '0150', city: 'Oslo', countryCode: 'NO' } });
  const ids: string[] = [];
  for (let i = 0; i < invoices; i++) ids.push((await client.invoices.create({ customerId: customer.id, amount: 1000 + i, invoiceDate: '2025-12-01', dueDate: '2025-12-15' })).id);
  await client.collection.approve({ all: true });
  const agency = createAgencyClient({ ...endpointsOf(client.view), ...agencyOptions });
  return { client, agency, ids };
}

describe('odataFilter values reach the server as written', () => {
  const names = ['K 1001', 'Blåbær & Søn', 'post@firma.no', "O'Brien", 'Ærlig Øl Å/S 100%', 'a+b=c?d#e'];

  it('builds a filter text with the value itself, not percent-escapes', () => {
    expect(odataFilter<any>({ code: { eq: 'K 1001' } })).toBe("Code eq 'K 1001'");
    expect(odataFilter<any>({ code: { eq: "O'Brien" } })).toBe("Code eq 'O''Brien'");
  });

  it('finds each case by its code through the agency client', async () => {
    const { agency, ids } = await world(names.length);
    for (const [i, code] of names.entries()) await agency.debtCollection.createCase({ code, invoices: [ids[i]!] });
    for (const code of names) {
      const found = await agency.debtCollection.cases({ $filter: odataFilter<DebtCollectionCase>({ code: { eq: code } }) });
      expect(found.data.map((c) => c.code), code).toEqual([code]);
    }
  });
});

describe('retry waits', () => {
  const NOW = Date.UTC(2026, 0, 5, 8, 0, 0);

  /** A transport that rewrites the 429's Retry-After as a proxy or the real APIM might send it. */
  const retryAfterAs = (value: (now: number) => string) => async (input: string | URL | Request, init?: RequestInit) => {
    const res = await fetch(input, init);
    if (res.status !== 429) return res;
    const headers = new Headers(res.headers);
    headers.set('retry-after', value(NOW));
    return new Response(await res.arrayBuffer(), { status: res.status, headers });
  };

  it('honours Retry-After as an HTTP date (3 s ahead is a 3 s wait, plus jitter, never less)', async () => {
    const waits: number[] = [];
    const { client, agency } = await world(1, {
      fetch: retryAfterAs((now) => new Date(now + 3000).toUTCString()),
      now: () => NOW,
      sleep: async (ms: number) => void waits.push(ms),
      random: () => 0.5,
    });
    await client.faults.add({ match: { operationId: 'getAvailableInvoices' }, effect: { status: 429 }, count: 1 });
    expect((await agency.debtCollection.availableInvoices()).count).toBe(1);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(3000);
    expect(waits[0]).toBeLessThanOrEqual(3600);
  });

  it('a date already past retries at once; an unreadable Retry-After waits the default second', async () => {
    for (const [header, min, max] of [[(now: number) => new Date(now - 5000).toUTCString(), 0, 200], [() => 'soon', 1000, 1200]] as const) {
      const waits: number[] = [];
      const { client, agency } = await world(1, { fetch: retryAfterAs(header), now: () => NOW, sleep: async (ms: number) => void waits.push(ms), random: () => 0.99 });
      await client.faults.add({ match: { operationId: 'getAvailableInvoices' }, effect: { status: 429 }, count: 1 });
      await agency.debtCollection.availableInvoices();
      expect(Number.isNaN(waits[0])).toBe(false);
      expect(waits[0]).toBeGreaterThanOrEqual(min);
      expect(waits[0]).toBeLessThanOrEqual(max);
    }
  });

  it('two clients told the same Retry-After do not retry in lock step', async () => {
    const waitsOf = async (r: number) => {
      const waits: number[] = [];
      const { client, agency } = await world(1, { sleep: async (ms: number) => void waits.push(ms), random: () => r });
      await client.faults.add({ match: { operationId: 'getAvailableInvoices' }, effect: { status: 429 }, count: 1 });
      await agency.debtCollection.availableInvoices();
      return waits[0]!;
    };
    const [a, b] = [await waitsOf(0.1), await waitsOf(0.9)];
    expect(a).toBeGreaterThanOrEqual(1000);
    expect(b).toBeGreaterThan(a);
  });

  it('back-off without Retry-After is jittered between half and the whole step', async () => {
    const waits: number[] = [];
    const { client, agency } = await world(1, { sleep: async (ms: number) => void waits.push(ms), random: () => 0 });
    await client.faults.add({ match: { operationId: 'getAvailableInvoices' }, effect: { status: 502 }, count: 2 });
    await agency.debtCollection.availableInvoices();
    expect(waits).toEqual([100, 200]);
  });

  it('jitter is on by default (Math.random)', async () => {
    const seen = new Set<number>();
    for (let i = 0; i < 3; i++) {
      const waits: number[] = [];
      const { client, agency } = await world(1, { sleep: async (ms: number) => void waits.push(ms) });
      await client.faults.add({ match: { operationId: 'getAvailableInvoices' }, effect: { status: 502 }, count: 1 });
      await agency.debtCollection.availableInvoices();
      seen.add(waits[0]!);
    }
    expect(seen.size).toBeGreaterThan(1);
  });
});
