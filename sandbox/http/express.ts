/** The express adapter: turns an HTTP request into a SandboxRequest for the dispatcher, and back. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import type { Dispatcher } from './core/dispatcher.js';
import { faceOfPath } from './core/dispatcher.js';
import { faceError, titleOf } from './core/errors.js';
import type { SandboxResponse } from './core/types.js';
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

export function createApp(dispatcher: Dispatcher, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(inspectorPages());
  // Raw bytes in: the dispatcher parses, so malformed JSON is answered in each face's own error format.
  app.use(express.raw({ type: () => true, limit: options.bodyLimit ?? '1mb' }));
  app.use(async (req, res, next) => {
    try {
      // Split by hand: new URL() would resolve '..' and '%2E%2E' segments, and DELETE …/snapshots/.. would
      // reach the client itself. The router sees the path exactly as sent.
      const q = req.originalUrl.indexOf('?');
      const path = q < 0 ? req.originalUrl : req.originalUrl.slice(0, q);
      const query = new URLSearchParams(q < 0 ? '' : req.originalUrl.slice(q + 1));
      const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : undefined;
      const response = await dispatcher.handle({
        method: req.method,
        path,
        query,
        headers: headersOf(req),
        ...(body ? { body } : {}),
        ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}),
      });
      send(res, response);
    } catch (e) {
      next(e);
    }
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const status = typeof err?.status === 'number' ? err.status : 500;
    const detail =
      err?.type === 'entity.too.large'
        ? `request body larger than the limit (${options.bodyLimit ?? '1mb'})`
        : String(err?.message ?? err);
    send(res, faceError(faceOfPath(req.path, headersOf(req)), { status, title: titleOf(status), detail }, req.path, 'express'));
  };
  app.use(onError);
  return app;
}
