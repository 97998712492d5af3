/**
 * What the HTTP faces share beyond the engine: access tokens, the request journal. Tokens are HMAC-signed, so
 * they survive a restart when the secret is kept (the server keeps it in the data folder); their expiry is
 * checked against the client's sandbox clock, not the machine's.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { ClientView } from '../../../contracts/schemas/control.js';
import { RateLimiter } from './rate-limit.js';
import type { PortabilityWarning } from './warnings.js';

export interface TokenClaims {
  clientId: string;
  integrationId: string;
  /** Sandbox time the token was issued and expires, in ms. */
  issuedAt: number;
  expiresAt: number;
  tokenId: string;
  /** Wall-clock issue time: revocation goes by it, since the sandbox clock stands still between requests. */
  wallIssuedAt: number;
}

export class TokenService {
  private readonly revoked = new Set<string>();
  private readonly revokedUpTo = new Map<string, number>();
  private lastWall = 0;

  constructor(
    private readonly secret: string = randomBytes(32).toString('hex'),
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** Strictly increasing wall time, so a token issued right after a revocation is never caught by it. */
  private wallTick(): number {
    this.lastWall = Math.max(this.lastWall + 1, this.wallClock());
    return this.lastWall;
  }

  issue(claims: Omit<TokenClaims, 'tokenId' | 'wallIssuedAt'>): { token: string; claims: TokenClaims } {
    const full: TokenClaims = { ...claims, tokenId: randomBytes(9).toString('base64url'), wallIssuedAt: this.wallTick() };
    const payload = Buffer.from(JSON.stringify([full.clientId, full.integrationId, full.issuedAt, full.expiresAt, full.tokenId, full.wallIssuedAt])).toString('base64url');
    return { token: `${payload}.${this.sign(payload)}`, claims: full };
  }

  /**
   * A token's claims if this sandbox issued it, and whether it was revoked since (a revoked token's client is known,
   * so its refusal is journaled there). Expiry is the caller's business: it needs the client's clock.
   */
  inspect(token: string): { status: 'invalid' } | { status: 'revoked' | 'valid'; claims: TokenClaims } {
    const [payload, signature] = token.split('.');
    if (!payload || !signature) return { status: 'invalid' };
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { status: 'invalid' };
    try {
      const [clientId, integrationId, issuedAt, expiresAt, tokenId, wallIssuedAt] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [string, string, number, number, string, number];
      const claims = { clientId, integrationId, issuedAt, expiresAt, tokenId, wallIssuedAt };
      const revoked = this.revoked.has(tokenId) || wallIssuedAt <= (this.revokedUpTo.get(clientId) ?? -Infinity);
      return { status: revoked ? 'revoked' : 'valid', claims };
    } catch {
      return { status: 'invalid' };
    }
  }

  revoke(tokenId: string): void {
    this.revoked.add(tokenId);
  }

  /** Revoke every token of a client issued so far. */
  revokeAll(clientId: string): void {
    this.revokedUpTo.set(clientId, this.wallTick());
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

export interface JournalEntry {
  seq: number;
  /** Wall-clock time of the request. */
  at: string;
  /** The client's sandbox time when it was answered. */
  sandboxTime: string | null;
  face: string;
  method: string;
  path: string;
  status: number;
  operationId: string | null;
  integrationId: string | null;
  durationMs: number;
  /** Why a request was refused, when it was. */
  problem: string | null;
  /** The sandbox's own detail on a refusal (current state, allowed transitions): also in X-Sandbox-Detail. */
  detail: Record<string, unknown> | null;
  /** Portability warnings (also in X-Sandbox-Warning). */
  warnings: PortabilityWarning[];
  /** Hash of an agency POST's path and body (internal: spots blind retries; not in the journal view). */
  fingerprint: string | null;
}

/** The last requests per client (like WireMock's request journal), capped. */
export class RequestJournal {
  private readonly entries = new Map<string, JournalEntry[]>();
  private seq = 0;

  constructor(readonly maxEntriesPerClient = 1000) {}

  record(clientId: string, entry: Omit<JournalEntry, 'seq'>): void {
    let list = this.entries.get(clientId);
    if (!list) this.entries.set(clientId, (list = []));
    list.push({ seq: ++this.seq, ...entry });
    if (list.length > this.maxEntriesPerClient) list.splice(0, list.length - this.maxEntriesPerClient);
  }

  /** The entries as the control API shows them. */
  view(clientId: string): Array<Omit<JournalEntry, 'fingerprint'>> {
    return this.list(clientId).map(({ fingerprint: _, ...entry }) => entry);
  }

  list(clientId: string): JournalEntry[] {
    return this.entries.get(clientId) ?? [];
  }

  forget(clientId: string): void {
    this.entries.delete(clientId);
  }
}

/** Creates clients from catalogue scenarios (the scenarios module provides it). */
export interface ScenarioHost {
  createClient(name: string, options: { id?: string; name?: string; startDate?: string }): Promise<Static<typeof ClientView>>;
}

export interface ServiceOptions {
  tokenSecret?: string;
  journalSize?: number;
  /** Real time for rate limiting (injectable in tests). */
  wallClock?: () => number;
}

export class Services {
  readonly tokens: TokenService;
  readonly journal: RequestJournal;
  readonly rateLimiter: RateLimiter;
  scenarios?: ScenarioHost;

  constructor(options: ServiceOptions = {}) {
    this.tokens = new TokenService(options.tokenSecret, options.wallClock);
    this.journal = new RequestJournal(options.journalSize);
    this.rateLimiter = new RateLimiter(options.wallClock);
  }
}
