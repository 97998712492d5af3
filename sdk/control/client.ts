/**
 * The control client: drive a sandbox from a test or script. Every call returns once its effects have happened
 * (an advance returns after every rule it triggered has run), so a test reads top to bottom without sleeps.
 * Types come from the contract schemas; no shape is written twice.
 */
import type { Static } from '@sinclair/typebox';
import type * as C from '../../contracts/schemas/control.js';
import type * as S from '../../contracts/schemas/seed.js';
import { Http, type Fetch } from '../http.js';
import { ArgumentError, need } from '../errors.js';
import type { AgencyEndpoints } from '../client/agency.js';

export type ClientView = Static<typeof C.ClientView>;
export type ClientInput = Static<typeof C.ClientInput>;
export type SettingsInput = Static<typeof C.SettingsInput>;
export type SettingsView = Static<typeof C.SettingsView>;
export type IntegrationInput = Static<typeof C.IntegrationInput>;
export type IntegrationChangeInput = Static<typeof C.IntegrationChangeInput>;
export type IntegrationView = Static<typeof C.IntegrationView>;
export type CustomerInput = Static<typeof C.CustomerInput>;
export type CustomerChangeInput = Static<typeof C.CustomerChangeInput>;
export type CustomerView = Static<typeof C.CustomerView>;
export type InvoiceInput = Static<typeof C.InvoiceInput>;
export type InvoiceView = Static<typeof C.InvoiceView>;
export type CreditNoteInput = Static<typeof C.CreditNoteInput>;
export type PaymentInput = Static<typeof C.PaymentInput>;
export type WriteOffInput = Static<typeof C.WriteOffInput>;
export type VoucherView = Static<typeof C.VoucherView>;
export type SelectionInput = Static<typeof C.SelectionInput>;
export type OverrideInput = Static<typeof C.OverrideInput>;
export type SelectionResult = Static<typeof C.SelectionResultView>;
export type CollectionView = Static<typeof C.CollectionView>;
export type AdvanceInput = Static<typeof C.AdvanceInput>;
export type AdvanceView = Static<typeof C.AdvanceView>;
export type ClockView = Static<typeof C.ClockView>;
export type EventView = Static<typeof C.EventView>;
export type EventsQuery = Static<typeof C.EventsQuery>;
export type ExplainView = Static<typeof C.ExplainView>;
export type SnapshotView = Static<typeof C.SnapshotView>;
export type ReceptionDraftView = Static<typeof C.ReceptionDraftView>;
export type LedgerCheckView = Static<typeof C.LedgerCheckView>;
export type LedgerItemExplainView = Static<typeof C.LedgerItemExplainView>;
export type RequestJournalView = Static<typeof C.RequestJournalView>;
export type ScenarioRunInput = Static<typeof C.ScenarioRunInput>;
export type ScenarioRunView = Static<typeof C.ScenarioRunView>;
export type ScenarioCatalogueView = Static<typeof C.ScenarioCatalogueView>;
export type FaultInput = Static<typeof C.FaultInput>;
export type FaultView = Static<typeof C.FaultView>;
export type SeedInput = Static<typeof S.SeedInput>;
export type SeedResult = Static<typeof S.SeedResult>;

export interface SandboxControlOptions {
  /** e.g. http://localhost:4010 */
  baseUrl: string;
  /** Only when the server runs with --admin-token. */
  adminToken?: string;
  /** A fetch to use instead of the global one (in-process mode passes the sandbox's own). */
  fetch?: Fetch;
}

const enc = encodeURIComponent;

/** What an agency client needs to reach a sandbox client: the four URLs and one integration's keys. */
export interface AgencyConnection {
  endpoints: AgencyEndpoints;
  applicationKey: string;
  clientKey: string;
  subscriptionKey: string;
}

/**
 * The four URLs and the keys of one integration (the first, or the one with this id) from a client view:
 * `createAgencyClient({ ...endpointsOf(client.view) })`.
 */
export function endpointsOf(view: Pick<ClientView, 'endpoints' | 'integrations'>, integrationId?: string): AgencyConnection {
  need(view?.endpoints, 'view.endpoints');
  const integration = integrationId === undefined ? view.integrations[0] : view.integrations.find((i) => i.id === integrationId);
  if (!integration) throw new ArgumentError(integrationId === undefined ? 'view.integrations' : 'integrationId', integrationId === undefined ? 'is empty: the client has no integration' : `names no integration of client (${view.integrations.map((i) => i.id).join(', ')})`);
  const { v1, v2 } = view.endpoints;
  return {
    endpoints: { v1: { baseUrl: v1.baseUrl, tokenUrl: v1.tokenUrl }, v2: { baseUrl: v2.baseUrl, tokenUrl: v2.tokenUrl } },
    applicationKey: integration.applicationKey,
    clientKey: integration.clientKey,
    subscriptionKey: integration.subscriptionKey,
  };
}

