/** Issue 10 item 8: a body that is not valid UTF-8 is refused with 400 naming the byte offset, nothing stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agency, newClient, testSandbox, worldText, type TestSandbox } from '../harness.js';

function bytes(...parts: Array<string | number[]>): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
}

describe('invalid UTF-8 in a body', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await testSandbox();
  });
  afterAll(() => t.close());

  it.each([
    ['a lone 0xFF', [0xff]],
    ['a truncated two-byte sequence', [0xc3]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['a UTF-16 surrogate encoded as UTF-8', [0xed, 0xa0, 0x80]],
  ])('%s is a 400 naming the byte offset on the control API; nothing is created', async (_name, bad) => {
    const prefix = '{"name":"Bad ';
    const body = bytes(prefix, bad, ' AS","startDate":"2026-01-05"}');
    const before = (await t.http.get('/_sandbox/clients')).body.clients.length;
    const res = await t.http.post('/_sandbox/clients').set('content-type', 'application/json').serialize((b: unknown) => b as string).send(body);
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain(`not valid UTF-8 at byte ${Buffer.byteLength(prefix)}`);
    expect((await t.http.get('/_sandbox/clients')).body.clients.length).toBe(before);
  });

  it('valid multi-byte text (æøå, Sámi letters, emoji) still passes', async () => {
    const res = await t.http.post('/_sandbox/clients').set('content-type', 'application/json').serialize((b: unknown) => b as string).send(bytes('{"name":"Čoavddaš Ŋuolla æøå 🧾 AS","startDate":"2026-01-05"}'));
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Čoavddaš Ŋuolla æøå 🧾 AS');
  });

  it('is refused in the v1 format on the agency face, the world unchanged', async () => {
    const c = await newClient(t);
    const a = await agency(t, c.integration);
    const before = await worldText(t, c.id);
    const res = await a.post('/DebtCollection/UpdateStatus').set('content-type', 'application/json').serialize((b: unknown) => b as string).send(bytes('{"ids":["', [0xe2, 0x82], '"]}'));
    expect(res.status).toBe(200); // v1 refuses the vendor's way: HTTP 200, success false
    expect(res.body.success).toBe(false);
    expect(JSON.stringify(res.body)).toContain('not valid UTF-8 at byte 9');
    expect(await worldText(t, c.id)).toBe(before);
  });
});

describe('firstInvalidUtf8', () => {
  it('agrees with a fatal TextDecoder on any bytes, and points at a byte the decoder stops at', async () => {
    const fc = await import('fast-check');
    const { firstInvalidUtf8 } = await import('../../sandbox/http/core/utf8.js');
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 8 }), (noise, text) => {
        const bytes = new Uint8Array([...Buffer.from(text, 'utf8'), ...noise]);
        const at = firstInvalidUtf8(bytes);
        let valid = true;
        try {
          strict.decode(bytes);
        } catch {
          valid = false;
        }
        expect(at === undefined).toBe(valid);
        // Everything before the offset decodes cleanly.
        if (at !== undefined) strict.decode(bytes.subarray(0, at));
      }),
      { numRuns: 2000 },
    );
  });
});
