/**
 * The pages a browser gets: the inspector at / and /clients/{id} (only when the browser asks for HTML, so API
 * callers keep the JSON they get at those paths), its assets, and the API reference at /docs (Swagger UI,
 * shipped in the package, reading our own /openapi.json). Nothing is fetched from outside the sandbox.
 */
import { readFileSync } from 'node:fs';
import type { Request, RequestHandler } from 'express';
import { assetPath } from '../../assets.js';
import { addressedHost } from '../core/hosts.js';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml',
  txt: 'text/plain; charset=utf-8',
};

/** URL path -> asset name (sandbox/assets.ts). */
const FILES: Record<string, string> = {
  '/inspector/app.js': 'inspector/app.js',
  '/inspector/app.css': 'inspector/app.css',
  '/inspector/favicon.svg': 'inspector/favicon.svg',
  '/docs': 'docs/index.html',
  '/docs/': 'docs/index.html',
  '/docs/init.js': 'docs/init.js',
  '/docs/swagger-ui.css': 'docs/swagger-ui.css',
  '/docs/swagger-ui-bundle.js': 'docs/swagger-ui-bundle.js',
  '/docs/LICENSE-swagger-ui.txt': 'docs/LICENSE-swagger-ui',
};

const cache = new Map<string, Buffer>();
function load(name: string): Buffer {
  let data = cache.get(name);
  if (!data) cache.set(name, (data = readFileSync(assetPath(name))));
  return data;
}

/** A browser navigating (Accept: text/html first); curl's any-type Accept and API clients' application/json keep getting JSON. */
export function wantsHtml(req: Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

const PAGE = /^\/(?:clients\/[^/]+\/?)?$/;

/** A path that may be a page or an asset here: the node listener hands these to express (inspectorPages below). */
export function isPagePath(path: string): boolean {
  return FILES[path] !== undefined || PAGE.test(path);
}

export function inspectorPages(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A request addressed to a vendor host (Host: api.poweroffice.net) is the agency API's, never a page.
    if (addressedHost({ path: req.path, headers: { host: req.headers.host } }).name !== null) return next();
    let name = FILES[req.path];
    if (!name && PAGE.test(req.path) && wantsHtml(req)) name = 'inspector/index.html';
    if (!name) return next();
    const data = load(name);
    const ext = name.slice(name.lastIndexOf('.') + 1);
    res.status(200);
    res.setHeader('content-type', TYPES[ext] ?? TYPES.txt!);
    res.setHeader('vary', 'Accept');
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-length', String(data.length));
    res.end(req.method === 'HEAD' ? undefined : data);
  };
}
