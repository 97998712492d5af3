/**
 * The SDK takes every path from the route table (contracts/routes.ts): no path is written by hand in sdk/, and every
 * route the server mounts for the agency and control faces is in the table with the same method and path.
 */
import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROUTES, apiPathOf, pathOf } from '../../contracts/routes.js';
import { allRoutes } from '../../sandbox/http/routes.js';

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** String and template literals of a TypeScript source, comments left out. */
function literals(source: string): string[] {
  const found: string[] = [];
  const re = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
  for (const m of source.matchAll(re)) if (!m[0].startsWith('/')) found.push(m[0].slice(1, -1));
  return found;
}

/** A slash that starts a path segment (not the // of a scheme): '/DebtCollection', `/v2/${x}`, '/_sandbox'. */
const PATH = /(^|[}\s])\/[A-Za-z_{][\w{}.-]*/;

describe('the route table', () => {
  it('is the only place sdk/ takes a path from', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles('sdk')) {
      for (const text of literals(await readFile(file, 'utf8'))) if (PATH.test(text)) offenders.push(`${file}: ${JSON.stringify(text)}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the check itself spots a hand-written path', () => {
    const hits = literals("const a = '/DebtCollection'; const b = `/_sandbox/clients/${id}`; // '/commented'\nconst c = 'https://x.test';")
      .filter((t) => PATH.test(t));
    expect(hits).toEqual(['/DebtCollection', '/_sandbox/clients/${id}']);
  });

  it('names every agency and control operation the server mounts, with its method and path', () => {
    const mounted = allRoutes().filter((op) => op.face !== 'meta' && !op.path.startsWith('/_sandbox/inspector'));
    const table = ROUTES as Record<string, { method: string; path: string; face: string }>;
    for (const op of mounted) expect(table[op.operationId], op.operationId).toMatchObject({ method: op.method, path: op.path, face: op.face });
  });

  it('fills parameters URL-encoded, and gives v2 paths relative to the v2 base URL', () => {
    expect(pathOf(ROUTES.getInvoice, { clientId: 'a b', invoiceId: 'x/y' })).toBe('/_sandbox/clients/a%20b/invoices/x%2Fy');
    expect(apiPathOf(ROUTES.v2GetCustomer, { id: 7 })).toBe('/Customers/7');
    expect(apiPathOf(ROUTES.getCase, { id: 'c' })).toBe('/DebtCollection/c');
    expect(() => pathOf(ROUTES.getCase, {})).toThrow(/needs id/);
  });
});
