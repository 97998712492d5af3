/**
 * The agency client: what an integration calls in PowerOffice Go, typed from the contracts. Nothing in it is
 * sandbox-only, so the same code runs against the real base URLs.
 *
 * - Tokens: fetched on first use, renewed before they expire, and once more after a 401 (the sandbox expires
 *   tokens on the client's own clock, which a caller cannot see).
 * - Retries, bounded: a 429 is retried for any method after its Retry-After (the request was refused, nothing
 *   happened); 502/503 and network errors only for GET, which is safe to repeat. POSTs are never repeated blind.
 * - Paging: v2 lists follow PageNumber until an empty page (204); v1 lists page with $skip/$top.
 */
import type { Static } from '@sinclair/typebox';
import type * as V1 from '../../contracts/schemas/v1.js';
import type * as V2 from '../../contracts/schemas/v2.js';
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

export interface AgencyClientOptions {
  /** The API host: https://goapi.poweroffice.net/Demo for the vendor's demo, or http://localhost:4010 for the sandbox. */
  baseUrl: string;
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

/** Query parameters; arrays go out comma-separated (customerNos=10001,10002). */
type Query = Record<string, string | number | boolean | ReadonlyArray<string | number> | undefined | null>;

const enc = encodeURIComponent;

export class AgencyClient {
  readonly http: Http;
  private token: { value: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxRetries: number;
  private readonly maxDelayMs: number;

  constructor(readonly options: AgencyClientOptions) {
    for (const k of ['baseUrl', 'applicationKey', 'clientKey', 'subscriptionKey'] as const) if (!options?.[k]) throw new ArgumentError(k, 'is required');
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((ok) => setTimeout(ok, ms)));
    this.maxRetries = options.retry?.maxRetries ?? 3;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 10_000;
    if (!Number.isInteger(this.maxRetries) || this.maxRetries < 0) throw new ArgumentError('retry.maxRetries', 'must be a whole number >= 0');
    this.http = new Http({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  }

  /** POST /OAuth/Token (client credentials); cached until shortly before it expires. */
  async accessToken(force = false): Promise<string> {
    if (!force && this.token && this.now() < this.token.renewAt) return this.token.value;
    this.pending ??= (async () => {
      try {
        const basic = Buffer.from(`${this.options.applicationKey}:${this.options.clientKey}`).toString('base64');
        const res = await this.withRetries('POST', () =>
          this.http.json<{ access_token: string; expires_in: number }>('POST', '/OAuth/Token', {
            form: { grant_type: 'client_credentials' },
            headers: { authorization: `Basic ${basic}`, 'ocp-apim-subscription-key': this.options.subscriptionKey },
          }),
        );
        const renewBefore = Math.min(this.options.renewBeforeSeconds ?? 60, res.body.expires_in / 2);
        this.token = { value: res.body.access_token, renewAt: this.now() + (res.body.expires_in - renewBefore) * 1000 };
        return this.token.value;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  /** Retry what is safe to retry; everything else surfaces at once. */
  private async withRetries<T>(method: string, attempt: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt();
      } catch (e) {
        const idempotent = method === 'GET';
        let delay: number | undefined;
        if (e instanceof ApiError && e.status === 429) delay = Number(e.headers?.get('retry-after') ?? 1) * 1000;
        else if (idempotent && e instanceof ApiError && (e.status === 502 || e.status === 503)) delay = Number(e.headers?.get('retry-after') ?? 0) * 1000 || 200 * 2 ** retry;
        else if (idempotent && e instanceof NetworkError) delay = 200 * 2 ** retry;
        if (delay === undefined || retry >= this.maxRetries || delay > this.maxDelayMs) throw e;
        await this.sleep(delay);
      }
    }
  }

  /** An authenticated JSON call (retried where safe; a 401 renews the token once). */
  async call<T>(method: string, path: string, init: { query?: Query; body?: unknown } = {}): Promise<HttpResponse<T>> {
    return this.authenticated(method, (headers) =>
      this.http.json<T>(method, path, { ...(init.query ? { query: init.query } : {}), ...(init.body !== undefined ? { body: init.body } : {}), headers }),
    );
  }

  /** Send with the bearer token and subscription key, retried where safe; a 401 renews the token and sends once more. */
  private async authenticated<T>(method: string, send: (headers: Record<string, string>) => Promise<T>): Promise<T> {
    const attempt = (force: boolean) =>
      this.withRetries(method, async () => send({ authorization: `Bearer ${await this.accessToken(force)}`, 'ocp-apim-subscription-key': this.options.subscriptionKey }));
    try {
      return await attempt(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return attempt(true);
      throw e;
    }
  }

  // ---- v1 -------------------------------------------------------------------------------------------------

  /** A v1 call: unwrap the envelope; `success: false` (even with HTTP 200) throws. */
  private async v1<T>(method: string, path: string, init: { query?: Query; body?: unknown } = {}): Promise<Envelope<T>> {
    const res = await this.call<Envelope<T>>(method, path, init);
    if (res.body && (res.body as { success?: boolean }).success === false) throw new ApiError(res.status, res.body, res.headers.get('x-request-id'), method, this.http.url(path), res.headers);
    return res.body;
  }

  private async v1List<T>(path: string, query: ODataQuery | Query = {}): Promise<V1List<T>> {
    const env = await this.v1<T[]>('GET', path, { query: { ...query } });
    return { data: env.data, count: env.count ?? env.data.length };
  }

  /** Every item of a v1 list, page by page with $skip/$top. */
  private async *v1All<T>(path: string, query: ODataQuery, pageSize: number): AsyncGenerator<T> {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new ArgumentError('pageSize', 'must be a whole number >= 1');
    for (let skip = query.$skip ?? 0; ; skip += pageSize) {
      const page = await this.v1List<T>(path, { ...query, $skip: skip, $top: pageSize });
      yield* page.data;
      if (page.data.length < pageSize || skip + pageSize >= page.count) return;
    }
  }

  readonly debtCollection = {
    isActive: async () => (await this.v1<boolean>('GET', '/DebtCollection/IsActiveDebtCollection')).data,
    availableInvoices: (query: ODataQuery = {}) => this.v1List<DebtCollectionInvoice>('/DebtCollection/Invoices/AvailableInvoices', query),
    /** Every available invoice, paging with $skip/$top. */
    allAvailableInvoices: (query: ODataQuery = {}, pageSize = 500) => this.v1All<DebtCollectionInvoice>('/DebtCollection/Invoices/AvailableInvoices', query, pageSize),
    cases: (query: ODataQuery = {}) => this.v1List<DebtCollectionCase>('/DebtCollection', query),
    allCases: (query: ODataQuery = {}, pageSize = 500) => this.v1All<DebtCollectionCase>('/DebtCollection', query, pageSize),
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
      need(request.caseNo, 'caseNo');
      return (await this.v1<DebtCollectionCase>('POST', '/DebtCollection/MergeCases', { body: request })).data;
    },
    updateStatus: async (request: UpdateStatusRequest) => {
      need(request?.caseId, 'caseId');
      need(request?.statusText, 'statusText');
      return (await this.v1<DebtCollectionCase>('POST', '/DebtCollection/UpdateStatus', { body: request })).data;
    },
    /** The agency rejects the case: it is deleted and its invoices become Rejected. */
    rejectCase: async (id: string) => (need(id, 'id'), (await this.v1<boolean>('DELETE', `/DebtCollection/${enc(id)}`)).data),
    matchedItems: async (debtCollectionInvoiceId: string) => { need(debtCollectionInvoiceId, 'debtCollectionInvoiceId'); return this.v1List<DebtCollectionInvoiceMatch>(`/DebtCollection/MatchedItems/${enc(debtCollectionInvoiceId)}`); },
    allMatchedItems: async (fromDateTime: string | Date) => {
      need(fromDateTime, 'fromDateTime');
      return this.v1List<{ matchedItems: DebtCollectionInvoiceMatch[] }>('/DebtCollection/GetAllMatchedItems', { fromDateTime: fromDateTime instanceof Date ? fromDateTime.toISOString() : fromDateTime });
    },
    invoicePdf: async (id: string): Promise<Uint8Array> => {
      need(id, 'id');
      const path = `/DebtCollection/GetInvoicePdf/${enc(id)}`;
      return this.authenticated('GET', async (headers) => {
        const res = await this.http.raw('GET', path, { headers: { ...headers, accept: 'application/pdf' } });
        const refused = await binaryRefusal(res, 'GET', this.http.url(path));
        if (refused) throw refused;
        return new Uint8Array(await res.arrayBuffer());
      });
    },
  };

  // ---- v2 -------------------------------------------------------------------------------------------------

  /** One v2 page: a bare array, or [] for 204. */
  private async v2Page<T>(path: string, query: Query): Promise<{ items: T[]; next: boolean }> {
    const res = await this.call<T[] | undefined>('GET', path, { query });
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

  /** Every item of a v2 list, following PageNumber until an empty page (204) or the last page. */
  async *v2All<T>(path: string, query: Query = {}, pageSize = 5000): AsyncGenerator<T> {
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 20_000) throw new ArgumentError('pageSize', 'must be a whole number from 1 to 20000');
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
    customers: (query: CustomersQuery = {}) => this.collect(this.v2All<CustomerDto>('/v2/Customers', { ...query })),
    customer: async (id: number) => (need(id, 'id'), (await this.call<CustomerDto>('GET', `/v2/Customers/${id}`)).body),
    openItems: async (query: OpenItemsQuery) => {
      need(query?.date, 'date');
      return this.collect(this.v2All<CustomerLedgerEntryDto>('/v2/Customerledger/OpenItems', { ...query }));
    },
    outgoingInvoices: (query: OutgoingInvoicesQuery = {}) => this.collect(this.v2All<OutgoingInvoiceDto>('/v2/OutgoingInvoices', { ...query })),
    outgoingInvoice: async (id: string) => (need(id, 'id'), (await this.call<OutgoingInvoiceDto>('GET', `/v2/OutgoingInvoices/${enc(id)}`)).body),
    generalLedgerAccounts: (query: { accountNos?: string } = {}) => this.collect(this.v2All<GeneralLedgerAccountDto>('/v2/GeneralLedgerAccounts', query)),
    vatCodes: () => this.collect(this.v2All<VatCodeDto>('/v2/VatCodes')),
    /**
     * Post a settlement as a bank voucher. Give an ExternalImportReference: the API refuses a second posting with the
     * same one, so a settlement is never booked twice even if you resend it after a lost answer.
     */
    postBankJournal: async (voucher: BankVoucherPostDto) => {
      need(voucher?.VoucherDate, 'VoucherDate');
      if (!voucher.VoucherLines?.length) throw new ArgumentError('VoucherLines', 'needs at least two lines that balance');
      return (await this.call<BankVoucherDto>('POST', '/v2/Vouchers/BankJournals', { body: voucher })).body;
    },
    /** Costs, VAT and interest to the voucher reception, as a draft the ERP user approves. */
    postManualJournal: async (voucher: ManualJournalEntryVoucherPostDto) => {
      need(voucher?.VoucherDate, 'VoucherDate');
      if (!voucher.ManualVoucherLines?.length) throw new ArgumentError('ManualVoucherLines', 'needs at least one line');
      return (await this.call<ManualJournalEntryVoucherDto>('POST', '/v2/JournalEntryVouchers/ManualJournals', { body: voucher })).body;
    },
  };
}

export function createAgencyClient(options: AgencyClientOptions): AgencyClient {
  return new AgencyClient(options);
}
