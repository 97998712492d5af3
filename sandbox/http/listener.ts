/**
 * The server's request listener. Requests without a body that are not inspector pages (every agency read: the
 * polling path the bench measures) go from node:http straight to the dispatcher; the rest (bodies, pages, docs)
 * go through the express app in ./express.ts, which parses bodies with its size limit and serves the pages.
 * Hand-written because of speed (issue 14): express's per-request set-up (prototype swaps, router, middleware
 * chain) was about a third of a cached read's time. The answers are byte-for-byte what express sends.
 */
import type { IncomingMessage, RequestListener } from 'node:http';
import type { Dispatcher } from './core/dispatcher.js';
import { faceOfPath } from './core/dispatcher.js';
import { faceError, titleOf } from './core/errors.js';
import { createApp, headersOf, send, type AppOptions } from './express.js';
import { isPagePath } from './inspector/pages.js';

/** What express.raw would read as a body: any Content-Length (even 0) or Transfer-Encoding means one. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
}

export function createListener(dispatcher: Dispatcher, options: AppOptions = {}): RequestListener {
  const app = createApp(dispatcher, options);
  return (req, res) => {
    const url = req.url ?? '/';
    // Split by hand, as the express adapter does: the router sees the path exactly as sent ('..' unresolved).
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (hasBody(req) || isPagePath(path)) {
      app(req, res);
      return;
    }
    const headers = headersOf(req);
    dispatcher
      .handle({
        method: req.method ?? 'GET',
        path,
        query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
        headers,
        ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}),
      })
      .then(
        (response) => send(res, response),
        (e: unknown) => {
          // What the express adapter's error handler answers for a failure outside the dispatcher's own handling.
          const detail = String((e as Error)?.message ?? e);
          if (!res.headersSent)
            send(res, faceError(faceOfPath(path, headers), { status: 500, title: titleOf(500), detail }, path, 'express'));
          else res.destroy();
        },
      );
  };
}
