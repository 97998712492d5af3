/**
 * The fidelity ledger is complete and served: every client setting has a row, every row has evidence, the control
 * API serves the rows and contracts/FIDELITY.md is rendered from them (its drift is checked in artifacts.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { TSchema } from '@sinclair/typebox';
import { FIDELITY } from '../../contracts/fidelity.js';
import { ClientSettingsSchema } from '../../sandbox/domain/model.js';
import { testSandbox } from '../harness.js';

/** Dotted paths of every leaf of a settings schema (arrays and scalars are leaves; objects are walked). */
function leafKeys(schema: TSchema, prefix = ''): string[] {
  if (schema.type !== 'object' || !schema.properties) return [prefix];
  return Object.entries(schema.properties as Record<string, TSchema>).flatMap(([k, s]) => leafKeys(s, prefix ? `${prefix}.${k}` : k));
}

describe('the fidelity ledger', () => {
  it('has a row for every client setting (a row may cover a whole settings object by naming its parent key)', () => {
    const settings = FIDELITY.flatMap((r) => (r.setting ? [r.setting] : []));
    const leaves = leafKeys(ClientSettingsSchema);
    expect(leaves.length).toBeGreaterThan(10);
    const missing = leaves.filter((leaf) => !settings.some((s) => leaf === s || leaf.startsWith(`${s}.`)));
    expect(missing, 'settings without a fidelity row (add one to contracts/fidelity.ts)').toEqual([]);
  });

  it('fails the check above for a setting with no row (the walk sees nested keys)', () => {
    const leaves = leafKeys(ClientSettingsSchema);
    expect(leaves).toContain('v2Wire.duplicateStatus');
    expect(leaves).toContain('reminderSteps.paymentReminder.fee');
    const withoutOne = FIDELITY.filter((r) => r.setting !== 'v2Wire.duplicateStatus').flatMap((r) => (r.setting ? [r.setting] : []));
    expect(leaves.filter((leaf) => !withoutOne.some((s) => leaf === s || leaf.startsWith(`${s}.`)))).toEqual(['v2Wire.duplicateStatus']);
  });

  it('names only settings that exist (a key or a parent of keys)', () => {
    const leaves = leafKeys(ClientSettingsSchema);
    const unknown = FIDELITY.filter((r) => r.setting !== undefined && !leaves.some((leaf) => leaf === r.setting || leaf.startsWith(`${r.setting}.`)));
    expect(unknown.map((r) => `${r.id}: ${r.setting}`), 'rows naming a setting that ClientSettingsSchema lacks').toEqual([]);
  });

  it('gives every row evidence, a confidence, a default and a unique id', () => {
    const ids = FIDELITY.map((r) => r.id);
    expect(new Set(ids).size, 'duplicate ids').toBe(ids.length);
    for (const r of FIDELITY) {
      expect(r.id, JSON.stringify(r)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const key of ['vendor', 'source', 'sandboxDefault'] as const) expect(r[key]?.trim().length ?? 0, `${r.id}.${key} is empty`).toBeGreaterThan(0);
      // Evidence names a repository path, a page or a document, never just a word.
      expect(r.source, `${r.id}.source`).toMatch(/[/.]/);
      expect(['fact', 'inferred', 'unverified']).toContain(r.confidence);
      if (r.alternative !== undefined) expect(r.setting, `${r.id} has an alternative but no setting`).toBeTruthy();
    }
  });

  it('is served at GET /_sandbox/fidelity and rendered to contracts/FIDELITY.md', async () => {
    const t = await testSandbox();
    try {
      const res = await t.http.get('/_sandbox/fidelity');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(JSON.parse(JSON.stringify(FIDELITY)));
      expect(res.body.find((r: any) => r.id === 'v2-bank-journal-duplicate-status')).toMatchObject({ confidence: 'inferred', sandboxDefault: expect.stringContaining('400'), setting: 'v2Wire.duplicateStatus' });
      const spec = (await t.http.get('/openapi.json')).body;
      expect(spec.paths['/_sandbox/fidelity'].get.operationId).toBe('listFidelity');
    } finally {
      await t.close();
    }
    const page = await readFile('contracts/FIDELITY.md', 'utf8');
    for (const r of FIDELITY) expect(page, r.id).toContain(`| ${r.id} |`);
  });
});
