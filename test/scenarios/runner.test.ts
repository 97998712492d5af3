import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, ScenarioFileError } from '../../sandbox/scenarios/load.js';
import { createSandbox, type Sandbox } from '../../sandbox/server.js';
import type { ScenarioService } from '../../sandbox/scenarios/service.js';
import request from 'supertest';

const HEADER = `name: t
title: test
description: a test scenario
start: 2026-01-05
customers:
  - { ref: ola, name: Ola AS, mailAddress: { addressLine1: Gata 1, zipCode: "0155", city: Oslo, countryCode: NO } }
invoices:
  - { ref: INV-1, customer: ola, amount: 1000, invoiceDate: -14d, due: 0d }
`;

function problemsOf(text: string) {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFileError);
    return (e as ScenarioFileError).problems;
  }
  throw new Error('expected the file to be refused');
}

describe('a bad scenario file is refused before anything runs, with the position and reason', () => {
  it('names an unknown field with its line and column', () => {
    const problems = problemsOf(`${HEADER}timeline:\n  - at: +14d\n  - aprove: [INV-1]\n`);
    expect(problems).toContainEqual(expect.objectContaining({ path: 'timeline[1].aprove', line: 11, message: "is not a known field; did you mean 'approve'?" }));
  });

  it('refuses an impossible date', () => {
    const problems = problemsOf(`${HEADER}timeline:\n  - at: 2026-02-30\n`);
    expect(problems).toContainEqual(expect.objectContaining({ path: 'timeline[0].at', line: 10, message: "'2026-02-30' is not a real date" }));
  });

  it('refuses a step for an unknown invoice', () => {
    const problems = problemsOf(`${HEADER}timeline:\n  - approve: [INV-9]\n`);
    expect(problems).toContainEqual(expect.objectContaining({ path: 'timeline[0].approve[0]', line: 10, message: "unknown invoice 'INV-9' (known: INV-1)" }));
  });

  it('refuses a clock that goes back', () => {
    const problems = problemsOf(`${HEADER}timeline:\n  - at: +14d\n  - at: +3d\n`);
    expect(problems).toContainEqual(expect.objectContaining({ path: 'timeline[1].at', line: 11, message: expect.stringContaining('moves the clock back to 2026-01-08T08:00') }));
  });

  it('refuses two actions in one step, and a step that does nothing', () => {
    const problems = problemsOf(`${HEADER}timeline:\n  - { at: +14d, approve: [INV-1] }\n  - note: nothing\n`);
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('does at and approve; a step does one thing'), expect.stringContaining('does nothing')]);
  });

  it('reports YAML syntax errors with their position', () => {
    const problems = problemsOf(`${HEADER}timeline:\n  - at: [+14d\n`);
    expect(problems[0]).toMatchObject({ path: '(file)', line: 11, message: expect.stringContaining('Flow sequence') });
  });

  it('accepts a good file', () => {
    const s = parseScenario(`${HEADER}timeline:\n  - at: +14d\n    expect: [invoice INV-1 is Draft]\n`, 'good.yaml');
    expect(s.timeline).toHaveLength(1);
  });
});

const PLAYED = `${HEADER}settings:
  reminderSteps: { paymentReminder: { enabled: true }, collectionNotice: { enabled: true } }
timeline:
  - { id: purring, at: +14d, expect: [{ invoice: INV-1, reminders: 1 }] }
  - { at: +29d, expect: [{ invoice: INV-1, reminders: 2 }] }
  - { id: draft-day, at: +44d, expect: [invoice INV-1 is Draft] }
  - { approve: [INV-1], expect: [invoice INV-1 is Approved] }
  - { agency: { createCase: { ref: K1, code: K-1, invoices: [INV-1] } }, expect: [{ invoice: INV-1, remindersReversed: true }] }
  - { payment: { invoice: INV-1, amount: 400 }, expect: [invoice INV-1 open amount is 600] }
  - { writeOff: { invoices: [INV-1] }, expect: [{ matchedItems: INV-1, count: 2, writeOffs: 1 }] }
  - { agency: { updateStatus: { case: K1, statusText: Avsluttet, isCaseClosed: true, balanceAgency: 0 } }, expect: [case K1 is Closed, ledger balances] }
`;

