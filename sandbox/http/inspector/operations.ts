/**
 * What the inspector page reads, and the readiness probe. The page reads through these few endpoints under
 * /_sandbox/inspector, which the request journal does not record (it records /_sandbox/clients/... only), so
 * the page's own polling never shows up as, or causes, a change; its clicks go through the ordinary control API.
 */
import { Type } from '@sinclair/typebox';
import {
  metaOperation,
  operation,
  type Operation,
  type RequestContext,
  type SandboxRequest,
  type SandboxResponse,
} from '../core/types.js';
import * as S from '../../../contracts/schemas/control.js';
import { Nullable } from '../../../contracts/schemas/common.js';
import { clientOperations } from '../control/clients.js';
import { collectionView, erpOperations } from '../control/erp.js';
import { collectionLists } from '../../domain/queries/lists.js';
import { problems, read } from '../control/common.js';
import { customerView, eventView, invoiceView, voucherView } from '../control/views.js';
import { voucherById } from '../../domain/ledger.js';
import { customersInOrder } from '../../domain/world.js';
import { reject } from '../../domain/errors.js';
import { SANDBOX_VERSION } from '../../version.js';
import type { JournalDetail } from '../core/services.js';

const TAGS = ['Inspector'];
/** How much history one read carries: the page shows the newest, the full journals stay on their endpoints. */
export const INSPECTOR_LIMITS = { events: 400, requests: 300, rows: 500 };

const started = Date.now();

const JournalEntryView = S.RequestJournalView.properties.requests.items;

export const HealthView = Type.Object({
  status: Type.Literal('ok'),
  name: Type.String(),
  version: Type.String(),
  store: Type.String(),
  clients: Type.Integer(),
  uptimeSeconds: Type.Integer(),
});

export const InspectorChangesView = Type.Object({
  /** Changes whenever the world, its clock or its request journal does; the page reloads when it differs. */
  token: Type.String(),
});

export const InspectorClientView = Type.Object({
  token: Type.String(),
  client: S.ClientView,
  collection: S.CollectionView,
  counts: Type.Object(
    {
      reminderList: Type.Integer(),
      draft: Type.Integer(),
      approved: Type.Integer(),
      open: Type.Integer(),
      archived: Type.Integer(),
      customers: Type.Integer(),
    },
    { description: `full lengths; the lists in collection and customers hold at most the first ${INSPECTOR_LIMITS.rows}` },
  ),
  customers: Type.Array(S.CustomerView, { description: `the first ${INSPECTOR_LIMITS.rows} customers by id` }),
  events: Type.Array(S.EventView, { description: `the newest ${INSPECTOR_LIMITS.events} domain events, oldest first` }),
  snapshots: Type.Array(S.SnapshotView),
  requests: Type.Array(JournalEntryView, { description: `the newest ${INSPECTOR_LIMITS.requests} journal entries, newest first` }),
  selected: Nullable(
    Type.Object({
      invoice: S.InvoiceView,
      explain: S.ExplainView,
      vouchers: Type.Array(S.VoucherView, {
        description: "the invoice's own voucher, its reminder vouchers and every voucher matched against it",
      }),
    }),
  ),
});

export const RequestDetailView = Type.Object({
  entry: JournalEntryView,
  kept: Type.Boolean({ description: 'false once the entry is older than the bodies the journal keeps' }),
  requestHeaders: Type.Record(Type.String(), Type.String()),
  requestBody: Nullable(Type.String()),
  responseHeaders: Type.Record(Type.String(), Type.String()),
  responseBody: Nullable(Type.String()),
});

const InspectorQuery = Type.Object({ invoice: Type.Optional(S.InvoiceParams.properties.invoiceId) });
const RequestParams = S.withClient({ seq: Type.Integer({ minimum: 1 }) });

const allControl = [...clientOperations, ...erpOperations];
function op(operationId: string): Operation {
  const found = allControl.find((o) => o.operationId === operationId);
  if (!found) throw new Error(`internal: no control operation ${operationId}`);
  return found;
}

/** Answer of another control operation, called in-process so the inspector shows exactly what the API shows. */
async function bodyOf(
  operationId: string,
  ctx: RequestContext,
  request: SandboxRequest,
  params: Record<string, unknown>,
  query: Record<string, unknown> = {},
): Promise<any> {
  // The inspector's own request goes along: views that carry links (the client's endpoints) use its address.
  const res: SandboxResponse = await op(operationId).handle({ params, query, body: undefined, request } as never, ctx);
  return res.body;
}

async function changeToken(ctx: RequestContext, clientId: string): Promise<string> {
  const world = await read(ctx, clientId, (w) => `${w.counters.event}.${w.clock.now}`);
  return `${world}.${ctx.services.journal.lastSeq(clientId)}`;
}

const MAX_BODY_CHARS = 200_000;

/** Tokens in bodies (the token endpoint's answer, a refresh grant) are shortened like the Authorization header. */
const SECRET_FIELD = /^(access_?token|refresh_?token|id_?token|client_?secret|password)$/i;
const shorten = (v: string) => (v.length > 12 ? `${v.slice(0, 10)}…(${v.length} chars)` : v);
const hideSecrets = (key: string, value: unknown) => (typeof value === 'string' && SECRET_FIELD.test(key) ? shorten(value) : value);

