/**
 * What the HTTP faces share beyond the engine: access tokens, the request journal. Tokens are JWTs (HS256, signed
 * with `jose`), so they survive a restart when the secret is kept (the server keeps it in the data folder) and an
 * agency that reads `exp` sees the client's sandbox clock; their expiry is checked against that clock, not the
 * machine's.
 */
import { randomBytes } from 'node:crypto';
// jose is loaded with the first token, not at start (46 modules the first answer does not need).
let jose: Promise<typeof import('jose')> | undefined;
const loadJose = () => (jose ??= import('jose'));
import type { Static } from '@sinclair/typebox';
import type { ScenarioCatalogueView, ScenarioRunView } from '../../../contracts/schemas/control.js';
import type { Scenario } from '../../../contracts/schemas/scenario.js';
import { RateLimiter } from './rate-limit.js';
import type { PortabilityWarning } from './warnings.js';

/** v1 and v2 access tokens, and v1 refresh tokens (never accepted as an access token). */
export type TokenAudience = 'v1' | 'v2' | 'v1-refresh';

export interface TokenClaims {
  clientId: string;
  integrationId: string;
  /** The client's incarnation: a client deleted and created again under the same id refuses the old tokens. */
  incarnation: string;
  audience: TokenAudience;
  /** Sandbox time the token was issued and expires, in seconds (JWT iat/exp); a refresh token has no exp. */
  issuedAt: number;
  expiresAt: number | null;
  tokenId: string;
  /** Wall-clock issue time (ms): revocation goes by it, since the sandbox clock stands still between requests. */
  wallIssuedAt: number;
}

const ISSUER = 'inkasso-sandbox';

function isClaims(p: Record<string, unknown>): boolean {
  const str = (v: unknown) => typeof v === 'string' && v.length > 0;
  return (
    p.iss === ISSUER &&
    str(p.cid) &&
    str(p.sub) &&
    str(p.inc) &&
    (p.aud === 'v1' || p.aud === 'v2' || p.aud === 'v1-refresh') &&
    Number.isInteger(p.iat) &&
    (p.exp === undefined || Number.isInteger(p.exp)) &&
    str(p.jti) &&
    Number.isInteger(p.wiat)
  );
}

export class TokenService {
  private readonly revoked = new Set<string>();
  private readonly revokedUpTo = new Map<string, number>();
  /** Refresh tokens already exchanged: each works once. */
  private readonly spent = new Set<string>();
  /** Tokens whose signature checked out: a signature never changes, and WebCrypto per request was most of a
   * cached read's time. Revocation is still looked up on every call. */
  private readonly verified = new Map<string, TokenClaims>();
  private readonly key: Uint8Array;
  private lastWall = 0;