const FAILING = `${HEADER}timeline:
  - { at: +13d, expect: [invoice INV-1 is Draft] }
`;

describe('playing scenarios in a sandbox', () => {
  let dir: string;
  let sandbox: Sandbox;
  let service: ScenarioService;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scenarios-'));
    await writeFile(join(dir, 'played.yaml'), PLAYED.replace('name: t', 'name: played'));
    await writeFile(join(dir, 'failing.yaml'), FAILING.replace('name: t', 'name: failing'));
    sandbox = await createSandbox({ memory: true, strict: true, validateResponses: true, scenarioDir: dir });
    service = sandbox.services.scenarios as ScenarioService;
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the catalogue with descriptions', async () => {
    const res = await request(sandbox.app).get('/_sandbox/scenarios');
    expect(res.status).toBe(200);
    expect(res.body.scenarios.map((s: any) => s.name).sort()).toEqual(['failing', 'played']);
    expect(res.body.scenarios[0]).toMatchObject({ title: 'test', description: 'a test scenario', steps: expect.any(Number) });
  });

  it('says which step failed, what was expected and what the world holds instead', async () => {
    const client = await request(sandbox.app).post('/_sandbox/clients').send({ scenario: 'failing' });
    expect(client.status).toBe(201);
    const res = await request(sandbox.app).post(`/_sandbox/clients/${client.body.id}/scenarios/failing/run`).send({});
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.failure).toContain('step 1 of 1 (at +13d -> expect invoice INV-1 is Draft)');
    expect(res.body.failure).toContain('expected invoice INV-1 (10001) to have status "Draft", but the world holds status "None"');
    expect(res.body.failure).toContain('becomes a draft on 2026-01-19');
  });

  it('plays stepwise: until a step, then a number of steps, then the rest; the agency acts in between', async () => {
    const created = await request(sandbox.app).post('/_sandbox/clients').send({ scenario: 'played' });
    const id = created.body.id;
    const first = await request(sandbox.app).post(`/_sandbox/clients/${id}/scenarios/played/run`).send({ until: 'draft-day' });
    expect(first.body).toMatchObject({ ok: true, finished: false, nextStep: 2, nextStepLabel: expect.stringContaining('[draft-day] at +44d') });
    expect(first.body.steps.map((s: any) => s.index)).toEqual([0, 1]);

    // Between steps, an integration of our own could act; here the user looks at the client's state.
    const inv = await request(sandbox.app).get(`/_sandbox/clients/${id}/invoices`);
    expect(inv.body.invoices[0]).toMatchObject({ status: 'None', nextAction: 'Inkasso', nextActionDate: '2026-02-18' });

    const one = await request(sandbox.app).post(`/_sandbox/clients/${id}/scenarios/played/run`).send({ steps: 1 });
    expect(one.body).toMatchObject({ ok: true, nextStep: 3 });
    const rest = await request(sandbox.app).post(`/_sandbox/clients/${id}/scenarios/played/run`).send({});
    expect(rest.body).toMatchObject({ ok: true, finished: true, nextStep: null, failure: null });
    expect(rest.body.steps).toHaveLength(5);
  });

  it('replays identically from a snapshot: same events, same times, same ids', async () => {
    const created = await request(sandbox.app).post('/_sandbox/clients').send({ scenario: 'played' });
    const id = created.body.id;
    const http = request(sandbox.app);
    await http.post(`/_sandbox/clients/${id}/scenarios/played/run`).send({ until: 'draft-day' });
    expect((await http.post(`/_sandbox/clients/${id}/snapshots`).send({ name: 'before-draft' })).status).toBe(201);
    const mark = (await http.get(`/_sandbox/clients/${id}/events`)).body.lastSeq;

    const firstRun = await service.run(id, 'played', {});
    expect(firstRun.failure).toBeNull();
    const journalA = (await http.get(`/_sandbox/clients/${id}/events`).query({ since: mark })).body.events;
    expect(journalA.length).toBeGreaterThan(8);

    const restored = await http.post(`/_sandbox/clients/${id}/snapshots/before-draft/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.today).toBe('2026-02-03');
    expect((await http.get(`/_sandbox/clients/${id}/events`)).body.lastSeq).toBe(mark);

    const secondRun = await service.run(id, 'played', {});
    expect(secondRun.failure).toBeNull();
    const journalB = (await http.get(`/_sandbox/clients/${id}/events`).query({ since: mark })).body.events;
    expect(journalB).toEqual(journalA);
  });

  it('refuses to run an unknown scenario and leaves the client as it was', async () => {
    const created = await request(sandbox.app).post('/_sandbox/clients').send({ name: 'x' });
    const before = await sandbox.engine.read(created.body.id, (w) => JSON.stringify(w));
    const res = await request(sandbox.app).post(`/_sandbox/clients/${created.body.id}/scenarios/nope/run`).send({});
    expect(res.status).toBe(404);
    expect(res.body.errors).toHaveProperty('name');
    expect(await sandbox.engine.read(created.body.id, (w) => JSON.stringify(w))).toBe(before);
    const unknown = await request(sandbox.app).post('/_sandbox/clients').send({ scenario: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toHaveProperty('scenario');
  });
});

describe('a scenario sent with the run request (not in the catalogue)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox({ memory: true, strict: true, validateResponses: true });
  });
  afterAll(() => sandbox.close());

  it('plays it stepwise on a client, continuing where it stopped, as a catalogue one', async () => {
    const scenario = parseScenario(PLAYED.replace('name: t', 'name: inline'), 'inline.yaml');
    const created = await request(sandbox.app).post('/_sandbox/clients').send({ name: 'inline', startDate: '2026-01-05' });
    const run = (body: object) => request(sandbox.app).post(`/_sandbox/clients/${created.body.id}/scenarios/inline/run`).send({ ...body, scenario });
    const first = await run({ until: 'draft-day' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, finished: false, nextStep: 2 });
    const rest = await run({});
    expect(rest.body).toMatchObject({ ok: true, finished: true, failure: null });
    expect(rest.body.steps).toHaveLength(6);
  });

  it('refuses one whose name is not the one in the path, or that makes no sense, before anything runs', async () => {
    const created = await request(sandbox.app).post('/_sandbox/clients').send({ name: 'inline' });
    const before = await sandbox.engine.read(created.body.id, (w) => JSON.stringify(w));
    const scenario = parseScenario(FAILING.replace('name: t', 'name: inline'), 'inline.yaml');
    const wrongName = await request(sandbox.app).post(`/_sandbox/clients/${created.body.id}/scenarios/other/run`).send({ scenario });
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.errors).toHaveProperty(['scenario.name']);
    const unknownRef = { ...scenario, timeline: [{ approve: ['INV-9'] }] };
    const senseless = await request(sandbox.app).post(`/_sandbox/clients/${created.body.id}/scenarios/inline/run`).send({ scenario: unknownRef });
    expect(senseless.status).toBe(400);
    expect(senseless.body.detail).toContain("timeline[0].approve[0]: unknown invoice 'INV-9'");
    expect(await sandbox.engine.read(created.body.id, (w) => JSON.stringify(w))).toBe(before);
  });
});

describe('the loader follows advance steps too', () => {
  it('refuses an `at` that lands behind a clock moved by advance', () => {
    const problems = problemsOf(`${HEADER}timeline:\n  - advance: { days: 20 }\n  - at: +14d\n`);
    expect(problems).toContainEqual(expect.objectContaining({ path: 'timeline[1].at', message: expect.stringContaining('it is at 2026-01-25T08:00 by then') }));
  });
});
