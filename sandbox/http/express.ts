/** The express adapter: turns an HTTP request into a SandboxRequest for the dispatcher, and back. */
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Dispatcher } from './core/dispatcher.js';
import { faceOfPath } from './core/dispatcher.js';
import { faceError, titleOf } from './core/errors.js';
import type { SandboxResponse } from './core/types.js';
import { inspectorPages } from './inspector/pages.js';

export interface AppOptions {
  /** Largest request body; larger ones get 413. */
  bodyLimit?: string;
}

function headersOf(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function send(res: Response, r: SandboxResponse): void {
  if (r.drop) {
    res.socket?.destroy();
    return;
  }
  res.status(r.status);
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v.includes('\n') ? v.split('\n') : v);
  if (r.body === undefined) res.end();
  else if (r.body instanceof Uint8Array) res.end(Buffer.from(r.body));
  else {
    if (!res.getHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(r.serialized ? Buffer.from(r.serialized.buffer, r.serialized.byteOffset, r.serialized.byteLength) : JSON.stringify(r.body));
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
