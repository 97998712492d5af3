/**
 * The control client: drive a sandbox from a test or script. Every call returns once its effects have happened
 * (an advance returns after every rule it triggered has run), so a test reads top to bottom without sleeps.
 * Types come from the contract schemas; no shape is written twice.
 */
import type { Static } from '@sinclair/typebox';
import type * as C from '../../contracts/schemas/control.js';
import type * as S from '../../contracts/schemas/seed.js';
import { ROUTES as R, type Route, type ResponseOf } from '../../contracts/routes.js';
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
  if (!integration)
    throw new ArgumentError(
      integrationId === undefined ? 'view.integrations' : 'integrationId',
      integrationId === undefined
        ? 'is empty: the client has no integration'
        : `names no integration of client (${view.integrations.map((i) => i.id).join(', ')})`,
    );
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

  /** One operation of this client, its path filled from the route table. */
  private call<T extends Route>(
    route: T,
    params: Record<string, string | number> = {},
    body?: unknown,
    query?: Record<string, unknown>,
  ): Promise<ResponseOf<T>> {
    return this.http.send(
      route,
      { clientId: this.id, ...params },
      { ...(body !== undefined ? { body } : {}), ...(query ? { query } : {}) },
    );
  }

  get = () => this.call(R.getClient);
  /** The four URLs (as this control client addresses the sandbox) and one integration's keys, for createAgencyClient. */
  connection = async (integrationId?: string) => endpointsOf(await this.get(), integrationId);
  delete = () => this.call(R.deleteClient);
  export = () => this.call(R.exportClient);

  readonly clock = {
    get: () => this.call(R.getClock),
    /** Forward only: {days, hours, minutes} or {to: 'YYYY-MM-DD' (08:00 local) | date-time}. */
    advance: async (by: AdvanceInput) => {
      if (by.to === undefined && by.days === undefined && by.hours === undefined && by.minutes === undefined)
        throw new ArgumentError('advance', 'needs days, hours, minutes or to');
      for (const k of ['days', 'hours', 'minutes'] as const)
        if (by[k] !== undefined && (!Number.isInteger(by[k]) || by[k]! < 0))
          throw new ArgumentError(`advance.${k}`, 'must be a whole number >= 0');
      return this.call(R.advanceClock, {}, by);
    },
  };

  readonly settings = {
    get: () => this.call(R.getSettings),
    update: (change: SettingsInput) => this.call(R.changeSettings, {}, change),
  };

  readonly integrations = {
    add: (input: IntegrationInput) => this.call(R.addIntegration, {}, input),
    change: async (id: string, change: IntegrationChangeInput) => {
      need(id, 'integrationId');
      return this.call(R.changeIntegration, { integrationId: id }, change);
    },
  };

  readonly customers = {
    create: (input: CustomerInput) => this.call(R.createCustomer, {}, input),
    list: async () => (await this.call(R.listCustomers)).customers,
    get: async (id: number) => {
      need(id, 'customerId');
      return this.call(R.getCustomer, { customerId: id });
    },
    update: async (id: number, change: CustomerChangeInput) => {
      need(id, 'customerId');
      return this.call(R.changeCustomer, { customerId: id }, change);
    },
  };

  readonly invoices = {
    create: async (input: InvoiceInput) => {
      if (!(input.amount > 0)) throw new ArgumentError('amount', 'must be more than 0');
      return this.call(R.postInvoice, {}, input);
    },
    list: async (query: { status?: string; customerId?: number; kind?: string } = {}) =>
      (await this.call(R.listInvoices, {}, undefined, query)).invoices,
    get: async (id: string) => {
      need(id, 'invoiceId');
      return this.call(R.getInvoice, { invoiceId: id });
    },
    explain: async (id: string) => {
      need(id, 'invoiceId');
      return this.call(R.explainInvoice, { invoiceId: id });
    },
  };

  creditNote = (input: CreditNoteInput) => this.call(R.postCreditNote, {}, input);
  payment = (input: PaymentInput) => this.call(R.postPayment, {}, input);

  readonly writeOffs = {
    create: (input: WriteOffInput) => this.call(R.postWriteOff, {}, input),
    reverse: async (voucherId: string, date?: string) => {
      need(voucherId, 'voucherId');
      return this.call(R.reverseWriteOff, { voucherId }, date ? { date } : {});
    },
  };

  readonly collection = {
    lists: () => this.call(R.getCollection),
    approve: (sel: SelectionInput) => this.call(R.approveInvoices, {}, sel),
    hold: (sel: SelectionInput) => this.call(R.holdInvoices, {}, sel),
    release: (sel: SelectionInput) => this.call(R.releaseInvoices, {}, sel),
    remove: (sel: SelectionInput) => this.call(R.removeInvoices, {}, sel),
    override: (input: OverrideInput) => this.call(R.overrideNextAction, {}, input),
  };

  readonly snapshots = {
    save: async (name: string) => {
      need(name, 'name');
      return this.call(R.saveSnapshot, {}, { name });
    },
    list: async () => (await this.call(R.listSnapshots)).snapshots,
    restore: async (name: string) => {
      need(name, 'name');
      return this.call(R.restoreSnapshot, { name });
    },
    delete: async (name: string) => {
      need(name, 'name');
      return this.call(R.deleteSnapshot, { name });
    },
  };

  events = (query: EventsQuery = {}) => this.call(R.listEvents, {}, undefined, query);
  requests = async () => (await this.call(R.listRequests)).requests;
  vouchers = async () => (await this.call(R.listVouchers)).vouchers;
  checkLedger = () => this.call(R.checkLedger);
  /** What a customer-ledger item (a v2 OpenItems Id) is and, when unmatched, why. */
  explainLedgerItem = (itemId: number) => this.call(R.explainLedgerItem, { itemId });

  readonly voucherReception = {
    list: async () => (await this.call(R.listVoucherReception)).drafts,
    approve: (draftId: string) => this.call(R.approveReceptionDraft, { draftId }),
    reject: (draftId: string) => this.call(R.rejectReceptionDraft, { draftId }),
  };

  /** Fill the client with realistic Norwegian customers and invoices (same seed, same data). */
  seed = (input: SeedInput = {}) => this.call(R.seedClient, {}, input);

  /** Faults in this client's agency API (status, latency, dropped connection), for testing error handling. */
  readonly faults = {
    add: (input: FaultInput) => this.call(R.addFault, {}, input),
    list: async () => (await this.call(R.listFaults)).faults,
    remove: async (faultId: string) => {
      need(faultId, 'faultId');
      return this.call(R.removeFault, { faultId });
    },
    clear: () => this.call(R.clearFaults),
  };

  /** Revoke every access token issued for this client so far. */
  revokeTokens = () => this.call(R.revokeTokens);

  readonly scenarios = {
    /** Play a catalogue scenario on this client: all of it, or `until` a step (id or index), or `steps` more. */
    run: async (name: string, input: ScenarioRunInput = {}) => {
      need(name, 'name');
      return this.call(R.runScenario, { name }, input);
    },
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
      const view = await this.http.send(R.createClient, {}, { body: input });
      return Object.assign(new ClientControl(this.http, view.id), { view });
    },
    list: async () => (await this.http.send(R.listClients)).clients,
    import: async (exportFile: unknown, options: { id?: string; name?: string } = {}) => {
      const view = await this.http.send(R.importClient, {}, { body: { export: exportFile, ...options } });
      return Object.assign(new ClientControl(this.http, view.id), { view });
    },
  };

  /** A handle on an existing client. */
  client(id: string): ClientControl {
    return new ClientControl(this.http, id);
  }

  scenarios = async () => (await this.http.send(R.listScenarios)).scenarios;
}

export function createSandbox(options: SandboxControlOptions): SandboxControl {
  return new SandboxControl(options);
}
