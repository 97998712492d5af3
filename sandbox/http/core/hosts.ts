/**
 * The host layer in front of the router. Production has two hosts: v1 on api.poweroffice.net (demo
 * api-demo.poweroffice.net) and v2 on goapi.poweroffice.net/v2 (demo goapi.poweroffice.net/Demo/v2), each with its
 * own /OAuth/Token. One sandbox port serves both: a path prefix naming the host
 * (http://localhost:4010/api.poweroffice.net/DebtCollection), or a Host header naming it (msw intercepting
 * https://api.poweroffice.net), or neither (the old unprefixed paths, kept as a fallback). The layer strips the
 * prefix and remembers which host was addressed; the route table stays one table.
 */
import type { SandboxRequest } from './types.js';
import { requestOrigin } from './origin.js';

export type Api = 'v1' | 'v2';

export interface VendorHost {
  name: string;
  api: Api;
  demo: boolean;
}

export const VENDOR_HOSTS: Record<string, VendorHost> = {
  'api.poweroffice.net': { name: 'api.poweroffice.net', api: 'v1', demo: false },
  'api-demo.poweroffice.net': { name: 'api-demo.poweroffice.net', api: 'v1', demo: true },
  'goapi.poweroffice.net': { name: 'goapi.poweroffice.net', api: 'v2', demo: false },
};

export interface AddressedHost {
  /** The vendor host addressed, or null on the sandbox's own unprefixed paths. */
  name: string | null;
  api: Api | null;
  demo: boolean;
  /** A path prefix naming the host, the Host header, or neither (the unprefixed fallback). */
  via: 'prefix' | 'host' | 'none';
  /** The path the route table sees: the request path without the host prefix. */
  routePath: string;
}

function hostHeaderName(req: Pick<SandboxRequest, 'headers'>): string | undefined {
  const host = req.headers.host?.trim().toLowerCase();
  return host ? host.replace(/:\d+$/, '') : undefined;
}

/** A path without its leading /Demo (the vendor's demo prefix, any case): the one place that strips it. */
export function withoutDemo(path: string): string {
  return path.replace(/^\/demo(?=\/|$)/i, '');
}

/** Which host a request addressed, and the path left for the router. */
export function addressedHost(req: Pick<SandboxRequest, 'path' | 'headers'>): AddressedHost {
  const m = /^\/([^/]+)(\/.*)?$/.exec(req.path);
  const first = m?.[1]?.toLowerCase();
  const byPrefix = first ? VENDOR_HOSTS[first] : undefined;
  const byHeader = byPrefix ? undefined : VENDOR_HOSTS[hostHeaderName(req) ?? ''];
  const host = byPrefix ?? byHeader;
  if (!host) return { name: null, api: null, demo: false, via: 'none', routePath: req.path };
  let rest = byPrefix ? (m?.[2] ?? '/') : req.path;
  let demo = host.demo;
  // v2's demo lives under /Demo on the production host name.
  const bare = withoutDemo(rest);
  if (host.api === 'v2' && bare !== rest) {
    demo = true;
    rest = bare || '/';
  }
  return { name: host.name, api: host.api, demo, via: byPrefix ? 'prefix' : 'host', routePath: rest };
}

/** scheme://host[:port] the caller used (X-Forwarded-* only behind --trust-proxy, and only well formed). */
export function callerOrigin(req: Pick<SandboxRequest, 'headers' | 'origin' | 'trustProxy'>): string | undefined {
  return requestOrigin(req);
}

export interface ApiEndpoints {
  baseUrl: string;
  tokenUrl: string;
}

/** The four URLs an agency sets, absolute for the sandbox address the caller used. */
export function endpointsFor(req: SandboxRequest, demo = false): { v1: ApiEndpoints; v2: ApiEndpoints } {
  const origin = callerOrigin(req) ?? '';
  const v1 = `${origin}/${demo ? 'api-demo' : 'api'}.poweroffice.net`;
  const v2 = `${origin}/goapi.poweroffice.net${demo ? '/Demo' : ''}`;
  return { v1: { baseUrl: v1, tokenUrl: `${v1}/OAuth/Token` }, v2: { baseUrl: `${v2}/v2`, tokenUrl: `${v2}/OAuth/Token` } };
}

/** Where `routePath` lives for `api`, in the form the caller used (prefix on the sandbox, or the vendor's URL). */
export function urlOnHost(req: SandboxRequest, host: AddressedHost, api: Api, routePath: string): string {
  const name = api === 'v1' ? (host.demo ? 'api-demo.poweroffice.net' : 'api.poweroffice.net') : 'goapi.poweroffice.net';
  const demo = api === 'v2' && host.demo ? '/Demo' : '';
  if (host.via === 'host') return `https://${name}${demo}${routePath}`;
  return `${callerOrigin(req) ?? ''}/${name}${demo}${routePath}`;
}
