/**
 * The agency client: what an integration calls in PowerOffice Go, typed from the contracts. Nothing in it is
 * sandbox-only, so the same code runs against the real base URLs.
 *
 * - Two hosts, as in production: v1 (`/DebtCollection`) on its base URL with its own token URL, v2 on its own.
 *   The client takes the four URLs an agency configures (`POWEROFFICE`, `POWEROFFICE_DEMO`, or a sandbox's
 *   `endpointsOf(client.view)`), and keeps one token per API.
 * - Tokens: fetched on first use and renewed before they expire (v1 with its refresh_token when it has one, v2 by
 *   asking again), and once more after a 401 (the sandbox expires tokens on the client's own clock, which a caller
 *   cannot see).
 * - Retries, bounded: a 429 is retried for any method after its Retry-After (the request was refused, nothing
 *   happened); 502/503 and network errors only for GET, which is safe to repeat. POSTs are never repeated blind.
 * - Paging: v2 lists follow PageNumber until an empty page (204); v1 lists page with $skip/$top.
 */
import type { Static } from '@sinclair/typebox';
import type * as V1 from '../../contracts/schemas/v1.js';
import type * as V2 from '../../contracts/schemas/v2.js';
import { ROUTES as R, apiPathOf, vendorEndpoints, type AgencyEndpoints, type Route } from '../../contracts/routes.js';
import { Http, type Fetch, type HttpResponse } from '../http.js';
import { ApiError, ArgumentError, NetworkError, binaryRefusal, need } from '../errors.js';

export type DebtCollectionInvoice = Static<typeof V1.DebtCollectionInvoice>;
export type DebtCollectionCase = Static<typeof V1.DebtCollectionCase>;
export type DebtCollectionInvoiceMatch = Static<typeof V1.DebtCollectionInvoiceMatch>;
export type CreateCaseRequest = Static<typeof V1.CreateCaseRequest>;
export type UpdateStatusRequest = Static<typeof V1.UpdateStatusRequest>;
export type MergeCasesRequest = Static<typeof V1.MergeCasesRequest>;
export type CustomerDto = Static<typeof V2.CustomerDto>;
export type CustomerLedgerEntryDto = Static<typeof V2.CustomerLedgerEntryDto>;
export type OutgoingInvoiceDto = Static<typeof V2.OutgoingInvoiceDto>;
export type GeneralLedgerAccountDto = Static<typeof V2.GeneralLedgerAccountDto>;
export type VatCodeDto = Static<typeof V2.VatCodeDto>;
export type BankVoucherPostDto = Static<typeof V2.BankVoucherPostDto>;
export type BankVoucherDto = Static<typeof V2.BankVoucherDto>;
export type ManualJournalEntryVoucherPostDto = Static<typeof V2.ManualJournalEntryVoucherPostDto>;
export type ManualJournalEntryVoucherDto = Static<typeof V2.ManualJournalEntryVoucherDto>;
export type CustomersQuery = Static<typeof V2.CustomersQuery>;
export type OpenItemsQuery = Static<typeof V2.OpenItemsQuery>;
export type OutgoingInvoicesQuery = Static<typeof V2.OutgoingInvoicesQuery>;

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Longest single wait (default 10 s); a longer Retry-After gives up instead. */
  maxDelayMs?: number;
}

export type { AgencyEndpoints, ApiEndpoints } from '../../contracts/routes.js';

/** PowerOffice Go in production. */
export const POWEROFFICE: AgencyEndpoints = vendorEndpoints((host) => `https://${host}`);

/** PowerOffice Go's demo environment. */
export const POWEROFFICE_DEMO: AgencyEndpoints = vendorEndpoints((host) => `https://${host}`, true);

/** A sandbox's four URLs under its root URL (the host prefixes it serves on one port). */
export function sandboxEndpoints(rootUrl: string): AgencyEndpoints {
  const root = rootUrl.replace(/\/+$/, '');
  return vendorEndpoints((host) => `${root}/${host}`);
}

