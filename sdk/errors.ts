/** Typed errors the SDK throws: they carry the API's own error body and the request id. */

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
  currentState?: string;
  allowed?: string[];
  [k: string]: unknown;
}

export interface V1FailureBody {
  success: false;
  /** The vendor leaves out keys without a value: usually just errorLogReference, summary and exception. */
  validation: { errorLogReference: string; summary: string; exception?: string; fields?: Record<string, string>; [k: string]: unknown };
}

/** The sandbox's own account of a v1 failure (header X-Sandbox-Detail; the real API does not send it). */
export interface SandboxDetail {
  /** The status the sandbox answers with the client setting v1ErrorStatuses 'http' (400, 403, 404, 409). */
  httpStatus: number;
  kind: string;
  exception: string;
  fields?: Record<string, string>;
  currentState?: string;
  allowed?: string[];
  privilege?: boolean;
}

/** An HTTP answer outside 2xx (or a v1 envelope with success false). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly requestId: string | null,
    readonly method: string,
    readonly url: string,
    /** The answer's headers (Retry-After, X-Request-Id, WWW-Authenticate). */
    readonly headers?: Headers,
  ) {
    super(`${method} ${url} -> ${status}: ${ApiError.describe(body)}${requestId ? ` (request ${requestId})` : ''}`);
    this.name = 'ApiError';
  }

  static describe(body: unknown): string {
    if (body && typeof body === 'object') {
      const b = body as Record<string, any>;
      if (typeof b.detail === 'string') return b.detail;
      if (b.validation?.summary) return b.validation.summary;
      if (typeof b.message === 'string') return b.message;
      if (typeof b.Message === 'string') return b.Message;
      if (typeof b.error_description === 'string') return `${b.error}: ${b.error_description}`;
    }
    return typeof body === 'string' ? body.slice(0, 300) : (JSON.stringify(body)?.slice(0, 300) ?? 'no body');
  }

  /** ProblemDetails of the control API and v2. */
  get problem(): ProblemBody | undefined {
    return this.body && typeof this.body === 'object' && 'title' in (this.body as object) ? (this.body as ProblemBody) : undefined;
  }

  /** The sandbox's detail of a v1 failure (field, current state, allowed states), when the sandbox answered. */
  get sandboxDetail(): SandboxDetail | undefined {
    const raw = this.headers?.get('x-sandbox-detail');
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as SandboxDetail;
    } catch {
      return undefined;
    }
  }

  /** The v1 failure envelope. */
  get v1(): V1FailureBody | undefined {
    return this.body && typeof this.body === 'object' && (this.body as V1FailureBody).success === false
      ? (this.body as V1FailureBody)
      : undefined;
  }
}

/**
 * The error of a binary call (the v1 invoice PDF), if it failed: outside 2xx, or a JSON answer where bytes were
 * asked for (a v1 refusal, which the vendor sends on HTTP 200 with success false).
 */
export async function binaryRefusal(res: Response, method: string, url: string): Promise<ApiError | undefined> {
  if (res.ok && !/json/i.test(res.headers.get('content-type') ?? '')) return undefined;
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return new ApiError(res.status, body, res.headers.get('x-request-id'), method, url, res.headers);
}

/** The server could not be reached or the connection dropped. */
export class NetworkError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`${method} ${url} failed: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'NetworkError';
  }
}

/** An argument that fails before anything is sent. */
export class ArgumentError extends TypeError {
  constructor(
    readonly argument: string,
    reason: string,
  ) {
    super(`${argument} ${reason}`);
    this.name = 'ArgumentError';
  }
}

/** Refuse a missing argument before anything is sent. */
export function need(value: unknown, name: string): void {
  if (value === undefined || value === null || value === '') throw new ArgumentError(name, 'is required');
}
