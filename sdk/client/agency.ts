/**
 * The agency client: what an integration calls in PowerOffice Go, typed from the contracts. Nothing in it is
 * sandbox-only, so the same code runs against the real base URLs. It fetches a token, renews it before it
 * expires, and once more after a 401 (the sandbox expires tokens on the client's own clock, which a caller cannot
 * see).
 */
import type { Static } from '@sinclair/typebox';
import type * as V1 from '../../contracts/schemas/v1.js';
import { Http, type Fetch } from '../http.js';
import { ApiError, ArgumentError } from '../errors.js';

export type DebtCollectionInvoice = Static<typeof V1.DebtCollectionInvoice>;
export type DebtCollectionCase = Static<typeof V1.DebtCollectionCase>;
export type DebtCollectionInvoiceMatch = Static<typeof V1.DebtCollectionInvoiceMatch>;
export type CreateCaseRequest = Static<typeof V1.CreateCaseRequest>;
export type UpdateStatusRequest = Static<typeof V1.UpdateStatusRequest>;
export type MergeCasesRequest = Static<typeof V1.MergeCasesRequest>;

export interface AgencyClientOptions {
  /** The API host: https://goapi.poweroffice.net/Demo for the vendor's demo, or http://localhost:4010 for the sandbox. */
  baseUrl: string;
  applicationKey: string;
  clientKey: string;
  subscriptionKey: string;
  fetch?: Fetch;
  /** Renew this many seconds before expiry (default 60). */
  renewBeforeSeconds?: number;
  /** Wall clock in ms (injectable for tests). */
  now?: () => number;
}

export interface ODataQuery {
  $filter?: string;
  $orderby?: string;
  $skip?: number;
  $top?: number;
}

export interface V1List<T> {
  data: T[];
  count: number;
}

interface Envelope<T> {
  data: T;
  count?: number;
  success: boolean;
}

const enc = encodeURIComponent;