/** One client world. */
export class ClientControl {
  constructor(
    private readonly http: Http,
    readonly id: string,
  ) {
    need(id, 'clientId');
  }

  private get base(): string {
    return `/_sandbox/clients/${enc(this.id)}`;
  }

  private async call<T>(method: string, path: string, body?: unknown, query?: Record<string, unknown>): Promise<T> {
    return (await this.http.json<T>(method, this.base + path, { ...(body !== undefined ? { body } : {}), ...(query ? { query: query as Record<string, string> } : {}) })).body;
  }

  get = () => this.call<ClientView>('GET', '');
  /** The four URLs (as this control client addresses the sandbox) and one integration's keys, for createAgencyClient. */
  connection = async (integrationId?: string) => endpointsOf(await this.get(), integrationId);
  delete = () => this.call<void>('DELETE', '');
  export = () => this.call<unknown>('GET', '/export');

  readonly clock = {
    get: () => this.call<ClockView>('GET', '/clock'),
    /** Forward only: {days, hours, minutes} or {to: 'YYYY-MM-DD' (08:00 local) | date-time}. */
    advance: async (by: AdvanceInput) => {
      if (by.to === undefined && by.days === undefined && by.hours === undefined && by.minutes === undefined) throw new ArgumentError('advance', 'needs days, hours, minutes or to');
      for (const k of ['days', 'hours', 'minutes'] as const) if (by[k] !== undefined && (!Number.isInteger(by[k]) || by[k]! < 0)) throw new ArgumentError(`advance.${k}`, 'must be a whole number >= 0');
      return this.call<AdvanceView>('POST', '/clock/advance', by);
    },
  };

  readonly settings = {
    get: () => this.call<SettingsView>('GET', '/settings'),
    update: (change: SettingsInput) => this.call<SettingsView>('PUT', '/settings', change),
  };

  readonly integrations = {
    add: (input: IntegrationInput) => this.call<IntegrationView>('POST', '/integrations', input),
    change: async (id: string, change: IntegrationChangeInput) => { need(id, 'integrationId'); return this.call<IntegrationView>('PATCH', `/integrations/${enc(id)}`, change); },
  };

  readonly customers = {
    create: (input: CustomerInput) => this.call<CustomerView>('POST', '/customers', input),
    list: async () => (await this.call<{ customers: CustomerView[] }>('GET', '/customers')).customers,
    get: async (id: number) => { need(id, 'customerId'); return this.call<CustomerView>('GET', `/customers/${id}`); },
    update: async (id: number, change: CustomerChangeInput) => { need(id, 'customerId'); return this.call<CustomerView>('PATCH', `/customers/${id}`, change); },
  };

  readonly invoices = {
    create: async (input: InvoiceInput) => {
      if (!(input.amount > 0)) throw new ArgumentError('amount', 'must be more than 0');
      return this.call<InvoiceView>('POST', '/invoices', input);
    },
    list: async (query: { status?: string; customerId?: number; kind?: string } = {}) => (await this.call<{ invoices: InvoiceView[] }>('GET', '/invoices', undefined, query)).invoices,
    get: async (id: string) => { need(id, 'invoiceId'); return this.call<InvoiceView>('GET', `/invoices/${enc(id)}`); },
    explain: async (id: string) => { need(id, 'invoiceId'); return this.call<ExplainView>('GET', `/invoices/${enc(id)}/explain`); },
  };

  creditNote = (input: CreditNoteInput) => this.call<InvoiceView>('POST', '/credit-notes', input);
  payment = (input: PaymentInput) => this.call<VoucherView>('POST', '/payments', input);

  readonly writeOffs = {
    create: (input: WriteOffInput) => this.call<VoucherView>('POST', '/write-offs', input),
    reverse: async (voucherId: string, date?: string) => { need(voucherId, 'voucherId'); return this.call<VoucherView>('POST', `/write-offs/${enc(voucherId)}/reverse`, date ? { date } : {}); },
  };

  readonly collection = {
    lists: () => this.call<CollectionView>('GET', '/collection'),
    approve: (sel: SelectionInput) => this.call<SelectionResult>('POST', '/collection/approve', sel),
    hold: (sel: SelectionInput) => this.call<SelectionResult>('POST', '/collection/hold', sel),
    release: (sel: SelectionInput) => this.call<SelectionResult>('POST', '/collection/release', sel),
    remove: (sel: SelectionInput) => this.call<SelectionResult>('POST', '/collection/remove', sel),
    override: (input: OverrideInput) => this.call<SelectionResult>('POST', '/collection/override', input),
  };

