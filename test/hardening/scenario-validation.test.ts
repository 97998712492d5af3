/**
 * Issue 10 item 21: scenario validation reports every problem in one pass (schema and references together), with
 * "did you mean" for unknown keys, and checks the status names in `expect` sentences.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioFileError } from '../../sandbox/scenarios/load.js';

const HEAD = `name: broken
title: Several problems at once
start: 2026-01-05
customers:
  - { ref: ola, name: Ola Nordmann AS, mailAddress: { addressLine1: Storgata 1, zipCode: "0155", city: Oslo, countryCode: NO } }
invoices:
  - { ref: INV-1, customer: ola, amount: 1250, invoiceDate: -14d, due: 0d }
`;

function problemsOf(yaml: string): ScenarioFileError['problems'] {
  try {
    parseScenario(yaml, 'broken.yaml');
  } catch (e) {
    if (e instanceof ScenarioFileError) return e.problems;
    throw e;
  }
  return [];
}

describe('scenario validation', () => {
  it('reports schema errors, unknown refs and bad expect sentences together, each at its line', () => {
    const problems = problemsOf(`${HEAD}timeline:
  - at: +14d
    expect: [invoice INV-1 is Drafted]
  - aprove: [INV-1]
  - approve: [INV-9]
  - advance: { days: "two" }
  - at: +20d
    expect: [case K1 is Open, invoice INV-1 is Approved]
`);
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(byPath['timeline[0].expect[0]']?.message).toMatch(/'Drafted' is not an invoice status; did you mean Draft\?/);
    expect(byPath['timeline[1].aprove']?.message).toBe("is not a known field; did you mean 'approve'?");
    expect(byPath['timeline[2].approve[0]']?.message).toMatch(/unknown invoice 'INV-9'/);
    expect(byPath['timeline[3].advance.days']?.message).toMatch(/whole number/);
    expect(byPath['timeline[4].expect[0]']?.message).toMatch(/'Open' is not a case status \(Active, Closed\)/);
    expect(byPath['timeline[0].expect[0]']?.line).toBe(10);
    expect(byPath['timeline[1].aprove']?.line).toBe(11);
    // The step with only a misspelt action is not reported a second time as "does nothing".
    expect(problems.filter((p) => p.path === 'timeline[1]')).toEqual([]);
  });

  it('suggests keys at any depth (customers, expectation objects), and nothing for a key far from every known one', () => {
    const problems = problemsOf(`name: keys
title: Keys
start: 2026-01-05
customers:
  - { ref: ola, nmae: Ola AS, mailAddress: { addressLine1: Storgata 1, zipCode: "0155", city: Oslo, countryCode: NO } }
timeline:
  - at: +1d
    xyzzy: 1
`);
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath['customers[0].nmae']).toBe("is not a known field; did you mean 'name'?");
    expect(byPath['timeline[0].xyzzy']).toBe('is not a known field');
  });

  it('every catalogue scenario still validates', async () => {
    const { Catalogue } = await import('../../sandbox/scenarios/catalogue.js');
    expect((await new Catalogue().all()).length).toBeGreaterThan(20);
  });
});
