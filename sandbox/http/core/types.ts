/**
 * A framework-free operation: what one endpoint accepts and answers. The express app and the msw handlers are
 * thin adapters over the same route tables and dispatcher.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { ClientAccess, CredentialRef, Engine } from '../../engine.js';
import type { ClientSettings } from '../../domain/model.js';
import type { Services } from './services.js';
import type { PortabilityWarning } from './warnings.js';
import type { AddressedHost } from './hosts.js';

export type Face = 'v1' | 'v2' | 'control' | 'auth' | 'meta';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface SandboxRequest {
  method: string;
  /** Path without query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body?: Uint8Array;
  /** Connection facts the transport knows (for loopback-only control API). */
  remoteAddress?: string;
  /** Set only by the in-process adapters (fetch, msw): no socket, the caller is this process. */
  inProcess?: true;
  /** The server sits behind a proxy (--trust-proxy): X-Forwarded-Host/-Proto may name the public origin. */
  trustProxy?: boolean;
  /** scheme://host[:port] the caller addressed, when the transport knows it (the in-process fetch does). */
  origin?: string;
  /** Which vendor host the request addressed; the dispatcher's host layer sets it before routing. */
  host?: AddressedHost;
}

export interface SandboxResponse {
  status: number;
  /** A value with '\n' is sent as several header lines (X-Sandbox-Warning). */
  headers?: Record<string, string>;
  /** JSON value, or raw bytes for binary bodies (PDF). Undefined means no body. */
  body?: unknown;
  /** Close the connection without answering (an injected fault). */
  drop?: boolean;
  /** `body` already serialised as JSON (a cached view): transports send these bytes as they are. */
  serialized?: Uint8Array;
  /** A v2 list shaped by `Fields`: each item carries only the chosen fields, so response checks allow missing ones. */
  partialItems?: boolean;
}

/** Who called an agency endpoint, from a verified token. */
export interface AgencyCaller {
  clientId: string;
  integrationId: string;
  tokenId: string;
  /** The API the token was issued for (its audience). */
  api: 'v1' | 'v2';
}

export interface OperationInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  request: SandboxRequest;
}

export interface RequestContext {
  engine: Engine;
  services: Services;
  /** Set on agency endpoints after the token was checked. */
  caller?: AgencyCaller | undefined;
  /**
   * On agency endpoints: the hold of the caller's world the token was checked in. The operation reads and writes
   * through it (agencyRead, agencyWrite), never through `engine` for that client (its lock is held).
   */
  access?: ClientAccess | undefined;
  /**
   * On the token endpoint: what the dispatcher looked up before the request's one hold (`access`, of `clientId`): the
   * integration the Basic client key names, and which client's world the request is answered from.
   */
  tokenRequest?: TokenRequestTarget | undefined;
  /** Set on control endpoints under /_sandbox/clients/{clientId}. */
  requestId: string;
  /** An injected fault: carry the request out, then drop the connection instead of answering. */
  loseAnswer?: boolean;
  /** An injected v1 business failure answered HTTP 200: why, for the journal. */
  injectedFailure?: string;
  /** Portability warnings for this request (journal, X-Sandbox-Warning, verify reports). */
  warnings: PortabilityWarning[];
  /** The caller's client settings on agency endpoints, read once before the operation runs. */
  settings?: ClientSettings;
  /** Hash of an agency POST's path and body, to spot a blind retry. */
  fingerprint?: string;
}

/** A token request's client, known before its hold (see token-endpoint.ts tokenRequestTarget). */
export interface TokenRequestTarget {
  /** The client key of the Basic credentials (undefined: none sent, or not Basic). */
  clientKey: string | undefined;
  /** The integration that key names (undefined: none). */
  credential: CredentialRef | undefined;
  /** The client whose world answers the request (undefined: none; the request needs no world). */
  clientId: string | undefined;
}

export interface ResponseSpec {
  description: string;
  schema?: TSchema;
  contentType?: string;
  /** The answer has no body though its status is not 204 (the vendor's 200/201/202 without content). */
  empty?: true;
}

type StaticOr<T extends TSchema | undefined, D> = T extends TSchema ? Static<T> : D;

export interface Operation<P extends TSchema | undefined = any, Q extends TSchema | undefined = any, B extends TSchema | undefined = any> {
  operationId: string;
  face: Face;
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** agency: bearer token (and on v2 the subscription key); token: the OAuth endpoint; control: admin token if set. */
  auth: 'agency' | 'token' | 'control' | 'none';
  params?: P;
  query?: Q;
  body?: B;
  /** The body schema for this client instead of `body` (a setting that accepts more fields); undefined keeps `body`. */
  bodyFor?: (settings: ClientSettings) => TSchema | undefined;
  /** multipart: the operation reads the raw parts itself (file uploads); `body` then only documents the form. */
  bodyType?: 'json' | 'form' | 'multipart';
  /** Without a body, read the JSON body from this query parameter (the vendor's older v1 `?request=` forms). */
  bodyQuery?: string;
  responses: Record<number, ResponseSpec>;
  handle(
    input: OperationInput<StaticOr<P, Record<string, never>>, StaticOr<Q, Record<string, never>>, StaticOr<B, undefined>>,
    ctx: RequestContext,
  ): Promise<SandboxResponse> | SandboxResponse;
}

/** Define an operation with its input types inferred from its schemas. */
export function operation<
  P extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  B extends TSchema | undefined = undefined,
>(op: Operation<P, Q, B>): Operation<P, Q, B> {
  return op;
}

/** A meta operation: a GET without auth, tagged Meta. */
export function metaOperation(op: Omit<Operation<undefined, undefined, undefined>, 'face' | 'method' | 'tags' | 'auth'>): Operation {
  return { face: 'meta', method: 'GET', tags: ['Meta'], auth: 'none', ...op };
}
