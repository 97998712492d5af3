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

const routeOf =
  (face: Face) =>
  <
    P extends TSchema | undefined = undefined,
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
    path,
    params: io.params as P,
    query: io.query as Q,
    body: io.body as B,
    response: io.response as R,
    status: io.status ?? 200,
  });

const token = routeOf('auth');
const v1 = routeOf('v1');
const v2 = routeOf('v2');
const control = routeOf('control');

/** The value a schema stands for; nothing for none. */
export type StaticOr<T extends TSchema | undefined, D> = T extends TSchema ? Static<T> : D;
export type ParamsOf<R extends Route> = StaticOr<R['params'], Record<string, never>>;
export type QueryOf<R extends Route> = StaticOr<R['query'], Record<string, never>>;
export type BodyOf<R extends Route> = StaticOr<R['body'], undefined>;
export type ResponseOf<R extends Route> = StaticOr<R['response'], void>;

const CaseAnswer = V1One(V1.DebtCollectionCase);
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
  isActiveDebtCollection: v1('GET', '/DebtCollection/IsActiveDebtCollection', { response: V1One(Type.Boolean()) }),
  getAvailableInvoices: v1('GET', '/DebtCollection/Invoices/AvailableInvoices', {
    query: V1.ODataQuery,
    response: V1List(V1.DebtCollectionInvoice),
  }),
  getAllMatchedItems: v1('GET', '/DebtCollection/GetAllMatchedItems', {
    query: V1.FromDateTimeQuery,
    response: V1List(V1.DebtCollectionCaseWithMatches),
  }),
  getAllMatchedItemsByPath: v1('GET', '/DebtCollection/GetAllMatchedItems/{fromDateTime}', {
    params: V1.FromDateTimeParams,
    response: V1List(V1.DebtCollectionCaseWithMatches),
  }),
  getMatchedItems: v1('GET', '/DebtCollection/MatchedItems/{debtCollectionInvoiceId}', {
    params: V1.MatchedItemsParams,
    response: V1List(V1.DebtCollectionInvoiceMatch),
  }),
  getInvoicePdf: v1('GET', '/DebtCollection/GetInvoicePdf/{id}', { params: V1.IdParam }),
  getInvoicePdfByQuery: v1('GET', '/DebtCollection/GetInvoicePdf', { query: V1.PdfQuery }),
  addInvoicesToCase: v1('POST', '/DebtCollection/AddInvoicesToCase', {
    query: V1.RequestQuery,
    body: V1.AddInvoicesToCaseRequest,
    response: CaseAnswer,
  }),
  mergeCases: v1('POST', '/DebtCollection/MergeCases', { query: V1.RequestQuery, body: V1.MergeCasesRequest, response: CaseAnswer }),
  updateStatus: v1('POST', '/DebtCollection/UpdateStatus', { query: V1.RequestQuery, body: V1.UpdateStatusRequest, response: CaseAnswer }),
  getCases: v1('GET', '/DebtCollection', { query: V1.ODataQuery, response: V1List(V1.DebtCollectionCase) }),
  createCase: v1('POST', '/DebtCollection', { body: V1.CreateCaseRequest, response: CaseAnswer }),
  getCase: v1('GET', '/DebtCollection/{id}', { params: V1.IdParam, response: CaseAnswer }),
  deleteCase: v1('DELETE', '/DebtCollection/{id}', { params: V1.IdParam, response: DeleteAnswer }),
  v1ListOutgoingInvoices: v1('GET', '/OutgoingInvoice/List', { query: V1.ODataQuery, response: V1List(V1.OutgoingInvoiceListItem) }),
  v1GetOutgoingInvoice: v1('GET', '/OutgoingInvoice/{id}', { params: V1.IdParam, response: V1One(V1.OutgoingInvoice) }),

  // v2 on goapi.poweroffice.net
  v2ListCustomers: v2('GET', '/v2/Customers', { query: V2.CustomersQuery, response: Type.Array(V2.CustomerDto) }),
  v2GetCustomer: v2('GET', '/v2/Customers/{id}', { params: V2.CustomerIdParam, response: V2.CustomerDto }),
  v2CustomerLedgerOpenItems: v2('GET', '/v2/Customerledger/OpenItems', {
    query: V2.OpenItemsQuery,
    response: Type.Array(V2.CustomerLedgerEntryDto),
  }),
  v2ListOutgoingInvoices: v2('GET', '/v2/OutgoingInvoices', {
    query: V2.OutgoingInvoicesQuery,
    response: Type.Array(V2.OutgoingInvoiceDto),
  }),
  v2GetOutgoingInvoice: v2('GET', '/v2/OutgoingInvoices/{id}', { params: V2.OutgoingInvoiceIdParam, response: V2.OutgoingInvoiceDto }),
  v2PostBankJournal: v2('POST', '/v2/Vouchers/BankJournals', { body: V2.BankVoucherPostDto, response: V2.BankVoucherDto, status: 201 }),
  v2PostManualJournal: v2('POST', '/v2/JournalEntryVouchers/ManualJournals', {
    body: V2.ManualJournalEntryVoucherPostDto,
    response: V2.ManualJournalEntryVoucherDto,
    status: 201,
  }),
  v2ListGeneralLedgerAccounts: v2('GET', '/v2/GeneralLedgerAccounts', {
    query: V2.GeneralLedgerAccountsQuery,
    response: Type.Array(V2.GeneralLedgerAccountDto),
  }),
  v2ListVatCodes: v2('GET', '/v2/VatCodes', { query: V2.PagingQuery, response: Type.Array(V2.VatCodeDto) }),
  v2GetBankJournal: v2('GET', '/v2/Vouchers/BankJournals/{id}', { params: V2.VoucherIdParam, response: V2.BankVoucherDto }),
  v2ListOutgoingInvoiceLines: v2('GET', '/v2/OutgoingInvoices/{id}/Lines', {
    params: V2.OutgoingInvoiceIdParam,
    query: V2.PagingQuery,
    response: Type.Array(V2.OutgoingInvoiceLineDto),
  }),
  v2CustomerBalances: v2('GET', '/v2/Customerledger/CustomerBalances', {
    query: V2.CustomerBalancesQuery,
    response: Type.Array(V2.CustomerBalanceDto),
  }),
  v2CustomerLedgerStatement: v2('GET', '/v2/Customerledger/Statement', {
    query: V2.StatementQuery,
    response: Type.Array(V2.CustomerLedgerEntryDto),
  }),
  v2ClientIntegrationInformation: v2('GET', '/v2/ClientIntegrationInformation', { response: V2.ClientIntegrationInformationDto }),

  v2ReverseVoucher: v2('POST', '/v2/Vouchers/Reverse/{id}', { params: V2.VoucherIdParam, status: 202 }),
  v2ListJournalEntryVouchers: v2('GET', '/v2/JournalEntryVouchers', {
    query: V2.JournalEntryVouchersQuery,
    response: Type.Array(V2.JournalEntryVoucherListItem),
  }),
  v2GetManualJournalDraft: v2('GET', '/v2/JournalEntryVouchers/ManualJournals/{id}', {
    params: V2.VoucherIdParam,
    response: V2.ManualJournalEntryVoucherDto,
  }),
  v2DeleteJournalEntryVoucher: v2('DELETE', '/v2/JournalEntryVouchers/{id}', { params: V2.VoucherIdParam }),
  v2AddVoucherPage: v2('POST', '/v2/JournalEntryVouchers/{id}/VoucherPages', {
    params: V2.VoucherIdParam,
    body: V2.VoucherPagePostForm,
    status: 201,
  }),

  // the sandbox's control API
  createClient: control('POST', '/_sandbox/clients', { body: C.ClientInput, response: C.ClientView, status: 201 }),
  listClients: control('GET', '/_sandbox/clients', { response: C.ClientListView }),
  importClient: control('POST', '/_sandbox/clients/import', { body: C.ImportInput, response: C.ClientView, status: 201 }),
  getClient: control('GET', '/_sandbox/clients/{clientId}', { params: C.ClientParams, response: C.ClientView }),
  deleteClient: control('DELETE', '/_sandbox/clients/{clientId}', { params: C.ClientParams, status: 204 }),
  deleteClientsByPrefix: control('DELETE', '/_sandbox/clients', { query: C.DeleteClientsQuery, response: C.DeletedClientsView }),
  addIntegration: control('POST', '/_sandbox/clients/{clientId}/integrations', {
    params: C.ClientParams,
    body: C.IntegrationInput,
    response: C.IntegrationView,
    status: 201,
  }),
  changeIntegration: control('PATCH', '/_sandbox/clients/{clientId}/integrations/{integrationId}', {
    params: IntegrationParams,
    body: C.IntegrationChangeInput,
    response: C.IntegrationView,
  }),
  getSettings: control('GET', '/_sandbox/clients/{clientId}/settings', { params: C.ClientParams, response: C.SettingsView }),
  changeSettings: control('PUT', '/_sandbox/clients/{clientId}/settings', {
    params: C.ClientParams,
    body: C.SettingsInput,
    response: C.SettingsView,
  }),
  getClock: control('GET', '/_sandbox/clients/{clientId}/clock', { params: C.ClientParams, response: C.ClockView }),
  advanceClock: control('POST', '/_sandbox/clients/{clientId}/clock/advance', {
    params: C.ClientParams,
    query: C.AdvanceQuery,
    body: C.AdvanceInput,
    response: C.AdvanceView,
  }),
  saveSnapshot: control('POST', '/_sandbox/clients/{clientId}/snapshots', {
    params: C.ClientParams,
    body: C.SnapshotInput,
    response: C.SnapshotView,
    status: 201,
  }),
  listSnapshots: control('GET', '/_sandbox/clients/{clientId}/snapshots', { params: C.ClientParams, response: C.SnapshotListView }),
  restoreSnapshot: control('POST', '/_sandbox/clients/{clientId}/snapshots/{name}/restore', {
    params: C.SnapshotParams,
    response: C.ClientView,
  }),
  deleteSnapshot: control('DELETE', '/_sandbox/clients/{clientId}/snapshots/{name}', { params: C.SnapshotParams, status: 204 }),
  exportClient: control('GET', '/_sandbox/clients/{clientId}/export', { params: C.ClientParams, response: ExportView }),
  createCustomer: control('POST', '/_sandbox/clients/{clientId}/customers', {
    params: C.ClientParams,
    body: C.CustomerInput,
    response: C.CustomerView,
    status: 201,
  }),
  listCustomers: control('GET', '/_sandbox/clients/{clientId}/customers', { params: C.ClientParams, response: C.CustomerListView }),
  getCustomer: control('GET', '/_sandbox/clients/{clientId}/customers/{customerId}', {
    params: C.CustomerParams,
    response: C.CustomerView,
  }),
  changeCustomer: control('PATCH', '/_sandbox/clients/{clientId}/customers/{customerId}', {
    params: C.CustomerParams,
    body: C.CustomerChangeInput,
    response: C.CustomerView,
  }),
  postInvoice: control('POST', '/_sandbox/clients/{clientId}/invoices', {
    params: C.ClientParams,
    body: C.InvoiceInput,
    response: C.InvoiceView,
    status: 201,
  }),
  listInvoices: control('GET', '/_sandbox/clients/{clientId}/invoices', {
    params: C.ClientParams,
    query: C.InvoiceListQuery,
    response: C.InvoiceListView,
  }),
  getInvoice: control('GET', '/_sandbox/clients/{clientId}/invoices/{invoiceId}', { params: C.InvoiceParams, response: C.InvoiceView }),
  changeInvoice: control('PATCH', '/_sandbox/clients/{clientId}/invoices/{invoiceId}', {
    params: C.InvoiceParams,
    body: C.InvoiceChangeInput,
    response: C.InvoiceView,
  }),
  explainInvoice: control('GET', '/_sandbox/clients/{clientId}/invoices/{invoiceId}/explain', {
    params: C.InvoiceParams,
    response: C.ExplainView,
  }),
  postCreditNote: control('POST', '/_sandbox/clients/{clientId}/credit-notes', {
    params: C.ClientParams,
    body: C.CreditNoteInput,
    response: C.InvoiceView,
    status: 201,
  }),
  postPayment: control('POST', '/_sandbox/clients/{clientId}/payments', {
    params: C.ClientParams,
    body: C.PaymentInput,
    response: C.VoucherView,
    status: 201,
  }),
  postWriteOff: control('POST', '/_sandbox/clients/{clientId}/write-offs', {
    params: C.ClientParams,
    body: C.WriteOffInput,
    response: C.VoucherView,
    status: 201,
  }),
  reverseWriteOff: control('POST', '/_sandbox/clients/{clientId}/write-offs/{voucherId}/reverse', {
    params: VoucherParams,
    body: C.ReverseWriteOffInput,
    response: C.VoucherView,
    status: 201,
  }),
  getCollection: control('GET', '/_sandbox/clients/{clientId}/collection', { params: C.ClientParams, response: C.CollectionView }),
  approveInvoices: control('POST', '/_sandbox/clients/{clientId}/collection/approve', {
    params: C.ClientParams,
    body: C.SelectionInput,
    response: C.SelectionResultView,
  }),
  holdInvoices: control('POST', '/_sandbox/clients/{clientId}/collection/hold', {
    params: C.ClientParams,
    body: C.SelectionInput,
    response: C.SelectionResultView,
  }),
  releaseInvoices: control('POST', '/_sandbox/clients/{clientId}/collection/release', {
    params: C.ClientParams,
    body: C.SelectionInput,
    response: C.SelectionResultView,
  }),
  removeInvoices: control('POST', '/_sandbox/clients/{clientId}/collection/remove', {
    params: C.ClientParams,
    body: C.SelectionInput,
    response: C.SelectionResultView,
  }),
  overrideNextAction: control('POST', '/_sandbox/clients/{clientId}/collection/override', {
    params: C.ClientParams,
    body: C.OverrideInput,
    response: C.SelectionResultView,
  }),
  seedClient: control('POST', '/_sandbox/clients/{clientId}/seed', {
    params: C.ClientParams,
    body: Seed.SeedInput,
    response: Seed.SeedResult,
    status: 201,
  }),
  listVouchers: control('GET', '/_sandbox/clients/{clientId}/vouchers', { params: C.ClientParams, response: C.VoucherListView }),
  checkLedger: control('GET', '/_sandbox/clients/{clientId}/ledger/check', { params: C.ClientParams, response: C.LedgerCheckView }),
  explainLedgerItem: control('GET', '/_sandbox/clients/{clientId}/ledger/items/{itemId}/explain', {
    params: C.LedgerItemParams,
    response: C.LedgerItemExplainView,
  }),
  listVoucherReception: control('GET', '/_sandbox/clients/{clientId}/voucher-reception', {
    params: C.ClientParams,
    response: C.ReceptionListView,
  }),
  approveReceptionDraft: control('POST', '/_sandbox/clients/{clientId}/voucher-reception/{draftId}/approve', {
    params: C.ReceptionParams,
    response: C.VoucherView,
  }),
  rejectReceptionDraft: control('POST', '/_sandbox/clients/{clientId}/voucher-reception/{draftId}/reject', {
    params: C.ReceptionParams,
    response: C.ReceptionDraftView,
  }),
  listEvents: control('GET', '/_sandbox/clients/{clientId}/events', {
    params: C.ClientParams,
    query: C.EventsQuery,
    response: C.EventListView,
  }),
  listRequests: control('GET', '/_sandbox/clients/{clientId}/requests', { params: C.ClientParams, response: C.RequestJournalView }),
  addFault: control('POST', '/_sandbox/clients/{clientId}/faults', {
    params: C.ClientParams,
    body: C.FaultInput,
    response: C.FaultView,
    status: 201,
  }),
  listFaults: control('GET', '/_sandbox/clients/{clientId}/faults', { params: C.ClientParams, response: C.FaultListView }),
  removeFault: control('DELETE', '/_sandbox/clients/{clientId}/faults/{faultId}', { params: C.FaultParams, status: 204 }),
  clearFaults: control('DELETE', '/_sandbox/clients/{clientId}/faults', { params: C.ClientParams, status: 204 }),
  revokeTokens: control('POST', '/_sandbox/clients/{clientId}/tokens/revoke', { params: C.ClientParams, response: C.RevokeView }),
  listScenarios: control('GET', '/_sandbox/scenarios', { response: C.ScenarioCatalogueView }),
  runScenario: control('POST', '/_sandbox/clients/{clientId}/scenarios/{name}/run', {
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
