/** The one place the SDK talks HTTP: JSON in and out, errors typed. `fetch` is injectable (in-process mode). */
import { ApiError, NetworkError } from './errors.js';
import { apiPathOf, type ResponseOf, type Route } from '../contracts/routes.js';

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  baseUrl: string;
  fetch?: Fetch;
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export class Http {
  readonly baseUrl: string;
  private readonly fetchFn: Fetch;

  constructor(private readonly options: HttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  url(path: string, query?: Record<string, unknown>): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined && v !== null) u.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
    return u.toString();
  }

  async raw(
    method: string,
    path: string,
    init: { query?: Record<string, unknown>; body?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const url = this.url(path, init.query);
    const headers: Record<string, string> = { accept: 'application/json', ...(await this.options.headers?.()), ...init.headers };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    try {
      return await this.fetchFn(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    } catch (e) {
      throw new NetworkError(method, url, e);
    }
  }

  /** A JSON call; non-2xx throws ApiError with the server's body. */
  async json<T>(method: string, path: string, init: Parameters<Http['raw']>[2] = {}): Promise<HttpResponse<T>> {
    const res = await this.raw(method, path, init);
    const text = await res.text();
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (!res.ok) throw new ApiError(res.status, body, res.headers.get('x-request-id'), method, this.url(path, init.query), res.headers);
    return { status: res.status, headers: res.headers, body: body as T };
  }

  /** One operation from the route table: its path (relative to this base URL) filled from `params`; the body typed by its response. */
  async send<R extends Route>(
    route: R,
    params: Record<string, string | number> = {},
    init: Parameters<Http['raw']>[2] = {},
  ): Promise<ResponseOf<R>> {
    return (await this.json<ResponseOf<R>>(route.method, apiPathOf(route, params), init)).body;
  }
}
