/**
 * Issue 10 item 6: $filter nesting depth and size are bounded before parsing (the parser is quadratic in them), and
 * a filter past a bound is a 400 naming the limit. Speed under the caps is measured in bench/odata-filter.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agency, newClient, testSandbox, type TestSandbox } from '../harness.js';
import { applyOData, ODATA_FILTER_LIMITS } from '../../sandbox/http/agency-v1/odata.js';

const path = '/DebtCollection/Invoices/AvailableInvoices';

describe('$filter limits', () => {
  let t: TestSandbox;
  let a: Awaited<ReturnType<typeof agency>>;
  beforeAll(async () => {
    t = await testSandbox();
    a = await agency(t, (await newClient(t)).integration);
  });
  afterAll(() => t.close());

  it('1,900 nested parentheses (under the length cap) are refused (v1: 200 success false) naming the depth limit, without parsing', async () => {
    const f = '('.repeat(1900) + 'InvoiceNo eq 1' + ')'.repeat(1900);
    expect(f.length).toBeLessThan(4000);
    const res = await a.get(path).query({ $filter: f });
    // v1 refuses the vendor's way (HTTP 200, success false); the field is named in X-Sandbox-Detail.
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(false);
    expect(JSON.parse(res.headers['x-sandbox-detail']!)).toMatchObject({ httpStatus: 400, fields: { $filter: expect.stringContaining('nests deeper') } });
    expect(res.body.validation.summary).toContain(`nests deeper than ${ODATA_FILTER_LIMITS.maxDepth} levels`);
  });

  it('too many operators are refused naming the node limit', async () => {
    const f = Array.from({ length: ODATA_FILTER_LIMITS.maxNodes }, (_, i) => `InvoiceNo eq ${i}`).join(' or ');
    const res = await a.get(path).query({ $filter: f });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(false);
    expect(res.body.validation.summary).toContain(`more than ${ODATA_FILTER_LIMITS.maxNodes} operators and function calls`);
  });

  it('nested function calls count towards the depth', () => {
    const f = 'tolower('.repeat(ODATA_FILTER_LIMITS.maxDepth + 1) + 'Code' + ')'.repeat(ODATA_FILTER_LIMITS.maxDepth + 1) + " eq 'x'";
    expect(() => applyOData([{ Code: 'x' }], { $filter: f }, 'Europe/Oslo')).toThrow(/nests deeper than/);
  });

  it('filters at the caps still work, and parentheses and operator words inside string literals do not count', () => {
    const d = ODATA_FILTER_LIMITS.maxDepth;
    const deep = '('.repeat(d) + "Code eq 'x'" + ')'.repeat(d);
    expect(applyOData([{ Code: 'x' }, { Code: 'y' }], { $filter: deep }, 'Europe/Oslo').count).toBe(1);
    const terms = Math.floor((ODATA_FILTER_LIMITS.maxNodes + 1) / 2);
    const wide = Array.from({ length: terms }, (_, i) => `Id eq ${i}`).join(' or ');
    expect(applyOData([{ Id: 3 }, { Id: 100_000 }], { $filter: wide }, 'Europe/Oslo').count).toBe(1);
    const literal = `Code eq '${'('.repeat(200)} or and eq ne'`;
    expect(applyOData([{ Code: `${'('.repeat(200)} or and eq ne` }], { $filter: literal }, 'Europe/Oslo').count).toBe(1);
    // Words that only contain an operator (Order, Android) are field names, not operators.
    expect(applyOData([{ Order: 1 }], { $filter: Array.from({ length: terms }, () => 'Order eq 1').join(' or ') }, 'Europe/Oslo').count).toBe(1);
  });
});
