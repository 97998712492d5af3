/**
 * The vendor's rate limits, as Azure API Management applies them: fixed one-second windows per key
 * (v2: the subscription key, across clients; v1: the integration's application key). Real time, not sandbox time.
 */
import type { SandboxResponse } from './types.js';

export interface RateDecision {
  ok: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { second: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  take(key: string, perSecond: number): RateDecision {
    const second = Math.floor(this.now() / 1000);
    const w = this.windows.get(key);
    if (!w || w.second !== second) {
      if (this.windows.size > 10_000) this.windows.clear();
      this.windows.set(key, { second, count: 1 });
      return { ok: true, retryAfter: 0 };
    }
    if (w.count >= perSecond) return { ok: false, retryAfter: 1 };
    w.count += 1;
    return { ok: true, retryAfter: 0 };
  }
}

/** APIM's 429: Retry-After, and the body it answers with (note `statusCode` is a string in the vendor's example). */
export function rateLimited(retryAfter: number): SandboxResponse {
  return {
    status: 429,
    headers: { 'retry-after': String(retryAfter), 'content-type': 'application/json; charset=utf-8' },
    body: { statusCode: '429', message: `Rate limit is exceeded. Try again in ${retryAfter} seconds.` },
  };
}
