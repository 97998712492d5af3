/**
 * The server's request listener. Requests without a body that are not inspector pages (every agency read: the
 * polling path the bench measures) go from node:http straight to the dispatcher; the rest (bodies, pages, docs)
 * go through the express app in ./express.ts, which parses bodies with its size limit and serves the pages.
 * Hand-written because of speed (issue 14): express's per-request set-up (prototype swaps, router, middleware
 * chain) was about a third of a cached read's time. The answers are byte-for-byte what express sends.
 */
import type { IncomingMessage, RequestListener } from 'node:http';
import type { Dispatcher } from './core/dispatcher.js';
import { createApp, failureAnswer, sandboxRequest, send, splitUrl, type AppOptions } from './express.js';
import { isPagePath } from './inspector/pages.js';

/** What express.raw would read as a body: any Content-Length (even 0) or Transfer-Encoding means one. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
}

export function createListener(dispatcher: Dispatcher, options: AppOptions = {}): RequestListener {
  const app = createApp(dispatcher, options);
  return (req, res) => {
    const url = splitUrl(req.url ?? '/');
    if (hasBody(req) || isPagePath(url.path)) {
      app(req, res);
      return;
    }
    const request = sandboxRequest(req, url);
    dispatcher.handle(request).then(
      (response) => send(res, response),
      // As the express app's error handler answers.
      (e: unknown) =>
        res.headersSent ? res.destroy() : send(res, failureAnswer(e as Error, url.path, request.headers, options.bodyLimit)),
    );
  };
}