  constructor(
    secret: string = randomBytes(32).toString('hex'),
    private readonly wallClock: () => number = Date.now,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** Strictly increasing wall time, so a token issued right after a revocation is never caught by it. */
  private wallTick(): number {
    this.lastWall = Math.max(this.lastWall + 1, this.wallClock());
    return this.lastWall;
  }

  async issue(claims: Omit<TokenClaims, 'tokenId' | 'wallIssuedAt'>): Promise<{ token: string; claims: TokenClaims }> {
    const full: TokenClaims = { ...claims, tokenId: randomBytes(12).toString('base64url'), wallIssuedAt: this.wallTick() };
    const { SignJWT } = await loadJose();
    const jwt = new SignJWT({ cid: full.clientId, inc: full.incarnation, wiat: full.wallIssuedAt })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(full.integrationId)
      .setAudience(full.audience)
      .setIssuedAt(full.issuedAt)
      .setJti(full.tokenId);
    if (full.expiresAt !== null) jwt.setExpirationTime(full.expiresAt);
    return { token: await jwt.sign(this.key), claims: full };
  }

  /**
   * A token's claims if this sandbox signed it, and whether it was revoked since (a revoked token's client is known,
   * so its refusal is journaled there). Expiry, audience and incarnation are the caller's business: they need the
   * client's world.
   */
  async inspect(token: string): Promise<{ status: 'invalid' } | { status: 'revoked' | 'valid'; claims: TokenClaims }> {
    const known = this.verified.get(token);
    const claims = known ? { ...known } : await this.verify(token);
    if (!claims) return { status: 'invalid' };
    const revoked = this.revoked.has(claims.tokenId) || claims.wallIssuedAt <= (this.revokedUpTo.get(claims.clientId) ?? -Infinity);
    return { status: revoked ? 'revoked' : 'valid', claims };
  }

  private async verify(token: string): Promise<TokenClaims | undefined> {
    let payload: Record<string, unknown>;
    try {
      const { compactVerify } = await loadJose();
      const verified = await compactVerify(token, this.key, { algorithms: ['HS256'] });
      payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (!payload || typeof payload !== 'object' || !isClaims(payload)) return undefined;
    const claims: TokenClaims = {
      clientId: payload.cid as string,
      integrationId: payload.sub as string,
      incarnation: payload.inc as string,
      audience: payload.aud as TokenAudience,
      issuedAt: payload.iat as number,
      expiresAt: (payload.exp as number | undefined) ?? null,
      tokenId: payload.jti as string,
      wallIssuedAt: payload.wiat as number,
    };
    if (this.verified.size >= 10_000) this.verified.clear();
    this.verified.set(token, { ...claims });
    return claims;
  }

  /** Mark a refresh token used; false if it was used before. */
  spend(tokenId: string): boolean {
    if (this.spent.has(tokenId)) return false;
    this.spent.add(tokenId);
    return true;
  }

  revoke(tokenId: string): void {
    this.revoked.add(tokenId);
  }

  /** Revoke every token (access and refresh) of a client issued so far. */
  revokeAll(clientId: string): void {
    this.revokedUpTo.set(clientId, this.wallTick());
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
  /** Token requests: the OAuth grant asked for. */
  grantType?: string | null;
  /** The vendor host the request addressed (api.poweroffice.net, goapi.poweroffice.net, …), null when unprefixed. */
  host: string | null;
  /** The sandbox's own detail on a refusal (field, current state, allowed states), as in X-Sandbox-Detail. */
  detail?: Record<string, unknown>;
  /** Portability warnings (also in X-Sandbox-Warning). */
  warnings: PortabilityWarning[];
  /** Hash of an agency POST's path and body (internal: spots blind retries; not in the journal view). */
  fingerprint: string | null;
}

/** What the inspector shows when a journal entry is opened: the headers and bodies of the exchange. */
export interface JournalDetail {
  requestHeaders: Record<string, string>;
  requestBody?: Uint8Array;
  responseHeaders: Record<string, string>;
  /** The answer's JSON value or bytes, kept by reference (never changed after it was sent). */
  responseBody?: unknown;
}

/** The last requests per client (like WireMock's request journal), capped; bodies only for the newest few. */
export class RequestJournal {
  private readonly entries = new Map<string, JournalEntry[]>();
  private readonly details = new Map<string, Map<number, JournalDetail>>();
  private seq = 0;

  constructor(
    readonly maxEntriesPerClient = 1000,
    readonly maxDetailsPerClient = 200,
  ) {}

  record(clientId: string, entry: Omit<JournalEntry, 'seq'>, detail?: JournalDetail): void {
    let list = this.entries.get(clientId);
    if (!list) this.entries.set(clientId, (list = []));
    const seq = ++this.seq;
    list.push({ seq, ...entry });
    // Trimmed in batches: a splice per request moved the whole list each time.
    if (list.length >= 2 * this.maxEntriesPerClient) list.splice(0, list.length - this.maxEntriesPerClient);
    if (detail) {
      let kept = this.details.get(clientId);
      if (!kept) this.details.set(clientId, (kept = new Map()));
      kept.set(seq, detail);
      // A Map iterates in insertion order: the first key is the oldest.
      if (kept.size > this.maxDetailsPerClient) kept.delete(kept.keys().next().value!);
    }
  }

  /** Headers and bodies of one entry, while they are still kept. */
  detail(clientId: string, seq: number): JournalDetail | undefined {
    return this.details.get(clientId)?.get(seq);
  }

  /** The newest sequence number of a client's entries (0 when none): cheap change detection. */
  lastSeq(clientId: string): number {
    return this.entries.get(clientId)?.at(-1)?.seq ?? 0;
  }

  /** The entries as the control API shows them. */
  view(clientId: string): Array<Omit<JournalEntry, 'fingerprint'>> {
    return this.list(clientId).map(({ fingerprint: _, ...entry }) => entry);
  }

  list(clientId: string): JournalEntry[] {
    const list = this.entries.get(clientId) ?? [];
    return list.length > this.maxEntriesPerClient ? list.slice(-this.maxEntriesPerClient) : list;
  }

  forget(clientId: string): void {
    this.entries.delete(clientId);
    this.details.delete(clientId);
  }
}

/** The scenario catalogue and runner, as the control API uses them (the scenarios module provides it). */
export interface ScenarioHost {
  /** A new client with the catalogue scenario's world loaded; its id. */
  createClient(name: string, options: { id?: string; name?: string; startDate?: string }): Promise<{ id: string }>;
  catalogueView(): Promise<Static<typeof ScenarioCatalogueView>>;
  /** Play a catalogue scenario (or one sent inline under that name) on a client. */
  runView(
    clientId: string,
    name: string,
    limits: { until?: string | number; steps?: number },
    inline?: Static<typeof Scenario>,
  ): Promise<Static<typeof ScenarioRunView>>;
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
