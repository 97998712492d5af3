/**
 * The origin (`proto://host[:port]`) a caller used, for absolute links. X-Forwarded-Host/-Proto count only when
 * the server was told it sits behind a proxy (--trust-proxy), and any header value that is not a plain host or
 * http/https is ignored, so a caller cannot put its own text into links the sandbox hands out.
 */
import type { SandboxRequest } from './types.js';

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?';
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?$`);

/** A host (name, IPv4 or [IPv6]) with an optional port 1-65535; anything else is undefined. */
export function wellFormedHost(value: string | undefined): string | undefined {
  const v = value?.trim();
  const m = v ? HOST.exec(v) : null;
  if (!m) return undefined;
  if (m[1] !== undefined && (Number(m[1]) < 1 || Number(m[1]) > 65535)) return undefined;
  return v;
}

function first(value: string | undefined): string | undefined {
  return value?.split(',')[0]?.trim();
}

/** Forwarded headers (trusted and well formed), else what the transport knows, else a well-formed Host header. */
export function requestOrigin(request: Pick<SandboxRequest, 'headers' | 'origin' | 'trustProxy'>): string | undefined {
  const forwardedHost = request.trustProxy ? wellFormedHost(first(request.headers['x-forwarded-host'])) : undefined;
  if (!forwardedHost && request.origin) return request.origin;
  const host = forwardedHost ?? wellFormedHost(request.headers.host);
  if (!host) return undefined;
  const forwardedProto = request.trustProxy ? first(request.headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : 'http';
  return `${proto}://${host}`;
}
