/**
 * The route table: every agency and control operation's method, path, face, and parameter, body and success
 * schemas, keyed by operationId. It owns the vendor host names and base paths as well. The server's operations
 * (sandbox/http), the SDK clients, the msw handlers and the OpenAPI document all take their paths from here;
 * nothing else writes one (WireMock's HttpAdminClient, which takes every URL from AdminRoutes, is the model).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import * as common from './schemas/common.js';
import { V1List, V1One } from './schemas/common.js';
import * as V1 from './schemas/v1.js';
import * as V2 from './schemas/v2.js';
import * as C from './schemas/control.js';
import * as Seed from './schemas/seed.js';

export type Face = 'v1' | 'v2' | 'control' | 'auth' | 'meta';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What one operation takes and answers on success. */
export interface Route<
  P extends TSchema | undefined = TSchema | undefined,
  Q extends TSchema | undefined = TSchema | undefined,
  B extends TSchema | undefined = TSchema | undefined,
  R extends TSchema | undefined = TSchema | undefined,
> {
  face: Face;
  method: Method;
  /** ASP.NET-style template: `{name}` segments are parameters. */
  path: string;
  params: P;
  query: Q;
  body: B;
  /** The success answer's body (none: no body, or a binary one). */
  response: R;
  /** The success status. */
  status: number;
}

interface Io<P, Q, B, R> {
  params?: P;
  query?: Q;
  body?: B;
  response?: R;
  status?: number;
}

/** Routes of one face; under `prefix` (paths are relative to it), with `defaultParams` where a route names none. */
const routeOf =
  <D extends TSchema | undefined = undefined>(face: Face, prefix = '', defaultParams?: D) =>
  <
    P extends TSchema | undefined = D,
    Q extends TSchema | undefined = undefined,
    B extends TSchema | undefined = undefined,
    R extends TSchema | undefined = undefined,
  >(
    method: Method,
    path: string,
    io: Io<P, Q, B, R> = {},
  ): Route<P, Q, B, R> => ({
    face,
    method,
    path: prefix + path,
    params: (io.params ?? defaultParams) as P,
    query: io.query as Q,
    body: io.body as B,
    response: io.response as R,
    status: io.status ?? 200,
  });

const token = routeOf('auth');
const v1 = routeOf('v1');
const debtCollection = routeOf('v1', '/DebtCollection');
/** v2 paths: under /v2 (VENDOR.v2.basePath). */
const v2 = routeOf('v2', '/v2');
const control = routeOf('control');
/** A control route under one client: params default to C.ClientParams. */
const inClient = routeOf('control', '/_sandbox/clients/{clientId}', C.ClientParams);

/** The value a schema stands for; nothing for none. */
export type StaticOr<T extends TSchema | undefined, D> = T extends TSchema ? Static<T> : D;
export type ParamsOf<R extends Route> = StaticOr<R['params'], Record<string, never>>;
export type QueryOf<R extends Route> = StaticOr<R['query'], Record<string, never>>;
export type BodyOf<R extends Route> = StaticOr<R['body'], undefined>;
export type ResponseOf<R extends Route> = StaticOr<R['response'], void>;

const CaseAnswer = V1One(V1.DebtCollectionCase);
const MatchedCases = V1List(V1.DebtCollectionCaseWithMatches);
/** DELETE answers the vendor's nested Success object, or {data: true} with the setting v1DeleteBody 'boolean'. */
export const DeleteAnswer = Type.Union([V1One(Type.Object({ success: Type.Literal(true) })), V1One(Type.Boolean())]);
const IntegrationParams = C.withClient({ integrationId: Type.String({ maxLength: 64 }) });
const VoucherParams = C.withClient({ voucherId: Type.String({ maxLength: 64 }) });
const ExportView = Type.Object({
  format: Type.Literal('inkasso-sandbox.world'),
  formatVersion: Type.Literal(1),
  exportedAt: Type.String(),
  checksum: Type.String(),
  world: Type.Unknown(),
});

