/** The express adapter: turns an HTTP request into a SandboxRequest for the dispatcher, and back. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import type { Dispatcher } from './core/dispatcher.js';
import { faceOfPath } from './core/dispatcher.js';
import { faceError, titleOf } from './core/errors.js';
import type { SandboxRequest, SandboxResponse } from './core/types.js';
import { inspectorPages } from './inspector/pages.js';

export interface AppOptions {
  /** Largest request body; larger ones get 413. */
  bodyLimit?: string;
}

/** The request's headers for the dispatcher: node lower-cases the names; only a repeated Set-Cookie arrives as an array. */
export function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const raw = req.headers;
  for (const k in raw) {
    const v = raw[k];
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/**
 * An answer onto a node response (express's Response is one; so is the listener's): status and headers set, then one
 * end() with the whole body, so node adds Content-Length (or leaves it off for HEAD, 204 and 304).
 */
export function send(res: ServerResponse, r: SandboxResponse): void {
  if (r.drop) {
    res.socket?.destroy();
    return;
  }
  res.statusCode = r.status;
  const headers = r.headers;
  if (headers) for (const k in headers) res.setHeader(k, headers[k]!.includes('\n') ? headers[k]!.split('\n') : headers[k]!);
  if (r.body === undefined) res.end();
  else if (r.body instanceof Uint8Array) res.end(Buffer.from(r.body));
  else {
    if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
    const s = r.serialized;
    res.end(s ? Buffer.from(s.buffer, s.byteOffset, s.byteLength) : JSON.stringify(r.body));
  }
}

/**
 * A request URL as the path exactly as sent and its query. Split by hand: new URL() would resolve '..' and '%2E%2E'
 * segments, and DELETE …/snapshots/.. would reach the client itself.
 */
export function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** The dispatcher's request for a node request (its body, when one was read, as bytes). */
export function sandboxRequest(req: IncomingMessage, url: { path: string; query: string }, body?: Uint8Array): SandboxRequest {
  return {
    method: req.method ?? 'GET',
    path: url.path,
    query: new URLSearchParams(url.query),
    headers: headersOf(req),
    ...(body ? { body } : {}),
    ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}),
  };
}

/** The answer to a failure outside the dispatcher's own handling (a body over the limit, an adapter error), in the face's form. */
export function failureAnswer(
  err: { status?: unknown; type?: unknown; message?: unknown } | undefined,
  path: string,
  headers: Record<string, string | undefined>,
  bodyLimit = '1mb',
): SandboxResponse {
  const status = typeof err?.status === 'number' ? err.status : 500;
  const detail = err?.type === 'entity.too.large' ? `request body larger than the limit (${bodyLimit})` : String(err?.message ?? err);
  return faceError(faceOfPath(path, headers), { status, title: titleOf(status), detail }, path, 'express');
}

export function createApp(dispatcher: Dispatcher, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(inspectorPages());
  // Raw bytes in: the dispatcher parses, so malformed JSON is answered in each face's own error format.
  app.use(express.raw({ type: () => true, limit: options.bodyLimit ?? '1mb' }));
  app.use(async (req, res, next) => {
    try {
      const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : undefined;
      send(res, await dispatcher.handle(sandboxRequest(req, splitUrl(req.originalUrl), body)));
    } catch (e) {
      next(e);
    }
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) =>
    send(res, failureAnswer(err, req.path, headersOf(req), options.bodyLimit));
  app.use(onError);
  return app;
}