function bodyText(body: unknown, headers: Record<string, string>): string | null {
  if (body === undefined || body === null) return null;
  if (body instanceof Uint8Array) {
    const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    if (!/json|text|form|xml/i.test(type)) return `(${body.length} bytes${type ? ` of ${type}` : ''})`;
    const text = new TextDecoder().decode(body);
    if (/x-www-form-urlencoded/i.test(type)) {
      const form = new URLSearchParams(text);
      for (const [k, v] of [...form]) form.set(k, String(hideSecrets(k, v)));
      return clip(decodeURIComponent(form.toString().replace(/\+/g, ' ')));
    }
    try {
      return clip(JSON.stringify(JSON.parse(text), hideSecrets, 2));
    } catch {
      return clip(text);
    }
  }
  return clip(JSON.stringify(body, hideSecrets, 2));
}

const clip = (s: string) =>
  s.length > MAX_BODY_CHARS ? `${s.slice(0, MAX_BODY_CHARS)}\n… (${s.length - MAX_BODY_CHARS} more characters)` : s;

export const inspectorOperations: Operation[] = [
  metaOperation({
    operationId: 'health',
    path: '/health',
    summary: 'Readiness: answers 200 once the store is open and readable (no auth; for container health checks)',
    responses: { 200: { description: 'ready', schema: HealthView } },
    async handle(_, ctx) {
      const clients = (await ctx.engine.listClients()).length;
      return {
        status: 200,
        headers: { 'cache-control': 'no-store' },
        body: {
          status: 'ok',
          name: 'inkasso-sandbox',
          version: SANDBOX_VERSION,
          store: ctx.engine.store.location,
          clients,
          uptimeSeconds: Math.floor((Date.now() - started) / 1000),
        },
      };
    },
  }),
  operation({
    operationId: 'inspectorChanges',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/inspector/clients/{clientId}/changes',
    summary: "A token that changes whenever the client's world, clock or request journal does (the inspector polls it)",
    tags: TAGS,
    auth: 'control',
    params: S.ClientParams,
    responses: { 200: { description: 'the change token', schema: InspectorChangesView }, ...problems },
    handle: async ({ params }, ctx) => ({
      status: 200,
      headers: { 'cache-control': 'no-store' },
      body: { token: await changeToken(ctx, params.clientId) },
    }),
  }),
  operation({
    operationId: 'inspectClient',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/inspector/clients/{clientId}',
    summary:
      'Everything the inspector page shows of a client in one read: Inkasso menu, customers, events, snapshots, request journal, and ' +
      'one invoice in detail',
    tags: TAGS,
    auth: 'control',
    params: S.ClientParams,
    query: InspectorQuery,
    responses: { 200: { description: "the client's state", schema: InspectorClientView }, ...problems },
    async handle({ params, query, request }, ctx) {
      const clientId = params.clientId;
      const token = await changeToken(ctx, clientId);
      const client = await bodyOf('getClient', ctx, request, { clientId });
      const snapshots = (await bodyOf('listSnapshots', ctx, request, { clientId })).snapshots;
      const { collection, counts, customers, events } = await read(ctx, clientId, (w) => {
        const lists = collectionLists(w);
        const all = customersInOrder(w);
        return {
          collection: collectionView(w, INSPECTOR_LIMITS.rows, lists),
          counts: {
            reminderList: lists.reminderList.length,
            draft: lists.draft.length,
            approved: lists.approved.length,
            open: lists.open.length,
            archived: lists.archived.length,
            customers: all.length,
          },
          customers: all.slice(0, INSPECTOR_LIMITS.rows).map((c) => customerView(w, c)),
          events: w.events.slice(-INSPECTOR_LIMITS.events).map((e) => eventView(w, e)),
        };
      });
      let selected = null;
      if (query.invoice) {
        const invoiceId = query.invoice;
        const found = await read(ctx, clientId, (w) => {
          const inv = w.invoices[invoiceId];
          if (!inv) throw reject.notFound('invoice', invoiceId, 'invoice');
          const ids = new Set<string>([
            inv.voucherId,
            ...inv.reminders.flatMap((r) => (r.voucherId ? [r.voucherId] : [])),
            ...inv.matches.map((m) => m.voucherId),
          ]);
          const vouchers = [...ids].flatMap((id) => {
            const v = voucherById(w, id);
            return v ? [voucherView(w, v)] : [];
          });
          return { invoice: invoiceView(w, inv), vouchers };
        });
        selected = { ...found, explain: await bodyOf('explainInvoice', ctx, request, { clientId, invoiceId }) };
      }
      const requests = ctx.services.journal.view(clientId).slice(-INSPECTOR_LIMITS.requests).reverse();
      return {
        status: 200,
        headers: { 'cache-control': 'no-store' },
        body: { token, client, collection, counts, customers, events, snapshots, requests, selected },
      };
    },
  }),
  operation({
    operationId: 'inspectRequest',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/inspector/clients/{clientId}/requests/{seq}',
    summary: 'One request journal entry with its headers and bodies (credentials shortened), while the journal keeps them',
    tags: TAGS,
    auth: 'control',
    params: RequestParams,
    responses: { 200: { description: 'the exchange', schema: RequestDetailView }, ...problems },
    async handle({ params }, ctx) {
      await read(ctx, params.clientId, () => undefined);
      const entry = ctx.services.journal.view(params.clientId).find((e) => e.seq === params.seq);
      if (!entry) throw reject.notFound('request', String(params.seq), 'seq');
      const d: JournalDetail | undefined = ctx.services.journal.detail(params.clientId, params.seq);
      return {
        status: 200,
        headers: { 'cache-control': 'no-store' },
        body: {
          entry,
          kept: Boolean(d),
          requestHeaders: d?.requestHeaders ?? {},
          requestBody: d?.requestBody ? bodyText(d.requestBody, d.requestHeaders) : null,
          responseHeaders: d?.responseHeaders ?? {},
          responseBody: d ? bodyText(d.responseBody, d.responseHeaders) : null,
        },
      };
    },
  }),
];
