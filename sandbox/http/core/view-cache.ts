/**
 * Answers to agency reads, kept serialised per world revision: an agency polling AvailableInvoices or OpenItems
 * against an unchanged world gets the bytes it got last time instead of a fresh mapping and JSON.stringify.
 * A read's answer is a function of the client's world (its revision), the caller's integration, the operation,
 * path, query and headers; everything but the token (which rotates) is in the key, so an unknown header that
 * changes an answer can cost a miss, never a wrong answer. Auth, faults, rate limits and the journal run as
 * before, on every request.
 */
import type { Operation, RequestContext, SandboxRequest, SandboxResponse } from './types.js';

/** Headers that vary per call without changing the answer. */
const IGNORED = new Set(['authorization', 'content-length', 'connection', 'keep-alive', 'x-request-id', 'traceparent', 'tracestate']);

interface Entry {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  bytes: Uint8Array;
}

export class ViewCache {
  private readonly entries = new Map<string, Entry>();
  private size = 0;

  constructor(
    readonly maxEntries = 256,
    readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** The key for a cacheable read (agency GETs with a caller), or undefined. Read before the view is made. */
  keyFor(op: Operation, req: SandboxRequest, ctx: RequestContext): string | undefined {
    if (op.method !== 'GET' || op.auth !== 'agency' || !ctx.caller) return undefined;
    const { clientId, integrationId } = ctx.caller;
    let key = `${clientId}\n${integrationId}\n${ctx.engine.revision(clientId)}\n${op.operationId}\n${req.path}\n${req.query.toString()}`;
    for (const name of Object.keys(req.headers).sort()) if (!IGNORED.has(name)) key += `\n${name}:${req.headers[name]}`;
    return key;
  }

  get(key: string): SandboxResponse | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key); // most recently used last
    this.entries.set(key, hit);
    return { status: hit.status, headers: { ...hit.headers }, body: hit.body, serialized: hit.bytes };
  }

  /** Keep a 200 JSON answer; returns it with its serialised bytes, which the transports send as they are. */
  put(key: string, res: SandboxResponse): SandboxResponse {
    if (res.status !== 200 || res.body === undefined || res.body instanceof Uint8Array || res.drop) return res;
    const bytes = Buffer.from(JSON.stringify(res.body));
    if (bytes.length <= this.maxBytes / 4) {
      const old = this.entries.get(key);
      if (old) this.size -= old.bytes.length;
      this.entries.delete(key);
      this.entries.set(key, { status: res.status, headers: { ...res.headers }, body: res.body, bytes });
      this.size += bytes.length;
      for (const [k, e] of this.entries) {
        if (this.entries.size <= this.maxEntries && this.size <= this.maxBytes) break;
        this.entries.delete(k);
        this.size -= e.bytes.length;
      }
    }
    return { ...res, serialized: bytes };
  }
}