export class AgencyClient {
  readonly http: Http;
  private token: { value: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;

  constructor(readonly options: AgencyClientOptions) {
    for (const k of ['baseUrl', 'applicationKey', 'clientKey', 'subscriptionKey'] as const) if (!options?.[k]) throw new ArgumentError(k, 'is required');
    this.now = options.now ?? Date.now;
    this.http = new Http({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  }

  /** POST /OAuth/Token (client credentials). */
  async accessToken(force = false): Promise<string> {
    if (!force && this.token && this.now() < this.token.renewAt) return this.token.value;
    this.pending ??= (async () => {
      try {
        const basic = Buffer.from(`${this.options.applicationKey}:${this.options.clientKey}`).toString('base64');
        const res = await this.http.json<{ access_token: string; expires_in: number }>('POST', '/OAuth/Token', {
          form: { grant_type: 'client_credentials' },
          headers: { authorization: `Basic ${basic}`, 'ocp-apim-subscription-key': this.options.subscriptionKey },
        });
        const renewBefore = Math.min(this.options.renewBeforeSeconds ?? 60, res.body.expires_in / 2);
        this.token = { value: res.body.access_token, renewAt: this.now() + (res.body.expires_in - renewBefore) * 1000 };
        return this.token.value;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  /** An authenticated JSON call; a 401 renews the token once and tries again (safe: the request was refused). */
  async call<T>(method: string, path: string, init: { query?: Record<string, unknown>; body?: unknown } = {}): Promise<{ status: number; headers: Headers; body: T }> {
    const attempt = async (force: boolean) => {
      const token = await this.accessToken(force);
      return this.http.json<T>(method, path, {
        ...(init.query ? { query: init.query as Record<string, string> } : {}),
        ...(init.body !== undefined ? { body: init.body } : {}),
        headers: { authorization: `Bearer ${token}`, 'ocp-apim-subscription-key': this.options.subscriptionKey },
      });
    };
    try {
      return await attempt(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return attempt(true);
      throw e;
    }
  }

  /** A v1 call: unwrap the envelope; `success: false` (even with HTTP 200) throws. */
  private async v1<T>(method: string, path: string, init: { query?: Record<string, unknown>; body?: unknown } = {}): Promise<Envelope<T>> {
    const res = await this.call<Envelope<T>>(method, path, init);
    if (res.body && (res.body as { success?: boolean }).success === false) throw new ApiError(res.status, res.body, res.headers.get('x-request-id'), method, this.http.url(path));
    return res.body;
  }

  private async v1List<T>(path: string, query: ODataQuery | Record<string, unknown> = {}): Promise<V1List<T>> {
    const env = await this.v1<T[]>('GET', path, { query: { ...query } });
    return { data: env.data, count: env.count ?? env.data.length };
  }

  readonly debtCollection = {
    isActive: async () => (await this.v1<boolean>('GET', '/DebtCollection/IsActiveDebtCollection')).data,
    availableInvoices: (query: ODataQuery = {}) => this.v1List<DebtCollectionInvoice>('/DebtCollection/Invoices/AvailableInvoices', query),
    cases: (query: ODataQuery = {}) => this.v1List<DebtCollectionCase>('/DebtCollection', query),
    case: async (id: string) => (need(id, 'id'), (await this.v1<DebtCollectionCase>('GET', `/DebtCollection/${enc(id)}`)).data),
    createCase: async (request: CreateCaseRequest) => {
      if (!request?.code) throw new ArgumentError('code', 'is required (the agency case number)');
      return (await this.v1<DebtCollectionCase>('POST', '/DebtCollection', { body: request })).data;
    },
    addInvoicesToCase: async (caseId: string, invoiceIds: string[]) => {
      need(caseId, 'caseId');
      if (!invoiceIds?.length) throw new ArgumentError('invoiceIds', 'needs at least one invoice id');
      return (await this.v1<DebtCollectionCase>('POST', '/DebtCollection/AddInvoicesToCase', { body: { caseId, invoiceIds } })).data;
    },
    mergeCases: async (request: MergeCasesRequest) => {
      if (!request?.caseIds || request.caseIds.length < 2) throw new ArgumentError('caseIds', 'needs at least two cases');
      return (await this.v1<DebtCollectionCase>('POST', '/DebtCollection/MergeCases', { body: request })).data;
    },
    updateStatus: async (request: UpdateStatusRequest) => {
      need(request?.caseId, 'caseId');
      need(request?.statusText, 'statusText');
      return (await this.v1<DebtCollectionCase>('POST', '/DebtCollection/UpdateStatus', { body: request })).data;
    },
    /** The agency rejects the case: it is deleted and its invoices become Rejected. */
    rejectCase: async (id: string) => (need(id, 'id'), (await this.v1<boolean>('DELETE', `/DebtCollection/${enc(id)}`)).data),
    matchedItems: (debtCollectionInvoiceId: string) => (need(debtCollectionInvoiceId, 'debtCollectionInvoiceId'), this.v1List<DebtCollectionInvoiceMatch>(`/DebtCollection/MatchedItems/${enc(debtCollectionInvoiceId)}`)),
    allMatchedItems: (fromDateTime: string | Date) =>
      this.v1List<{ matchedItems: DebtCollectionInvoiceMatch[] }>('/DebtCollection/GetAllMatchedItems', { fromDateTime: fromDateTime instanceof Date ? fromDateTime.toISOString() : fromDateTime }),
    invoicePdf: async (id: string): Promise<Uint8Array> => {
      need(id, 'id');
      const token = await this.accessToken();
      const res = await this.http.raw('GET', `/DebtCollection/GetInvoicePdf/${enc(id)}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/pdf' } });
      if (!res.ok) throw new ApiError(res.status, await res.text(), res.headers.get('x-request-id'), 'GET', this.http.url(`/DebtCollection/GetInvoicePdf/${enc(id)}`));
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

function need(value: unknown, name: string): void {
  if (value === undefined || value === null || value === '') throw new ArgumentError(name, 'is required');
}

export function createAgencyClient(options: AgencyClientOptions): AgencyClient {
  return new AgencyClient(options);
}