export const ROUTES = {
  requestToken: token('POST', '/OAuth/Token', { body: common.TokenRequest, response: common.TokenResponse }),

  // v1 on api.poweroffice.net: every answer in the {data, success} envelope
  isActiveDebtCollection: debtCollection('GET', '/IsActiveDebtCollection', { response: V1One(Type.Boolean()) }),
  getAvailableInvoices: debtCollection('GET', '/Invoices/AvailableInvoices', {
    query: V1.ODataQuery,
    response: V1List(V1.DebtCollectionInvoice),
  }),
  getAllMatchedItems: debtCollection('GET', '/GetAllMatchedItems', { query: V1.FromDateTimeQuery, response: MatchedCases }),
  getAllMatchedItemsByPath: debtCollection('GET', '/GetAllMatchedItems/{fromDateTime}', {
    params: V1.FromDateTimeParams,
    response: MatchedCases,
  }),
  getMatchedItems: debtCollection('GET', '/MatchedItems/{debtCollectionInvoiceId}', {
    params: V1.MatchedItemsParams,
    response: V1List(V1.DebtCollectionInvoiceMatch),
  }),
  getInvoicePdf: debtCollection('GET', '/GetInvoicePdf/{id}', { params: V1.IdParam }),
  getInvoicePdfByQuery: debtCollection('GET', '/GetInvoicePdf', { query: V1.PdfQuery }),
  addInvoicesToCase: debtCollection('POST', '/AddInvoicesToCase', {
    query: V1.RequestQuery,
    body: V1.AddInvoicesToCaseRequest,
    response: CaseAnswer,
  }),
  mergeCases: debtCollection('POST', '/MergeCases', { query: V1.RequestQuery, body: V1.MergeCasesRequest, response: CaseAnswer }),
  updateStatus: debtCollection('POST', '/UpdateStatus', { query: V1.RequestQuery, body: V1.UpdateStatusRequest, response: CaseAnswer }),
  getCases: debtCollection('GET', '', { query: V1.ODataQuery, response: V1List(V1.DebtCollectionCase) }),
  createCase: debtCollection('POST', '', { body: V1.CreateCaseRequest, response: CaseAnswer }),
  getCase: debtCollection('GET', '/{id}', { params: V1.IdParam, response: CaseAnswer }),
  deleteCase: debtCollection('DELETE', '/{id}', { params: V1.IdParam, response: DeleteAnswer }),
  v1ListOutgoingInvoices: v1('GET', '/OutgoingInvoice/List', { query: V1.ODataQuery, response: V1List(V1.OutgoingInvoiceListItem) }),
  v1GetOutgoingInvoice: v1('GET', '/OutgoingInvoice/{id}', { params: V1.IdParam, response: V1One(V1.OutgoingInvoice) }),

  // v2 on goapi.poweroffice.net
  v2ListCustomers: v2('GET', '/Customers', { query: V2.CustomersQuery, response: Type.Array(V2.CustomerDto) }),
  v2GetCustomer: v2('GET', '/Customers/{id}', { params: V2.CustomerIdParam, response: V2.CustomerDto }),
  v2CustomerLedgerOpenItems: v2('GET', '/Customerledger/OpenItems', {
    query: V2.OpenItemsQuery,
    response: Type.Array(V2.CustomerLedgerEntryDto),
  }),
  v2ListOutgoingInvoices: v2('GET', '/OutgoingInvoices', { query: V2.OutgoingInvoicesQuery, response: Type.Array(V2.OutgoingInvoiceDto) }),
  v2GetOutgoingInvoice: v2('GET', '/OutgoingInvoices/{id}', { params: V2.OutgoingInvoiceIdParam, response: V2.OutgoingInvoiceDto }),
  v2PostBankJournal: v2('POST', '/Vouchers/BankJournals', { body: V2.BankVoucherPostDto, response: V2.BankVoucherDto, status: 201 }),
  v2PostManualJournal: v2('POST', '/JournalEntryVouchers/ManualJournals', {
    body: V2.ManualJournalEntryVoucherPostDto,
    response: V2.ManualJournalEntryVoucherDto,
    status: 201,
  }),
  v2ListGeneralLedgerAccounts: v2('GET', '/GeneralLedgerAccounts', {
    query: V2.GeneralLedgerAccountsQuery,
    response: Type.Array(V2.GeneralLedgerAccountDto),
  }),
  v2ListVatCodes: v2('GET', '/VatCodes', { query: V2.PagingQuery, response: Type.Array(V2.VatCodeDto) }),
  v2GetBankJournal: v2('GET', '/Vouchers/BankJournals/{id}', { params: V2.VoucherIdParam, response: V2.BankVoucherDto }),
  v2ListOutgoingInvoiceLines: v2('GET', '/OutgoingInvoices/{id}/Lines', {
    params: V2.OutgoingInvoiceIdParam,
    query: V2.PagingQuery,
    response: Type.Array(V2.OutgoingInvoiceLineDto),
  }),
  v2CustomerBalances: v2('GET', '/Customerledger/CustomerBalances', {
    query: V2.CustomerBalancesQuery,
    response: Type.Array(V2.CustomerBalanceDto),
  }),
  v2CustomerLedgerStatement: v2('GET', '/Customerledger/Statement', {
    query: V2.StatementQuery,
    response: Type.Array(V2.CustomerLedgerEntryDto),
  }),
  v2ClientIntegrationInformation: v2('GET', '/ClientIntegrationInformation', { response: V2.ClientIntegrationInformationDto }),

  v2ReverseVoucher: v2('POST', '/Vouchers/Reverse/{id}', { params: V2.VoucherIdParam, status: 202 }),
  v2ListJournalEntryVouchers: v2('GET', '/JournalEntryVouchers', {
    query: V2.JournalEntryVouchersQuery,
    response: Type.Array(V2.JournalEntryVoucherListItem),
  }),
  v2GetManualJournalDraft: v2('GET', '/JournalEntryVouchers/ManualJournals/{id}', {
    params: V2.VoucherIdParam,
    response: V2.ManualJournalEntryVoucherDto,
  }),
  v2DeleteJournalEntryVoucher: v2('DELETE', '/JournalEntryVouchers/{id}', { params: V2.VoucherIdParam }),
  v2AddVoucherPage: v2('POST', '/JournalEntryVouchers/{id}/VoucherPages', {
    params: V2.VoucherIdParam,
    body: V2.VoucherPagePostForm,
    status: 201,
  }),

  // the sandbox's control API
  createClient: control('POST', '/_sandbox/clients', { body: C.ClientInput, response: C.ClientView, status: 201 }),
  listClients: control('GET', '/_sandbox/clients', { response: C.ClientListView }),
  importClient: control('POST', '/_sandbox/clients/import', { body: C.ImportInput, response: C.ClientView, status: 201 }),
  getClient: inClient('GET', '', { response: C.ClientView }),
  deleteClient: inClient('DELETE', '', { status: 204 }),
  deleteClientsByPrefix: control('DELETE', '/_sandbox/clients', { query: C.DeleteClientsQuery, response: C.DeletedClientsView }),
  addIntegration: inClient('POST', '/integrations', { body: C.IntegrationInput, response: C.IntegrationView, status: 201 }),
  changeIntegration: inClient('PATCH', '/integrations/{integrationId}', {
    params: IntegrationParams,
    body: C.IntegrationChangeInput,
    response: C.IntegrationView,
  }),
  getSettings: inClient('GET', '/settings', { response: C.SettingsView }),
  changeSettings: inClient('PUT', '/settings', { body: C.SettingsInput, response: C.SettingsView }),
  getClock: inClient('GET', '/clock', { response: C.ClockView }),
  advanceClock: inClient('POST', '/clock/advance', { query: C.AdvanceQuery, body: C.AdvanceInput, response: C.AdvanceView }),
  saveSnapshot: inClient('POST', '/snapshots', { body: C.SnapshotInput, response: C.SnapshotView, status: 201 }),
  listSnapshots: inClient('GET', '/snapshots', { response: C.SnapshotListView }),
  restoreSnapshot: inClient('POST', '/snapshots/{name}/restore', { params: C.SnapshotParams, response: C.ClientView }),
  deleteSnapshot: inClient('DELETE', '/snapshots/{name}', { params: C.SnapshotParams, status: 204 }),
  exportClient: inClient('GET', '/export', { response: ExportView }),
  createCustomer: inClient('POST', '/customers', { body: C.CustomerInput, response: C.CustomerView, status: 201 }),
  listCustomers: inClient('GET', '/customers', { response: C.CustomerListView }),
  getCustomer: inClient('GET', '/customers/{customerId}', { params: C.CustomerParams, response: C.CustomerView }),
  changeCustomer: inClient('PATCH', '/customers/{customerId}', {
    params: C.CustomerParams,
    body: C.CustomerChangeInput,
    response: C.CustomerView,
  }),
  postInvoice: inClient('POST', '/invoices', { body: C.InvoiceInput, response: C.InvoiceView, status: 201 }),
  listInvoices: inClient('GET', '/invoices', { query: C.InvoiceListQuery, response: C.InvoiceListView }),
  getInvoice: inClient('GET', '/invoices/{invoiceId}', { params: C.InvoiceParams, response: C.InvoiceView }),
  changeInvoice: inClient('PATCH', '/invoices/{invoiceId}', {
    params: C.InvoiceParams,
    body: C.InvoiceChangeInput,
    response: C.InvoiceView,
  }),
  explainInvoice: inClient('GET', '/invoices/{invoiceId}/explain', { params: C.InvoiceParams, response: C.ExplainView }),
  postCreditNote: inClient('POST', '/credit-notes', { body: C.CreditNoteInput, response: C.InvoiceView, status: 201 }),
  postPayment: inClient('POST', '/payments', { body: C.PaymentInput, response: C.VoucherView, status: 201 }),
  postWriteOff: inClient('POST', '/write-offs', { body: C.WriteOffInput, response: C.VoucherView, status: 201 }),
  reverseWriteOff: inClient('POST', '/write-offs/{voucherId}/reverse', {
    params: VoucherParams,
    body: C.ReverseWriteOffInput,
    response: C.VoucherView,
    status: 201,
  }),
  getCollection: inClient('GET', '/collection', { response: C.CollectionView }),
  approveInvoices: inClient('POST', '/collection/approve', { body: C.SelectionInput, response: C.SelectionResultView }),
  holdInvoices: inClient('POST', '/collection/hold', { body: C.SelectionInput, response: C.SelectionResultView }),
  releaseInvoices: inClient('POST', '/collection/release', { body: C.SelectionInput, response: C.SelectionResultView }),
  removeInvoices: inClient('POST', '/collection/remove', { body: C.SelectionInput, response: C.SelectionResultView }),
  overrideNextAction: inClient('POST', '/collection/override', { body: C.OverrideInput, response: C.SelectionResultView }),
  seedClient: inClient('POST', '/seed', { body: Seed.SeedInput, response: Seed.SeedResult, status: 201 }),
  listVouchers: inClient('GET', '/vouchers', { response: C.VoucherListView }),
  checkLedger: inClient('GET', '/ledger/check', { response: C.LedgerCheckView }),
  explainLedgerItem: inClient('GET', '/ledger/items/{itemId}/explain', { params: C.LedgerItemParams, response: C.LedgerItemExplainView }),
  listVoucherReception: inClient('GET', '/voucher-reception', { response: C.ReceptionListView }),
  approveReceptionDraft: inClient('POST', '/voucher-reception/{draftId}/approve', { params: C.ReceptionParams, response: C.VoucherView }),
  rejectReceptionDraft: inClient('POST', '/voucher-reception/{draftId}/reject', {
    params: C.ReceptionParams,
    response: C.ReceptionDraftView,
  }),
  listEvents: inClient('GET', '/events', { query: C.EventsQuery, response: C.EventListView }),
  listRequests: inClient('GET', '/requests', { response: C.RequestJournalView }),
  addFault: inClient('POST', '/faults', { body: C.FaultInput, response: C.FaultView, status: 201 }),
  listFaults: inClient('GET', '/faults', { response: C.FaultListView }),
  removeFault: inClient('DELETE', '/faults/{faultId}', { params: C.FaultParams, status: 204 }),
  clearFaults: inClient('DELETE', '/faults', { status: 204 }),
  revokeTokens: inClient('POST', '/tokens/revoke', { response: C.RevokeView }),
  listScenarios: control('GET', '/_sandbox/scenarios', { response: C.ScenarioCatalogueView }),
  runScenario: inClient('POST', '/scenarios/{name}/run', {
    params: C.ScenarioParams,
    body: C.ScenarioRunInput,
    response: C.ScenarioRunView,
  }),
  changePactState: control('POST', '/_sandbox/pact/state', {
    query: C.PactStateQuery,
    body: C.PactStateChange,
    response: C.PactStateValues,
  }),
  listFidelity: control('GET', '/_sandbox/fidelity', { response: Type.Array(C.FidelityRowView) }),
};