export interface AgencyClientOptions {
  /** The four URLs: `POWEROFFICE`, `POWEROFFICE_DEMO`, or the sandbox's (`endpointsOf(client.view)`). */
  endpoints: AgencyEndpoints;
  applicationKey: string;
  clientKey: string;
  subscriptionKey: string;
  fetch?: Fetch;
  /** Renew this many seconds before expiry (default 60). */
  renewBeforeSeconds?: number;
  retry?: RetryOptions;
  /** Wall clock in ms (injectable for tests). */
  now?: () => number;
  /** How to wait between retries (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1) (default Math.random; injectable for tests). */
  random?: () => number;
}

/**
 * Retry-After as delta-seconds or an HTTP date (RFC 9110 10.2.3), in ms from `now`; undefined when unreadable.
 * A date already past is 0.
 */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
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

interface TokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
}

interface Envelope<T> {
  data: T;
  count?: number;
  success: boolean;
}

/** Query parameters; arrays go out comma-separated (customerNos=10001,10002). */
type Query = Record<string, string | number | boolean | ReadonlyArray<string | number> | undefined | null>;

/** Path parameters of a route. */
type Params = Record<string, string | number>;

type Api = 'v1' | 'v2';

interface HeldToken {
  value: string;
  renewAt: number;
  /** v1 only: exchanged for the next token instead of sending the keys again. */
  refresh?: string;
}

export class AgencyClient {
  /** v1 and v2 each on their own base URL. */
  readonly http: { v1: Http; v2: Http };
  private readonly tokenHttp: { v1: Http; v2: Http };
  private readonly tokens: { v1?: HeldToken; v2?: HeldToken } = {};
  private readonly pending: { v1?: Promise<string>; v2?: Promise<string> } = {};
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxRetries: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;

