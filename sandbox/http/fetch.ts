/**
 * Web-standard Request/Response <-> the dispatcher: the in-process transport. The msw handlers, the Pact state
 * handlers and the Pact verifier answer through this, so they run the same code as the express server.
 */
import type { Dispatcher } from './core/dispatcher.js';
import type { SandboxResponse } from './core/types.js';

export async function handleRequest(dispatcher: Dispatcher, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
  // fetch keeps Host out of its headers; the URL has it, and a vendor host name routes by it.
  headers.host ??= url.host;
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : new Uint8Array(await request.arrayBuffer());
  const res = await dispatcher.handle({
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    headers,
    origin: url.origin,
    ...(body ? { body } : {}),
    inProcess: true,
  });
  if (res.drop) throw new TypeError('fetch failed: the connection was dropped (injected fault)');
  return toResponse(res);
}

export function toResponse(res: SandboxResponse): Response {
  const headers = new Headers();
  for (const [k, v] of Object.entries(res.headers ?? {})) for (const line of v.split('\n')) headers.append(k, line);
  let body: ConstructorParameters<typeof Response>[0] = null;
  if (res.body instanceof Uint8Array) body = res.body as unknown as ConstructorParameters<typeof Response>[0];
  else if (res.body !== undefined) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
    // A copy of cached bytes: a Response may take over (detach) the buffer it is given.
    body = res.serialized
      ? (new Uint8Array(res.serialized) as unknown as ConstructorParameters<typeof Response>[0])
      : JSON.stringify(res.body);
  }
  return new Response(res.status === 204 ? null : body, { status: res.status, headers });
}

/** A fetch that never leaves the process: every request goes to this dispatcher. */
export function dispatcherFetch(dispatcher: Dispatcher): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return (input, init) => handleRequest(dispatcher, input instanceof Request && !init ? input : new Request(input, init));
}