export type OperationId = keyof typeof ROUTES;

/** The vendor's hosts, and where each API sits on its host. */
export const VENDOR = {
  v1: { host: 'api.poweroffice.net', demoHost: 'api-demo.poweroffice.net', basePath: '' },
  v2: { host: 'goapi.poweroffice.net', demoHost: 'goapi.poweroffice.net', basePath: '/v2' },
  /** v2's demo lives under this prefix on the production host name. */
  v2DemoPrefix: '/Demo',
} as const;

export interface ApiEndpoints {
  baseUrl: string;
  tokenUrl: string;
}

/** The four URLs an agency sets: v1 base and token URL, v2 base and token URL. */
export interface AgencyEndpoints {
  v1: ApiEndpoints;
  v2: ApiEndpoints;
}

/**
 * The four URLs, with `hostUrl` saying where a vendor host name is reached: `https://${name}` in production, the
 * sandbox's root plus `/${name}` on the sandbox (its host prefixes).
 */
export function vendorEndpoints(hostUrl: (hostName: string) => string, demo = false): AgencyEndpoints {
  const v1Root = hostUrl(demo ? VENDOR.v1.demoHost : VENDOR.v1.host);
  const v2Root = hostUrl(VENDOR.v2.host) + (demo ? VENDOR.v2DemoPrefix : '');
  return {
    v1: { baseUrl: v1Root + VENDOR.v1.basePath, tokenUrl: v1Root + ROUTES.requestToken.path },
    v2: { baseUrl: v2Root + VENDOR.v2.basePath, tokenUrl: v2Root + ROUTES.requestToken.path },
  };
}

/** The path with its `{name}` segments filled in (URL-encoded); a missing parameter throws. */
export function pathOf(route: Pick<Route, 'path'>, params: Record<string, string | number> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new TypeError(`${route.path} needs ${name}`);
    return encodeURIComponent(String(value));
  });
}

/** The filled path relative to its API's base URL (v2 paths without their /v2). */
export function apiPathOf(route: Pick<Route, 'path' | 'face'>, params: Record<string, string | number> = {}): string {
  const path = pathOf(route, params);
  const base = route.face === 'v2' ? VENDOR.v2.basePath : '';
  return base && path.toLowerCase().startsWith(base.toLowerCase()) ? path.slice(base.length) : path;
}
