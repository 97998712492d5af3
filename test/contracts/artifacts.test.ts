import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { artifacts, documentedRoutes, serialize } from '../../contracts/artifacts.js';
import { Catalogue } from '../../sandbox/scenarios/catalogue.js';
import { testSandbox } from '../harness.js';
import { parse } from 'yaml';

describe('the committed contract files are the TypeBox sources, generated (no drift)', () => {
  for (const [file, value] of Object.entries(artifacts())) {
    it(`contracts/${file} is up to date (run npm run contracts after changing a schema)`, async () => {
      expect(await readFile(`contracts/${file}`, 'utf8')).toBe(serialize(value));
    });
  }

  it('serves the same OpenAPI document at /openapi.json', async () => {
    const t = await testSandbox();
    const res = await t.http.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(await readFile('contracts/openapi.json', 'utf8')));
    await t.close();
  });
});

describe('the OpenAPI document is complete and sound', () => {
  const doc = artifacts()['openapi.json'] as any;
  const ops = documentedRoutes();

  it('has every operation once, with a unique operationId', () => {
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of ops) expect(doc.paths[op.path][op.method.toLowerCase()].operationId).toBe(op.operationId);
  });

  it('describes every path parameter, and every JSON answer with a schema', () => {
    for (const op of ops) {
      for (const name of op.path.match(/\{(\w+)\}/g) ?? []) expect(op.params?.properties, `${op.operationId} ${name}`).toHaveProperty(name.slice(1, -1));
      for (const [status, r] of Object.entries(op.responses)) {
        const hasBody = status !== '204' && !r.empty && r.contentType !== 'application/pdf' && op.operationId !== 'openApi';
        if (hasBody) expect(r.schema, `${op.operationId} ${status}`).toBeDefined();
      }
      if (['POST', 'PUT', 'PATCH'].includes(op.method) && !op.body) expect(op.operationId).toMatch(/^(restoreSnapshot|approveReceptionDraft|rejectReceptionDraft|revokeTokens|v2ReverseVoucher)$/);
    }
  });

  it('resolves every $ref and compiles every component schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    ajv.addKeyword({ keyword: 'x-nok' });
    ajv.addSchema({ $id: 'openapi.json', components: doc.components }, 'openapi.json');
    const refs = new Set<string>();
    JSON.stringify(doc, (k, v) => (k === '$ref' && refs.add(v), v));
    for (const ref of refs) expect(ref.startsWith('#/components/schemas/') && doc.components.schemas[ref.split('/').pop()!], ref).toBeTruthy();
    for (const name of Object.keys(doc.components.schemas)) expect(() => ajv.getSchema(`openapi.json#/components/schemas/${name}`)).not.toThrow();
  });
});

describe('the scenario schema file validates the catalogue on its own (for editors)', () => {
  it('accepts every catalogue scenario and refuses an unknown field', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    ajv.addKeyword({ keyword: 'x-nok' });
    const validate = ajv.compile(JSON.parse(await readFile('contracts/scenario.schema.json', 'utf8')));
    const all = await new Catalogue().all();
    expect(all.length).toBeGreaterThan(20);
    for (const { file } of all) expect(validate(parse(await readFile(file, 'utf8'))), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(validate({ ...parse(await readFile(all[0]!.file, 'utf8')), typo: 1 })).toBe(false);
  });
});
