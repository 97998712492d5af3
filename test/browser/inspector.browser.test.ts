/**
 * The inspector in a real browser: Debian's Chromium driven by playwright-core against a real server on a port.
 * Create a client from a scenario on the start page, move the clock in the page, approve the draft by click,
 * advance a week by keyboard, and watch the timeline and the journal follow calls made outside the page.
 * Then /docs renders the operations of both agency hosts and the control API, and /health answers.
 * Set UPDATE_SCREENSHOT=1 to refresh docs/inspector.png for the README.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../sandbox/server.js';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
const chromiumPath = CANDIDATES.find((p) => existsSync(p));
// A loaded machine renders Swagger UI's 70 operations slowly: generous limits, never tight ones.
vi.setConfig({ testTimeout: 600_000 });
if (!chromiumPath) console.warn(`browser tests skipped: no Chromium at ${CANDIDATES.join(' or ')} (apt-get install -y chromium)`);

describe.skipIf(!chromiumPath)('the inspector in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let clientId: string;
  /** Every URL the pages asked for: all must stay on the sandbox (no CDN, no telemetry). */
  const requested: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inspector-'));
    server = await startServer({ memory: true, port: 0, host: '127.0.0.1', rateLimits: false, validateResponses: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath!,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-default-apps', '--no-first-run', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(120_000);
    page.on('request', (r) => requested.push(r.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('creates a client from a scenario on the start page', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    await page.locator('#new-name').fill('Browser AS');
    await page.locator('#new-scenario').selectOption('overdue-no-reminders');
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.waitForURL(/\/clients\/[^/]+$/);
    clientId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    await expect.poll(() => page.locator('#today').textContent()).toBe('2026-01-05');
    expect((await control('GET', `/_sandbox/clients/${clientId}`)).body.name).toBe('Browser AS');
  });

  it('advances the clock to the draft day in the page and shows the invoice in Draft', async () => {
    await page.locator('#advance-to').fill('2026-01-19');
    await page.locator('#advance-to').press('Enter');
    await expect.poll(() => page.locator('#today').textContent()).toBe('2026-01-19');
    await page.locator('#tab-draft').click();
    await expect.poll(() => page.locator('#tab-panel tbody tr').count()).toBe(1);
    await expect.poll(() => page.locator('#timeline-list > li').first().textContent()).toContain('invoice.drafted');
  });

  it('approves the draft by click: it moves to Approved and the call is in the journal', async () => {
    const row = page.locator('#tab-panel tbody tr').first();
    const invoiceNo = (await row.locator('button.linklike').textContent())!.slice(1);
    await row.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect.poll(() => page.locator('#flash').textContent()).toContain(`Approved 1 invoice: #${invoiceNo}`);
    await expect.poll(() => page.locator('#tab-draft .count').textContent()).toBe('0');
    await expect.poll(() => page.locator('#tab-approved .count').textContent()).toBe('1');
    await page.keyboard.press('3'); // the Approved tab, by key
    await expect.poll(() => page.locator('#tab-panel tbody').textContent()).toContain(`#${invoiceNo}`);
    const journalTop = page.locator('#journal-list tbody tr').first();
    await expect.poll(() => journalTop.textContent()).toContain(`/_sandbox/clients/${clientId}/collection/approve`);
    expect(await journalTop.locator('.status').textContent()).toBe('200');
    const approved = (await control('GET', `/_sandbox/clients/${clientId}/collection`)).body.approved;
    expect(approved.map((e: any) => String(e.invoice.invoiceNo))).toEqual([invoiceNo]);
  });

  it('opens the invoice: explain text, vouchers and matched items', async () => {
    await page.locator('#tab-panel tbody button.linklike').first().click();
    await expect.poll(() => page.locator('#explain-summary').textContent()).toMatch(/^Invoice \d+ is Approved/);
    expect(await page.locator('#invoice details.voucher').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#invoice').textContent()).toContain('Matched items');
  });

  it('advances a week by keyboard; the timeline shows what the week caused', async () => {
    await page.locator('body').click({ position: { x: 5, y: 200 } }); // focus off any input
    const before = await page.locator('#timeline-list > li').count();
    await page.keyboard.press('w');
    await expect.poll(() => page.locator('#today').textContent()).toBe('2026-01-26');
    const top = page.locator('#timeline-list > li').first();
    await expect.poll(() => top.textContent()).toContain('Clock to 2026-01-26 08:00');
    expect(await top.textContent()).toContain('from 2026-01-19 08:00');
    expect(await page.locator('#timeline-list > li').count()).toBeGreaterThan(before);
    expect(await page.locator('#flash').textContent()).toMatch(/^Advanced a week: today is 2026-01-26/);
  });

  it('follows calls made outside the page without a reload: the clock, the journal, its bodies', async () => {
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    const client = (await control('GET', `/_sandbox/clients/${clientId}`)).body;
    const integration = client.integrations[0];
    // An agency's calls: a token, then the approved invoices.
    const tokenRes = await fetch(`${server.url}/OAuth/Token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${integration.applicationKey}:${integration.clientKey}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const listed = await fetch(`${server.url}/DebtCollection/Invoices/AvailableInvoices`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(listed.status).toBe(200);
    const listedBody = await listed.json();
    // A call the vendor would answer differently: it carries a portability warning.
    const warned = await fetch(`${server.url}/DebtCollection?top=5`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(warned.status).toBe(200);
    await control('POST', `/_sandbox/clients/${clientId}/clock/advance`, { days: 1 });

    await expect.poll(() => page.locator('#today').textContent()).toBe('2026-01-27');
    await page.locator('#journal-face').selectOption('agency');
    const agencyRow = page.locator('#journal-list tbody tr', { hasText: '/DebtCollection/Invoices/AvailableInvoices' });
    await expect.poll(() => agencyRow.count()).toBe(1);
    expect(await agencyRow.textContent()).toContain(integration.name);
    const warnedRow = page.locator('#journal-list tbody tr', { hasText: '/DebtCollection?top=5' });
    await expect.poll(() => warnedRow.locator('.warnings').textContent()).toContain('unknown-query-parameter');
    await agencyRow.locator('button.linklike').click();
    await expect.poll(() => page.locator('#response-body-text').textContent()).toBe(JSON.stringify(listedBody, null, 2));
    await page.keyboard.press('Escape');
    expect(navigations).toEqual([]);

    // Filters: a path that matches nothing, then status.
    await page.locator('#journal-face').selectOption('all');
    await page.locator('#journal-path').fill('no-such-path');
    await expect.poll(() => page.locator('#journal-table').textContent()).toContain('No requests match.');
    await page.locator('#journal-path').fill('');
    await page.locator('#journal-status').selectOption('4xx');
    expect(await page.locator('#journal-list tbody tr').count()).toBe(0);
    await page.locator('#journal-status').selectOption('all');

    // A string, so it runs in the page (this file is type-checked without the DOM library).
    await page.evaluate('document.activeElement?.blur(); window.scrollTo(0, 0)');
    await page.screenshot({ path: join(dir, 'inspector.png'), fullPage: false });
    if (process.env.UPDATE_SCREENSHOT) await copyFile(join(dir, 'inspector.png'), 'docs/inspector.png');
  });

  it('saves a snapshot and restores it from the clock panel', async () => {
    await page.locator('#snapshot-name').fill('after-approve');
    await page.locator('#snapshot-name').press('Enter');
    await expect.poll(() => page.locator('#snapshots').textContent()).toContain('after-approve');
    await page.locator('#advance-day').click();
    await expect.poll(() => page.locator('#today').textContent()).toBe('2026-01-28');
    await page.locator('#snapshots').getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => page.locator('#today').textContent()).toBe('2026-01-27');
  });

  it('turns the customer flag "transfer to debt-collection agency" off by click', async () => {
    const flag = page.locator('#customers input[role=switch]').first();
    expect(await flag.isChecked()).toBe(true);
    await flag.click();
    await expect.poll(() => page.locator('#flash').textContent()).toContain('transfer to debt-collection agency off');
    const customers = (await control('GET', `/_sandbox/clients/${clientId}/customers`)).body.customers;
    expect(customers[0].transferToDebtCollectionAgency).toBe(false);
  });

  it('holds, releases and removes a selection, overrides the next action, and approves all', async () => {
    const created = await control('POST', '/_sandbox/clients', { id: 'menu-clicks', name: 'Menu AS', startDate: '2026-01-05' });
    expect(created.status).toBe(201);
    const base = '/_sandbox/clients/menu-clicks';
    const customer = (await control('POST', `${base}/customers`, { name: 'Kari AS', mailAddress: { addressLine1: 'Gata 2', zipCode: '0150', city: 'Oslo', countryCode: 'NO' } })).body;
    for (const amount of [1000, 2000, 3000]) await control('POST', `${base}/invoices`, { customerId: customer.id, amount, invoiceDate: '2025-12-22', dueDate: '2026-01-05' });
    await control('POST', `${base}/clock/advance`, { days: 14 });

    await page.goto(`${server.url}/clients/menu-clicks`);
    await page.locator('#today').waitFor();
    await page.keyboard.press('2');
    const rows = page.locator('#tab-panel tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await rows.nth(0).getByRole('checkbox').check();
    await rows.nth(1).getByRole('checkbox').check();
    await page.locator('#hold-selected').click();
    await expect.poll(() => page.locator('#flash').textContent()).toMatch(/^Put on hold 2 invoices/);
    await expect.poll(() => page.locator('#tab-panel tbody tr.held').count()).toBe(2);
    expect(await page.locator('#hold-selected').isDisabled()).toBe(true); // the selection was used up

    // Releasing one that is not held is refused, as in Go: the page says why and nothing changes.
    await page.locator('#tab-panel thead').getByRole('checkbox').check(); // all three
    await page.locator('#release-selected').click();
    await expect.poll(() => page.locator('#flash').textContent()).toMatch(/failed: 409 /);
    expect(await page.locator('#tab-panel tbody tr.held').count()).toBe(2);
    await page.locator('#tab-panel thead').getByRole('checkbox').uncheck();
    for (const row of await page.locator('#tab-panel tbody tr.held').all()) await row.getByRole('checkbox').check();
    await page.locator('#release-selected').click();
    await expect.poll(() => page.locator('#flash').textContent()).toMatch(/^Released 2 invoices/);
    await expect.poll(() => page.locator('#tab-panel tbody tr.held').count()).toBe(0);

    await rows.nth(2).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.locator('#tab-draft .count').textContent()).toBe('2');
    await page.keyboard.press('1'); // the reminder list
    const reminder = page.locator('#tab-panel tbody tr');
    await expect.poll(() => reminder.count()).toBe(1);
    expect(await reminder.locator('.tag').textContent()).toBe('None');
    await reminder.getByRole('combobox').selectOption('Inkasso');
    await reminder.getByRole('button', { name: 'Override' }).click();
    await expect.poll(() => page.locator('#tab-draft .count').textContent()).toBe('3');

    await page.keyboard.press('2');
    await page.locator('#approve-all').click();
    await expect.poll(() => page.locator('#tab-approved .count').textContent()).toBe('3');
    const approved = (await control('GET', `${base}/collection`)).body;
    expect(approved.approved).toHaveLength(3);
    expect(approved.draft).toHaveLength(0);
  });

  it('renders /docs from our openapi.json with operations of both agency hosts and the control API', async () => {
    const doc = (await control('GET', '/openapi.json')).body;
    const pathOf = (face: string) => Object.entries(doc.paths as Record<string, Record<string, any>>).find(([, ops]) => Object.values(ops).some((o) => o['x-face'] === face))![0];
    await page.goto(`${server.url}/docs`);
    await page.locator('.opblock').first().waitFor();
    for (const face of ['v1', 'v2', 'control']) {
      const path = pathOf(face);
      expect(await page.locator(`.opblock-summary-path[data-path="${path}"]`).count(), `${face} ${path}`).toBeGreaterThan(0);
    }
    expect(await page.locator('.opblock-summary-path[data-path="/health"]').count()).toBe(1);
    // An agency operation, tried out, offers its production host on this sandbox as its server.
    for (const [face, host] of [['v1', 'api.poweroffice.net'], ['v2', 'goapi.poweroffice.net']] as const) {
      const op = page.locator('.opblock', { has: page.locator(`.opblock-summary-path[data-path="${pathOf(face)}"]`) }).first();
      await op.locator('.opblock-summary').click();
      await op.getByRole('button', { name: 'Try it out' }).click();
      await expect.poll(async () => (await op.locator('.operation-servers option').allTextContents()).some((t) => t.startsWith(`${server.url}/${host} `))).toBe(true);
    }
  });

  it('answers /health with 200', async () => {
    const res = await page.goto(`${server.url}/health`);
    expect(res!.status()).toBe(200);
    expect(JSON.parse(await res!.text())).toMatchObject({ status: 'ok' });
  });

  it('asks for the admin token when the sandbox has one, and works with it', async () => {
    const guarded = await startServer({ memory: true, port: 0, host: '127.0.0.1', rateLimits: false, adminToken: 'browser-admin' });
    try {
      const res = await fetch(`${guarded.url}/_sandbox/clients`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sandbox-admin-token': 'browser-admin' }, body: JSON.stringify({ id: 'guarded', scenario: 'overdue-no-reminders' }) });
      expect(res.status).toBe(201);
      const guardedPage = await browser.newPage();
      await guardedPage.goto(`${guarded.url}/clients/guarded`);
      await guardedPage.locator('#token-input').waitFor({ state: 'visible' });
      await guardedPage.locator('#token-input').fill('browser-admin');
      await guardedPage.locator('#token-input').press('Enter');
      await expect.poll(() => guardedPage.locator('#today').textContent()).toBe('2026-01-05');
      expect(await guardedPage.locator('#token-form').isVisible()).toBe(false);
      await guardedPage.close();
    } finally {
      await guarded.close();
    }
  });

  it('says so when the client does not exist', async () => {
    await page.goto(`${server.url}/clients/no-such-client`);
    await expect.poll(() => page.locator('#app h1').textContent()).toBe('No such client');
  });

  it('asked for nothing outside the sandbox', () => {
    const origin = new URL(server.url).origin;
    const outside = requested.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
  });
});