  constructor(readonly options: AgencyClientOptions) {
    for (const k of ['applicationKey', 'clientKey', 'subscriptionKey'] as const)
      if (!options?.[k]) throw new ArgumentError(k, 'is required');
    for (const api of ['v1', 'v2'] as const)
      for (const k of ['baseUrl', 'tokenUrl'] as const)
        if (!options.endpoints?.[api]?.[k])
          throw new ArgumentError(`endpoints.${api}.${k}`, 'is required (see POWEROFFICE, or endpointsOf(client.view) for a sandbox)');
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((ok) => setTimeout(ok, ms)));
    this.maxRetries = options.retry?.maxRetries ?? 3;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 10_000;
    this.random = options.random ?? Math.random;
    if (!Number.isInteger(this.maxRetries) || this.maxRetries < 0)
      throw new ArgumentError('retry.maxRetries', 'must be a whole number >= 0');
    const http = (baseUrl: string) => new Http({ baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
    this.http = { v1: http(options.endpoints.v1.baseUrl), v2: http(options.endpoints.v2.baseUrl) };
    this.tokenHttp = { v1: http(options.endpoints.v1.tokenUrl), v2: http(options.endpoints.v2.tokenUrl) };
  }

  /**
   * An access token for one API, cached until shortly before it expires. v1: client credentials without the
   * subscription key, renewed with its refresh_token while it has one; v2: client credentials with the key.
   */
  async accessToken(api: Api = 'v1', force = false): Promise<string> {
    const held = this.tokens[api];
    if (!force && held && this.now() < held.renewAt) return held.value;
    this.pending[api] ??= (async () => {
      try {
        let answer: TokenAnswer | undefined;
        if (api === 'v1' && held?.refresh)
          answer = await this.requestToken('v1', { grant_type: 'refresh_token', refresh_token: held.refresh }).catch(() => undefined);
        answer ??= await this.requestToken(api, { grant_type: 'client_credentials' });
        const renewBefore = Math.min(this.options.renewBeforeSeconds ?? 60, answer.expires_in / 2);
        const next: HeldToken = {
          value: answer.access_token,
          renewAt: this.now() + (answer.expires_in - renewBefore) * 1000,
          ...(answer.refresh_token ? { refresh: answer.refresh_token } : {}),
        };
        this.tokens[api] = next;
        return next.value;
      } finally {
        delete this.pending[api];
      }
    })();
    return this.pending[api]!;
  }

  private async requestToken(api: Api, form: Record<string, string>): Promise<TokenAnswer> {
    const basic = Buffer.from(`${this.options.applicationKey}:${this.options.clientKey}`).toString('base64');
    const headers: Record<string, string> = { authorization: `Basic ${basic}` };
    if (api === 'v2') headers['ocp-apim-subscription-key'] = this.options.subscriptionKey;
    const res = await this.withRetries('POST', () => this.tokenHttp[api].json<TokenAnswer>('POST', '', { form, headers }));
    return res.body;
  }

  /** Retry what is safe to retry; everything else surfaces at once. */
  private async withRetries<T>(method: string, attempt: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt();
      } catch (e) {
        const idempotent = method === 'GET';
        // Jitter so clients refused together do not come back together: after a Retry-After, up to 20 % more
        // (never earlier than asked); in exponential back-off, between half and the whole step.
        const told = e instanceof ApiError ? retryAfterMs(e.headers?.get('retry-after'), this.now()) : undefined;
        const afterTold = (ms: number) => ms + Math.floor(this.random() * ms * 0.2);
        const backoff = () => Math.round(100 * 2 ** retry * (1 + this.random()));
        let delay: number | undefined;
        if (e instanceof ApiError && e.status === 429) delay = afterTold(told ?? 1000);
        else if (idempotent && e instanceof ApiError && (e.status === 502 || e.status === 503)) delay = told ? afterTold(told) : backoff();
        else if (idempotent && e instanceof NetworkError) delay = backoff();
        if (delay === undefined || retry >= this.maxRetries || (told ?? 0) > this.maxDelayMs) throw e;
        await this.sleep(Math.min(delay, this.maxDelayMs));
      }
    }
  }

  /** An authenticated JSON call to one API, `path` relative to its base URL (retried where safe; a 401 renews the token once). */
  async call<T>(api: Api, method: string, path: string, init: { query?: Query; body?: unknown } = {}): Promise<HttpResponse<T>> {
    return this.authenticated(api, method, (headers) =>
      this.http[api].json<T>(method, path, {
        ...(init.query ? { query: init.query } : {}),
        ...(init.body !== undefined ? { body: init.body } : {}),
        headers,
      }),
    );
  }

  /** Send with the API's bearer token (and on v2 the subscription key), retried where safe; a 401 renews the token and sends once more. */
  private async authenticated<T>(api: Api, method: string, send: (headers: Record<string, string>) => Promise<T>): Promise<T> {
    const attempt = (force: boolean) =>
      this.withRetries(method, async () => {
        const headers: Record<string, string> = { authorization: `Bearer ${await this.accessToken(api, force)}` };
        if (api === 'v2') headers['ocp-apim-subscription-key'] = this.options.subscriptionKey;
        return send(headers);
      });
    try {
      return await attempt(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return attempt(true);
      throw e;
    }
  }

  // ---- v1 -------------------------------------------------------------------------------------------------

  /** A v1 call: unwrap the envelope; `success: false` (even with HTTP 200) throws. */
  private async v1<T>(route: Route, params: Params = {}, init: { query?: Query; body?: unknown } = {}): Promise<Envelope<T>> {
    const path = apiPathOf(route, params);
    const res = await this.call<Envelope<T>>('v1', route.method, path, init);
    if (res.body && (res.body as { success?: boolean }).success === false)
      throw new ApiError(res.status, res.body, res.headers.get('x-request-id'), route.method, this.http.v1.url(path), res.headers);
    return res.body;
  }

  private async v1List<T>(route: Route, query: ODataQuery | Query = {}, params: Params = {}): Promise<V1List<T>> {
    const env = await this.v1<T[]>(route, params, { query: { ...query } });
    return { data: env.data, count: env.count ?? env.data.length };
  }

  /** Every item of a v1 list, page by page with $skip/$top. */
  private async *v1All<T>(route: Route, query: ODataQuery, pageSize: number): AsyncGenerator<T> {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new ArgumentError('pageSize', 'must be a whole number >= 1');
    for (let skip = query.$skip ?? 0; ; skip += pageSize) {
      const page = await this.v1List<T>(route, { ...query, $skip: skip, $top: pageSize });
      yield* page.data;
      if (page.data.length < pageSize || skip + pageSize >= page.count) return;
    }
  }

  readonly debtCollection = {
    isActive: async () => (await this.v1<boolean>(R.isActiveDebtCollection)).data,
    availableInvoices: (query: ODataQuery = {}) => this.v1List<DebtCollectionInvoice>(R.getAvailableInvoices, query),
    /** Every available invoice, paging with $skip/$top. */
    allAvailableInvoices: (query: ODataQuery = {}, pageSize = 500) =>
      this.v1All<DebtCollectionInvoice>(R.getAvailableInvoices, query, pageSize),
    cases: (query: ODataQuery = {}) => this.v1List<DebtCollectionCase>(R.getCases, query),
    allCases: (query: ODataQuery = {}, pageSize = 500) => this.v1All<DebtCollectionCase>(R.getCases, query, pageSize),
    case: async (id: string) => (need(id, 'id'), (await this.v1<DebtCollectionCase>(R.getCase, { id })).data),
    createCase: async (request: CreateCaseRequest) => {
      if (!request?.code) throw new ArgumentError('code', 'is required (the agency case number)');
      return (await this.v1<DebtCollectionCase>(R.createCase, {}, { body: request })).data;
    },
    addInvoicesToCase: async (caseId: string, invoiceIds: string[]) => {
      need(caseId, 'caseId');
      if (!invoiceIds?.length) throw new ArgumentError('invoiceIds', 'needs at least one invoice id');
      return (await this.v1<DebtCollectionCase>(R.addInvoicesToCase, {}, { body: { caseId, invoiceIds } })).data;
    },
    mergeCases: async (request: MergeCasesRequest) => {
      if (!request?.caseIds || request.caseIds.length < 2) throw new ArgumentError('caseIds', 'needs at least two cases');
      need(request.caseNo, 'caseNo');
      return (await this.v1<DebtCollectionCase>(R.mergeCases, {}, { body: request })).data;
    },
    updateStatus: async (request: UpdateStatusRequest) => {
      need(request?.caseId, 'caseId');
      need(request?.statusText, 'statusText');
      return (await this.v1<DebtCollectionCase>(R.updateStatus, {}, { body: request })).data;
    },
    /** The agency rejects the case: it is deleted and its invoices become Rejected. */
    rejectCase: async (id: string) => (need(id, 'id'), (await this.v1<boolean>(R.deleteCase, { id })).data),
    matchedItems: async (debtCollectionInvoiceId: string) => {
      need(debtCollectionInvoiceId, 'debtCollectionInvoiceId');
      return this.v1List<DebtCollectionInvoiceMatch>(R.getMatchedItems, {}, { debtCollectionInvoiceId });
    },
    allMatchedItems: async (fromDateTime: string | Date) => {
      need(fromDateTime, 'fromDateTime');
      return this.v1List<{ matchedItems: DebtCollectionInvoiceMatch[] }>(R.getAllMatchedItems, {
        fromDateTime: fromDateTime instanceof Date ? fromDateTime.toISOString() : fromDateTime,
      });
    },
    invoicePdf: async (id: string): Promise<Uint8Array> => {
      need(id, 'id');
      const path = apiPathOf(R.getInvoicePdf, { id });
      return this.authenticated('v1', 'GET', async (headers) => {
        const res = await this.http.v1.raw('GET', path, { headers: { ...headers, accept: 'application/pdf' } });
        const refused = await binaryRefusal(res, 'GET', this.http.v1.url(path));
        if (refused) throw refused;
        return new Uint8Array(await res.arrayBuffer());
      });
    },
  };

  // ---- v2 -------------------------------------------------------------------------------------------------

  /** One v2 page: a bare array, or [] for 204. */
  private async v2Page<T>(path: string, query: Query): Promise<{ items: T[]; next: boolean }> {
    const res = await this.call<T[] | undefined>('v2', 'GET', path, { query });
    if (res.status === 204 || !res.body) return { items: [], next: false };
    const header = res.headers.get('x-pagination');
    let next = res.body.length >= Number(query.PageSize ?? 5000);
    if (header) {
      try {
        next = Boolean((JSON.parse(header) as { nextPageLink?: string }).nextPageLink);
      } catch {
        // A header we cannot read: fall back to "a full page means more".
      }
    }
    return { items: res.body, next };
  }

  /** One v2 answer that is not a list. */
  private async v2One<T>(route: Route, params: Params, body?: unknown): Promise<T> {
    return (await this.call<T>('v2', route.method, apiPathOf(route, params), body === undefined ? {} : { body })).body;
  }

  /**
   * Every item of a v2 list (a route, or a path relative to the v2 base URL), following PageNumber until an empty
   * page (204) or the last page.
   */
  async *v2All<T>(list: Route | string, query: Query = {}, pageSize = 5000): AsyncGenerator<T> {
    const path = typeof list === 'string' ? list : apiPathOf(list);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 20_000)
      throw new ArgumentError('pageSize', 'must be a whole number from 1 to 20000');
    for (let page = 1; ; page++) {
      const { items, next } = await this.v2Page<T>(path, { ...query, PageNumber: page, PageSize: pageSize });
      yield* items;
      if (!next || items.length === 0) return;
    }
  }

  private async collect<T>(iterator: AsyncGenerator<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of iterator) out.push(item);
    return out;
  }

  readonly v2 = {
    customers: (query: CustomersQuery = {}) => this.collect(this.v2All<CustomerDto>(R.v2ListCustomers, { ...query })),
    customer: async (id: number) => (need(id, 'id'), await this.v2One<CustomerDto>(R.v2GetCustomer, { id })),
    openItems: async (query: OpenItemsQuery) => {
      need(query?.date, 'date');
      return this.collect(this.v2All<CustomerLedgerEntryDto>(R.v2CustomerLedgerOpenItems, { ...query }));
    },
    outgoingInvoices: (query: OutgoingInvoicesQuery = {}) =>
      this.collect(this.v2All<OutgoingInvoiceDto>(R.v2ListOutgoingInvoices, { ...query })),
    outgoingInvoice: async (id: string) => (need(id, 'id'), await this.v2One<OutgoingInvoiceDto>(R.v2GetOutgoingInvoice, { id })),
    generalLedgerAccounts: (query: { accountNos?: string } = {}) =>
      this.collect(this.v2All<GeneralLedgerAccountDto>(R.v2ListGeneralLedgerAccounts, query)),
    vatCodes: () => this.collect(this.v2All<VatCodeDto>(R.v2ListVatCodes)),
    /**
     * Post a settlement as a bank voucher. Give an ExternalImportReference: the API refuses a second posting with the
     * same one, so a settlement is never booked twice even if you resend it after a lost answer.
     */
    postBankJournal: async (voucher: BankVoucherPostDto) => {
      need(voucher?.VoucherDate, 'VoucherDate');
      if (!voucher.VoucherLines?.length) throw new ArgumentError('VoucherLines', 'needs at least two lines that balance');
      return await this.v2One<BankVoucherDto>(R.v2PostBankJournal, {}, voucher);
    },
    /** Costs, VAT and interest to the voucher reception, as a draft the ERP user approves. */
    postManualJournal: async (voucher: ManualJournalEntryVoucherPostDto) => {
      need(voucher?.VoucherDate, 'VoucherDate');
      if (!voucher.ManualVoucherLines?.length) throw new ArgumentError('ManualVoucherLines', 'needs at least one line');
      return await this.v2One<ManualJournalEntryVoucherDto>(R.v2PostManualJournal, {}, voucher);
    },
  };
}

export function createAgencyClient(options: AgencyClientOptions): AgencyClient {
  return new AgencyClient(options);
}