  readonly snapshots = {
    save: async (name: string) => { need(name, 'name'); return this.call<SnapshotView>('POST', '/snapshots', { name }); },
    list: async () => (await this.call<{ snapshots: SnapshotView[] }>('GET', '/snapshots')).snapshots,
    restore: async (name: string) => { need(name, 'name'); return this.call<ClientView>('POST', `/snapshots/${enc(name)}/restore`); },
    delete: async (name: string) => { need(name, 'name'); return this.call<void>('DELETE', `/snapshots/${enc(name)}`); },
  };

  events = (query: EventsQuery = {}) => this.call<{ events: EventView[]; lastSeq: number }>('GET', '/events', undefined, query);
  requests = async () => (await this.call<RequestJournalView>('GET', '/requests')).requests;
  vouchers = async () => (await this.call<{ vouchers: VoucherView[] }>('GET', '/vouchers')).vouchers;
  checkLedger = () => this.call<LedgerCheckView>('GET', '/ledger/check');
  /** What a customer-ledger item (a v2 OpenItems Id) is and, when unmatched, why. */
  explainLedgerItem = (itemId: number) => this.call<LedgerItemExplainView>('GET', `/ledger/items/${enc(String(itemId))}/explain`);

  readonly voucherReception = {
    list: async () => (await this.call<{ drafts: ReceptionDraftView[] }>('GET', '/voucher-reception')).drafts,
    approve: (draftId: string) => this.call<VoucherView>('POST', `/voucher-reception/${enc(draftId)}/approve`),
    reject: (draftId: string) => this.call<ReceptionDraftView>('POST', `/voucher-reception/${enc(draftId)}/reject`),
  };

  /** Fill the client with realistic Norwegian customers and invoices (same seed, same data). */
  seed = (input: SeedInput = {}) => this.call<SeedResult>('POST', '/seed', input);

  /** Faults in this client's agency API (status, latency, dropped connection), for testing error handling. */
  readonly faults = {
    add: (input: FaultInput) => this.call<FaultView>('POST', '/faults', input),
    list: async () => (await this.call<{ faults: FaultView[] }>('GET', '/faults')).faults,
    remove: async (faultId: string) => { need(faultId, 'faultId'); return this.call<void>('DELETE', `/faults/${enc(faultId)}`); },
    clear: () => this.call<void>('DELETE', '/faults'),
  };

  /** Revoke every access token issued for this client so far. */
  revokeTokens = () => this.call<{ revoked: boolean; at: string }>('POST', '/tokens/revoke');

  readonly scenarios = {
    /** Play a catalogue scenario on this client: all of it, or `until` a step (id or index), or `steps` more. */
    run: async (name: string, input: ScenarioRunInput = {}) => { need(name, 'name'); return this.call<ScenarioRunView>('POST', `/scenarios/${enc(name)}/run`, input); },
  };
}

export class SandboxControl {
  readonly http: Http;

  constructor(readonly options: SandboxControlOptions) {
    need(options?.baseUrl, 'baseUrl');
    this.http = new Http({
      baseUrl: options.baseUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      headers: (): Record<string, string> => (options.adminToken ? { 'x-sandbox-admin-token': options.adminToken } : {}),
    });
  }

  readonly clients = {
    create: async (input: ClientInput = {}): Promise<ClientControl & { view: ClientView }> => {
      const view = (await this.http.json<ClientView>('POST', '/_sandbox/clients', { body: input })).body;
      return Object.assign(new ClientControl(this.http, view.id), { view });
    },
    list: async () => (await this.http.json<{ clients: Array<{ id: string; name: string; createdAt: string }> }>('GET', '/_sandbox/clients')).body.clients,
    import: async (exportFile: unknown, options: { id?: string; name?: string } = {}) => {
      const view = (await this.http.json<ClientView>('POST', '/_sandbox/clients/import', { body: { export: exportFile, ...options } })).body;
      return Object.assign(new ClientControl(this.http, view.id), { view });
    },
  };

  /** A handle on an existing client. */
  client(id: string): ClientControl {
    return new ClientControl(this.http, id);
  }

  scenarios = async () => (await this.http.json<ScenarioCatalogueView>('GET', '/_sandbox/scenarios')).body.scenarios;
}

export function createSandbox(options: SandboxControlOptions): SandboxControl {
  return new SandboxControl(options);
}
