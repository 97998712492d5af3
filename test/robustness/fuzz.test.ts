/**
 * Schema-driven fuzzing of every operation the server mounts. For each operation with a params, query or body
 * schema: a fresh client with real ids (so requests reach the handlers), then inputs derived from the schemas
 * (wrong types, null, missing and unknown fields, huge/negative/fractional numbers, odd dates, long and
 * unicode strings, arrays for objects, deep nesting, malformed JSON, empty bodies, seeded random combinations).
 * Every answer must be below 500, in its face's error format when it refuses, and a refusal must leave the world
 * (and the list of clients) exactly as it was. Unknown fields on control bodies are refused naming the field.
 *
 * FUZZ_SEED=<n> repeats a run with other random combinations (the default seed is fixed, so runs repeat).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import type { TSchema } from '@sinclair/typebox';
import { allRoutes } from '../../sandbox/http/routes.js';
import { faceOfPath } from '../../sandbox/http/core/dispatcher.js';
import type { Face, Operation } from '../../sandbox/http/core/types.js';
import { basicAuth, listeningSandbox, type ListeningSandbox, type RawResponse } from './http-client.js';
import { ADDRESS, BANK, COSTS, buildFixture, expectStatus, type Fixture } from './fixture.js';
import {
  bodyCases,
  bodyText,
  hashSeed,
  mulberry32,
  paramCases,
  queryCases,
  randomBodyCases,
  randomQueryCases,
  wholeBodyCases,
  STRINGS,
  deepNest,
  enc,
  type BodyCase,
} from './fuzz-gen.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20260105);
const RANDOM_BODIES = 12;
const RANDOM_QUERIES = 6;

// Every route the server mounts, the scenario operations among them.
const OPERATIONS: Operation[] = allRoutes();
const hasSchema = (op: Operation) => Boolean(op.params || op.query || op.body);
const FUZZED = OPERATIONS.filter(hasSchema);

// ---- base (valid) inputs per operation -------------------------------------------------------------------------

interface Base {
  params: Record<string, string>;
  query: Record<string, string>;
  body?: unknown;
}

/** A real id for each path parameter name (some depend on the operation). */
function paramFor(op: Operation, name: string, f: Fixture): string {
  switch (name) {
    case 'clientId':
      return f.clientId;
    case 'invoiceId':
      return f.draft.id;
    case 'customerId':
      return String(f.customer.id);
    case 'integrationId':
      return f.integration.id;
    case 'name':
      return op.operationId === 'runScenario' ? 'remove-and-hold' : 'base';
    case 'voucherId':
      return f.writeOff.id;
    case 'draftId':
      return f.reception.Id;
    case 'faultId':
      return f.fault.id;
    case 'debtCollectionInvoiceId':
      return f.inCase.id;
    case 'fromDateTime':
      return '2026-01-01';
    case 'seq':
      return '1';
    case 'itemId':
      // The fixture bank voucher's customer line: a customer-ledger item.
      return String(f.bankVoucher.VoucherLines[0].Id);
    case 'id':
      if (op.operationId === 'v2GetCustomer') return String(f.customer.id);
      if (op.operationId === 'v2GetOutgoingInvoice' || op.operationId === 'v2ListOutgoingInvoiceLines') return f.draft.id;
      if (op.operationId === 'v2GetBankJournal') return f.bankVoucher.Id;
      if (op.operationId === 'v2ReverseVoucher') return f.bankVoucher.Id;
      if (['v2GetManualJournalDraft', 'v2DeleteJournalEntryVoucher', 'v2AddVoucherPage'].includes(op.operationId)) return f.reception.Id;
      if (op.operationId === 'v1GetOutgoingInvoice') return f.draft.id;
      if (op.operationId === 'getInvoicePdf') return f.inCase.id;
      return f.kase.id;
    default:
      throw new Error(`no real value for path parameter ${name} of ${op.operationId}`);
  }
}

const SETTINGS = (f: Fixture) => ({
  reminderSteps: {
    friendlyReminder: { enabled: true, daysAfterDue: 3, dueInDays: 14 },
    paymentReminder: { enabled: true, daysAfterDue: 14, dueInDays: 14, fee: 35, chargeInterest: true },
    collectionNotice: { enabled: true, daysAfterDue: 14, dueInDays: 14, fee: 35, chargeInterest: true },
  },
  minimumAmount: 0,
  draftDaysWithoutReminders: 14,
  enumFormat: 'names',
  tokenLifetimeSeconds: 1200,
  lateInterestRates: [{ from: '2026-01-01', percent: 12.25, source: 'fuzz' }],
  inkassosats: [{ from: '2026-01-01', amount: 700, source: 'fuzz' }],
  autoApprove: { enabled: false, fromInvoiceDate: null, integrationId: f.integration.id },
  caseCreatingIntegrationId: f.integration.id,
  rateLimits: { enabled: false, v1PerSecond: 50, v2PerSecond: 10 },
});

async function baseFor(op: Operation, f: Fixture, s: ListeningSandbox): Promise<Base> {
  const params: Record<string, string> = {};
  for (const name of Object.keys(((op.params as any)?.properties ?? {}) as object)) params[name] = paramFor(op, name, f);
  const query: Record<string, string> = {};
  const bodies: Record<string, () => unknown | Promise<unknown>> = {
    addInvoicesToCase: () => ({ caseId: f.kase.id, invoiceIds: [f.approved.id] }),
    mergeCases: () => ({ caseNo: 'M-1', caseIds: [f.kase.id, f.kase2.id], externalCaseUrl: 'https://byra.example/sak/M-1' }),
    updateStatus: () => ({ caseId: f.kase.id, statusText: 'Under behandling', isCaseClosed: false, updatedBalanceAgency: 100 }),
    createCase: () => ({ code: 'FZ-1', invoices: [f.approved.id, { id: f.approved2.id }], externalCaseUrl: 'https://byra.example/sak/FZ-1', balanceAgency: 10 }),
    v2PostBankJournal: () => ({
      VoucherDate: '2026-01-05',
      CurrencyCode: 'NOK',
      Description: 'Innbetaling inkasso K-1',
      ExternalImportReference: 'fz-pay-1',
      ImportedVoucherNo: 7001,
      VoucherLines: [
        { PostingDate: '2026-01-05', AccountId: f.subledger, CurrencyAmount: -100, CurrencyCode: 'NOK', InvoiceNo: String(f.inCase.invoiceNo), Cid: f.inCase.cid, VatId: null, Description: 'Debitor' },
        { PostingDate: '2026-01-05', AccountId: BANK, CurrencyAmount: 100, Description: 'Bank' },
      ],
    }),
    v2PostManualJournal: () => ({
      VoucherDate: '2026-01-05',
      CurrencyCode: 'NOK',
      Description: 'Salær',
      Comment: 'fuzz',
      ExternalImportReference: 'fz-man-1',
      ImportedVoucherNo: 8001,
      ManualVoucherLines: [{ DebitAccountId: COSTS, CreditAccountId: BANK, DebitVatId: null, CreditVatId: null, CurrencyAmount: 125, CurrencyCode: 'NOK', Description: 'Salær', PostingDate: '2026-01-05' }],
    }),
    createClient: () => ({
      name: 'Fuzz Ny AS',
      startDate: '2026-01-05',
      timeZone: 'Europe/Oslo',
      settings: { minimumAmount: 0, draftDaysWithoutReminders: 14 },
      integrations: [{ name: 'Byrå', kind: 'debtCollection', canCreateNewCases: true, rights: { read: true, write: true } }],
    }),
    importClient: async () => ({ export: await expectStatus(s.client.json('GET', `/_sandbox/clients/${f.clientId}/export`), 200, 'export'), name: 'Importert AS' }),
    addIntegration: () => ({ name: 'Andre byrå', kind: 'debtCollection', canCreateNewCases: false, rights: { read: true, write: false } }),
    changeIntegration: () => ({ name: 'Nytt navn', canCreateNewCases: true, rights: { read: true, write: true }, autoApprove: { enabled: false, fromInvoiceDate: null } }),
    changeSettings: () => SETTINGS(f),
    advanceClock: () => ({ days: 1 }),
    saveSnapshot: () => ({ name: 'fz-snap' }),
    createCustomer: () => ({ name: 'Fuzz Kunde AS', number: 50_000, organizationNumber: '974760673', emailAddress: 'kunde@example.no', mailAddress: { ...ADDRESS, addressLine2: 'Postboks 1' }, transferToDebtCollectionAgency: true }),
    changeCustomer: () => ({ name: 'Ola Nordmann ASA', organizationNumber: '974760673', emailAddress: 'ola@example.no', mailAddress: ADDRESS, transferToDebtCollectionAgency: true }),
    postInvoice: () => ({ customerId: f.customer.id, amount: 1000, invoiceDate: '2026-01-05', dueDate: '2026-01-19', vatCode: '3', emailAddress: 'faktura@example.no', imported: false, importedVoucherNo: null, externalImportReference: null }),
    changeInvoice: () => ({ customMatchingReference: 'FUZZ-1' }),
    postCreditNote: () => ({ invoiceId: f.notDue.id, amount: 10, date: '2026-01-05', vatCode: '3', externalImportReference: null }),
    postPayment: () => ({ lines: [{ invoiceId: f.notDue.id, amount: 10 }], date: '2026-01-05', kind: 'bank', paidFromAccount: '12345678903', description: 'Innbetaling', externalImportReference: null }),
    postWriteOff: () => ({ invoiceIds: [f.notDue.id], date: '2026-01-05', account: 7830, vatCode: '3', departmentCode: null, projectCode: null, description: 'Tap', attachmentName: null }),
    reverseWriteOff: () => ({ date: '2026-01-05' }),
    approveInvoices: () => ({ invoiceIds: [f.draft.id] }),
    holdInvoices: () => ({ invoiceIds: [f.draft.id] }),
    releaseInvoices: () => ({ invoiceIds: [f.held.id] }),
    removeInvoices: () => ({ invoiceIds: [f.approved.id] }),
    overrideNextAction: () => ({ invoiceIds: [f.overdueNone.id], nextAction: 'Inkasso' }),
    seedClient: () => ({ customers: 1, invoices: 1, seed: 1, incompleteAddressShare: 0.1, creditNoteShare: 0 }),
    addFault: () => ({ match: { operationId: 'fuzzNeverMatches', method: 'GET', path: '/DebtCollection/NoSuch', face: 'v1' }, effect: { status: 503, latencyMs: 0 }, count: 1 }),
    runScenario: () => ({ steps: 1 }),
  };
  const queries: Record<string, () => Record<string, string>> = {
    getAllMatchedItems: () => ({ fromDateTime: '2026-01-01' }),
    getInvoicePdfByQuery: () => ({ id: f.inCase.id }),
    getAvailableInvoices: () => ({ $filter: 'invoiceNo gt 0', $orderby: 'invoiceNo desc', $skip: '0', $top: '10' }),
    getCases: () => ({ $filter: 'status eq 0', $orderby: 'code', $skip: '0', $top: '10' }),
    v2ListCustomers: () => ({ PageNumber: '1', PageSize: '10', customerNos: '10000-20000', lastChangedDateTimeOffsetGreaterThan: '2026-01-01' }),
    v2CustomerLedgerOpenItems: () => ({ date: '2026-01-05', PageNumber: '1', PageSize: '10', customerNos: '10000-', invoiceNos: '1-99999' }),
    v2ListOutgoingInvoices: () => ({ onlyUnpaidInvoices: 'true', invoiceNos: '1-99999', customerNos: '10000', fromDate: '2025-01-01', toDate: '2026-12-31', PageSize: '100' }),
    v2ListGeneralLedgerAccounts: () => ({ accountNos: '1000-9999', PageSize: '100' }),
    v2ListVatCodes: () => ({ PageNumber: '1', PageSize: '100' }),
    v2ListOutgoingInvoiceLines: () => ({ PageNumber: '1', PageSize: '100' }),
    v2CustomerBalances: () => ({ date: '2026-01-05', includeOnlyOpenItems: 'true', subLedgerNumberSeriesIds: '1', PageSize: '100' }),
    listInvoices: () => ({ status: 'Draft', customerId: String(f.customer.id), kind: 'invoice' }),
    listEvents: () => ({ since: '0', invoiceId: f.draft.id, caseId: f.kase.id, type: 'invoice.', limit: '10' }),
  };
  Object.assign(query, queries[op.operationId]?.() ?? {});
  const base: Base = { params, query };
  if (op.body && op.bodyType !== 'form' && op.bodyType !== 'multipart') {
    const make = bodies[op.operationId];
    if (!make) throw new Error(`no base body for ${op.operationId}`);
    base.body = await make();
  }
  return base;
}

// ---- sending and checking --------------------------------------------------------------------------------------

interface Input {
  kind: string;
  where: 'params' | 'query' | 'body' | 'headers';
  field: string;
  params: Record<string, string>;
  query: string;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  unknownField?: string;
}

interface Stats {
  inputs: number;
  refused: number;
  accepted: number;
  serverErrors: number;
  byOperation: Map<string, number>;
  basesAccepted: number;
  basesSent: number;
  withBodies: Set<string>;
}

const stats: Stats = { inputs: 0, refused: 0, accepted: 0, serverErrors: 0, byOperation: new Map(), basesAccepted: 0, basesSent: 0, withBodies: new Set() };
const failures: string[] = [];
const accepted: string[] = [];

/** A multipart/form-data body with one part (VoucherPages uploads). */
const MULTIPART_BOUNDARY = 'fuzzBoundary7MA4YWxk';
const MULTIPART = `multipart/form-data; boundary=${MULTIPART_BOUNDARY}`;
const PDF_PAGE = Buffer.from('%PDF-1.4\n%%EOF\n');
function multipartBody(name: string, file: Buffer, headers = `Content-Disposition: form-data; name="${name}"; filename="oppgjor.pdf"\r\nContent-Type: application/pdf`): Buffer {
  return Buffer.concat([Buffer.from(`--${MULTIPART_BOUNDARY}\r\n${headers}\r\n\r\n`), file, Buffer.from(`\r\n--${MULTIPART_BOUNDARY}--\r\n`)]);
}

function pathOf(op: Operation, params: Record<string, string>, query: string): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, n: string) => params[n] ?? '');
  return query ? `${path}?${query}` : path;
}

function headersFor(op: Operation, f: Fixture): Record<string, string> {
  if (op.auth === 'agency') return f.agencyHeaders(op.path);
  if (op.auth === 'token') return { authorization: basicAuth(f.integration.applicationKey, f.integration.clientKey), 'ocp-apim-subscription-key': f.integration.subscriptionKey };
  return {};
}

/** What is wrong with a refusal's body for its face (undefined: nothing). */
function errorFormatProblem(face: Face, res: RawResponse): string | undefined {
  const b = res.body;
  const ct = String(res.headers['content-type'] ?? '');
  if (res.status === 401 && (face === 'v1' || face === 'v2' || face === 'auth')) {
    if (face === 'v1') return typeof b?.Message === 'string' ? undefined : `401 body is not {Message}: ${res.text.slice(0, 300)}`;
    return typeof b?.message === 'string' && b?.statusCode !== undefined ? undefined : `401 body is not {statusCode, message}: ${res.text.slice(0, 300)}`;
  }
  if (res.status === 429) return typeof b?.message === 'string' ? undefined : `429 body is not the APIM body: ${res.text.slice(0, 300)}`;
  if (face === 'v1') {
    if (b?.success !== false || typeof b?.validation?.summary !== 'string' || typeof b?.validation?.exception !== 'string') return `not the v1 failure envelope: ${res.text.slice(0, 300)}`;
    if (Object.values(b.validation).includes(null)) return `null keys in the v1 validation object (the vendor leaves them out): ${res.text.slice(0, 300)}`;
    return undefined;
  }
  if (face === 'auth') return typeof b?.error === 'string' && typeof b?.error_description === 'string' ? undefined : `not an OAuth error {error, error_description}: ${res.text.slice(0, 300)}`;
  // v2: the vendor's ProblemDetails (application/json, its keys only); control and meta: the sandbox's own problem+json
  if (face === 'v2') {
    if (!/^application\/json/.test(ct)) return `content-type ${ct} is not application/json (the vendor's ProblemDetails)`;
    const extra = Object.keys(b ?? {}).filter((k) => !['type', 'title', 'status', 'detail', 'traceId', 'errors'].includes(k));
    if (extra.length) return `v2 ProblemDetails has keys the vendor does not send: ${extra.join(', ')}`;
  } else if (!/application\/problem\+json/.test(ct)) return `content-type ${ct} is not application/problem+json`;
  if (typeof b?.title !== 'string' || typeof b?.detail !== 'string' || typeof b?.type !== 'string') return `not ProblemDetails {type, title, status, detail}: ${res.text.slice(0, 300)}`;
  if (b.status !== res.status) return `ProblemDetails.status ${b.status} differs from the HTTP status ${res.status}`;
  return undefined;
}

function describeInput(op: Operation, input: Input): string {
  const show = (x: string | Buffer | undefined) => (x === undefined ? '' : Buffer.isBuffer(x) ? `<${x.length} bytes: ${x.toString('hex').slice(0, 40)}>` : x.length > 240 ? `${JSON.stringify(x.slice(0, 240))}… (${x.length} chars)` : JSON.stringify(x));
  const path = pathOf(op, input.params, input.query);
  return `${op.operationId} [${input.where} ${input.kind} ${input.field}] ${op.method} ${path.length > 240 ? `${path.slice(0, 240)}… (${path.length} chars)` : path}${input.body !== undefined ? ` body ${show(input.body)}` : ''}${input.headers ? ` headers ${JSON.stringify(input.headers).slice(0, 200)}` : ''}`;
}

async function state(s: ListeningSandbox, clientId: string): Promise<string> {
  const clients = JSON.stringify(await s.engine.listClients());
  const world = await s.engine.read(clientId, (w) => JSON.stringify(w)).catch((e: Error) => `<client gone: ${e.message}>`);
  return `${clients}\n${world}`;
}

async function run(s: ListeningSandbox, op: Operation, f: Fixture, input: Input): Promise<void> {
  const before = await state(s, f.clientId);
  const headers: Record<string, string> = { ...headersFor(op, f), ...(input.headers ?? {}) };
  if (input.body !== undefined) headers['content-type'] = input.contentType ?? (op.bodyType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json');
  const path = pathOf(op, input.params, input.query);
  let res: RawResponse;
  try {
    res = await s.client.request({ method: op.method, path, headers, ...(input.body !== undefined ? { body: input.body } : {}) });
  } catch (e) {
    stats.inputs++;
    stats.serverErrors++;
    failures.push(`${describeInput(op, input)}\n    -> no answer: ${(e as Error).message}`);
    return;
  }
  stats.inputs++;
  stats.byOperation.set(op.operationId, (stats.byOperation.get(op.operationId) ?? 0) + 1);
  const face = faceOfPath(path.split('?')[0]!);
  const refused = res.status >= 400 || (face === 'v1' && res.body?.success === false);
  const problems: string[] = [];
  if (res.status >= 500) {
    stats.serverErrors++;
    problems.push(`server error ${res.status}: ${res.text.slice(0, 400)}`);
  }
  if (refused) {
    stats.refused++;
    const format = errorFormatProblem(face, res);
    if (format) problems.push(`error format (${face}): ${format}`);
    const after = await state(s, f.clientId);
    if (after !== before) problems.push(`refused with ${res.status} but the world changed: ${firstDifference(before, after)}`);
  } else {
    stats.accepted++;
    if (process.env.FUZZ_ACCEPTED) accepted.push(`${describeInput(op, input)} -> ${res.status}`);
  }
  if (input.unknownField && op.face === 'control') {
    const named = res.body?.errors?.[input.unknownField];
    if (res.status !== 400 || !Array.isArray(named) || !/not a known field/.test(String(named[0]))) problems.push(`unknown field ${input.unknownField} on a control body: expected 400 naming it, got ${res.status} ${res.text.slice(0, 300)}`);
  }
  if (problems.length) failures.push(`${describeInput(op, input)}\n    -> ${problems.join('\n    -> ')}`);
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at char ${i}: before …${a.slice(Math.max(0, i - 80), i + 120)}… after …${b.slice(Math.max(0, i - 80), i + 120)}…`;
}

// ---- inputs per operation --------------------------------------------------------------------------------------

function inputsFor(op: Operation, base: Base, f: Fixture): Input[] {
  const rng = mulberry32(hashSeed(SEED, op.operationId));
  const baseQuery = Object.entries(base.query).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  const baseParams = Object.fromEntries(Object.entries(base.params).map(([k, v]) => [k, enc(v)]));
  const inputs: Input[] = [];
  const baseBody = base.body === undefined ? undefined : JSON.stringify(base.body);
  const agencyFace = op.face === 'v1' || op.face === 'v2' || op.face === 'auth';
  if (op.params) for (const c of paramCases(op.params as TSchema, base.params)) inputs.push({ kind: c.kind, where: 'params', field: c.field, params: c.params, query: baseQuery, ...(baseBody !== undefined ? { body: baseBody } : {}) });
  if (op.query) {
    const cases = [...queryCases(op.query as TSchema, base.query, agencyFace), ...randomQueryCases(rng, op.query as TSchema, base.query, RANDOM_QUERIES)];
    for (const c of cases) inputs.push({ kind: c.kind, where: 'query', field: c.field, params: baseParams, query: c.query });
  }
  if (op.body && op.bodyType === 'form') {
    const form = (v: string) => `grant_type=${v}`;
    const values = [...STRINGS.map((x) => enc(x)), 'password', enc('client_credentials\u0000'), enc('CLIENT_CREDENTIALS'), '%zz', '', `${form('client_credentials')}&grant_type=x`];
    for (const v of values) inputs.push({ kind: 'formValue', where: 'body', field: 'grant_type', params: {}, query: '', body: form(v) });
    for (const raw of ['', 'foo=bar', `${form('client_credentials')}&fuzzExtra=1`, '{"grant_type":"client_credentials"}', deepNest(5_000, '[', ']'), '&&&==&', Buffer.from([0xff, 0xfe, 0x3d])])
      inputs.push({ kind: 'formBody', where: 'body', field: '(body)', params: {}, query: '', body: raw });
    const creds = (a: string, k: string) => `Basic ${Buffer.from(`${a}:${k}`).toString('base64')}`;
    const headerCases: Array<Record<string, string>> = [
      { authorization: '' },
      { authorization: 'Basic !!!' },
      { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` },
      { authorization: creds('', '') },
      { authorization: creds('💸', '🧾') },
      { authorization: creds('x'.repeat(5_000), 'y') },
      { authorization: creds(f.integration.applicationKey, `${f.integration.clientKey}\u0000`) },
      { authorization: creds(f.integration.clientKey, f.integration.applicationKey) },
      { authorization: `Bearer ${f.token}` },
      { 'ocp-apim-subscription-key': 'wrong' },
      { 'ocp-apim-subscription-key': 'k'.repeat(5_000) },
      { 'ocp-apim-subscription-key': '' },
    ];
    for (const h of headerCases) inputs.push({ kind: 'header', where: 'headers', field: Object.keys(h)[0]!, params: {}, query: '', body: form('client_credentials'), headers: h });
  } else if (op.body && op.bodyType === 'multipart') {
    const cases: Array<[string, Buffer | string, string]> = [
      ['noFilePart', multipartBody('other', PDF_PAGE), MULTIPART],
      ['emptyFile', multipartBody('file', Buffer.alloc(0)), MULTIPART],
      ['textFile', multipartBody('file', Buffer.from('hello')), MULTIPART],
      ['noDisposition', multipartBody('file', PDF_PAGE, 'Content-Type: application/pdf'), MULTIPART],
      ['unterminated', `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="file"\r\n\r\n%PDF-`, MULTIPART],
      ['wrongBoundary', multipartBody('file', PDF_PAGE), 'multipart/form-data; boundary=other'],
      ['noBoundary', multipartBody('file', PDF_PAGE), 'multipart/form-data'],
      ['json', '{"file":"%PDF-1.4"}', 'application/json'],
      ['empty', '', MULTIPART],
      ['binaryGarbage', Buffer.from([0xff, 0xfe, 0x00, 0x2d, 0x2d]), MULTIPART],
      ['hugeName', multipartBody('file'.repeat(5_000), PDF_PAGE), MULTIPART],
    ];
    for (const [kind, body, contentType] of cases) inputs.push({ kind, where: 'body', field: 'file', params: baseParams, query: baseQuery, body, contentType });
  } else if (op.body) {
    const leaves = bodyCases(op.body as TSchema, base.body);
    const cases: BodyCase[] = [...leaves, ...wholeBodyCases(base.body), ...randomBodyCases(rng, op.body as TSchema, base.body, leaves, RANDOM_BODIES)];
    if (agencyFace && base.body && typeof base.body === 'object') {
      // ASP.NET binds case-insensitively: a differently cased copy must behave like the base.
      const flip = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(flip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toUpperCase(), flip(x)])) : v;
      cases.push({ kind: 'caseKeys', field: '(body)', path: [], value: flip(base.body) });
    }
    for (const c of cases)
      inputs.push({
        kind: c.kind,
        where: 'body',
        field: c.field,
        params: baseParams,
        query: baseQuery,
        body: bodyText(base.body, c),
        ...(c.contentType ? { contentType: c.contentType } : {}),
        ...(c.unknownField ? { unknownField: c.unknownField } : {}),
      });
  }
  return inputs;
}

// ---- the suite -------------------------------------------------------------------------------------------------

let s: ListeningSandbox;
beforeAll(async () => {
  s = await listeningSandbox();
});
afterAll(async () => {
  const ops = FUZZED.filter((op) => stats.byOperation.get(op.operationId)).length;
  console.log(
    `fuzz: ${stats.inputs} inputs over ${ops} operations (${stats.withBodies.size} with bodies), ${stats.refused} refused, ${stats.accepted} accepted, ` +
      `${stats.serverErrors} server errors; ${failures.length} failing inputs; valid bases accepted at the end ${stats.basesAccepted}/${stats.basesSent}; seed ${SEED}`,
  );
  if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, failures.join('\n'));
  if (process.env.FUZZ_ACCEPTED) writeFileSync(process.env.FUZZ_ACCEPTED, accepted.join('\n'));
  await s?.stop();
});

describe('fuzz: every operation with a schema', () => {
  it('every fuzzed operation answers on the face its path names', () => {
    for (const op of FUZZED) expect(faceOfPath(op.path), op.operationId).toBe(op.face === 'meta' ? faceOfPath(op.path) : op.face);
  });

  it.each(FUZZED.map((op) => [op.operationId, op] as const))('%s', async (_id, op) => {
    const f = await buildFixture(s.client);
    const base = await baseFor(op, f, s);
    if (op.body) stats.withBodies.add(op.operationId);
    const before = failures.length;
    const inputs = inputsFor(op, base, f);
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) await run(s, op, f, input);

    // Last, the valid base itself (not asserted: earlier accepted inputs may have used up its ids or codes).
    const baseRes = await s.client.request({
      method: op.method,
      path: pathOf(op, Object.fromEntries(Object.entries(base.params).map(([k, v]) => [k, enc(v)])), Object.entries(base.query).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')),
      headers: { ...headersFor(op, f), ...(op.body ? { 'content-type': op.bodyType === 'form' ? 'application/x-www-form-urlencoded' : op.bodyType === 'multipart' ? MULTIPART : 'application/json' } : {}) },
      ...(op.body ? { body: op.bodyType === 'form' ? 'grant_type=client_credentials' : op.bodyType === 'multipart' ? multipartBody('file', PDF_PAGE) : JSON.stringify(base.body) } : {}),
    });
    stats.basesSent++;
    if (baseRes.status < 300 && baseRes.body?.success !== false) stats.basesAccepted++;
    else if (process.env.FUZZ_VERBOSE) console.log(`base of ${op.operationId} answered ${baseRes.status}: ${baseRes.text.slice(0, 300)}`);
    expect(baseRes.status, `the valid base of ${op.operationId}: ${baseRes.text.slice(0, 300)}`).toBeLessThan(500);

    const mine = failures.slice(before);
    expect(mine, `${mine.length} of ${inputs.length} inputs failed:\n${mine.slice(0, 25).join('\n')}`).toEqual([]);
  });

  // A dot segment in a path parameter ('..', or percent-encoded '%2E%2E' which no client normalises away) must
  // be refused by the operation it was sent to, never resolved into another path (and another operation).
  it.each([
    ['DELETE', 'snapshots/%2E%2E'],
    ['DELETE', 'snapshots/%2e%2e'],
    ['DELETE', 'snapshots/..'],
    ['DELETE', 'faults/%2E%2E'],
    ['POST', 'voucher-reception/%2E%2E/%2E%2E/%2E%2E/clients/x/approve'],
    ['GET', 'invoices/%2E%2E'],
  ])('a dot segment as a path parameter stays in its operation: %s …/%s', async (method, rest) => {
    const f = await buildFixture(s.client, 'Dot AS');
    const before = await state(s, f.clientId);
    const res = await s.client.request({ method, path: `/_sandbox/clients/${f.clientId}/${rest}`, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}) });
    stats.inputs++;
    const after = await state(s, f.clientId);
    const clientGone = after.includes('<client gone');
    const what = `${method} /_sandbox/clients/{id}/${rest} answered ${res.status} ${res.text.slice(0, 160)}${clientGone ? '; the client was DELETED' : after !== before ? '; the world changed' : ''}`;
    expect({ refused: res.status >= 400 && res.status < 500, format: errorFormatProblem('control', res) ?? 'ok', unchanged: after === before }, what).toEqual({ refused: true, format: 'ok', unchanged: true });
  });

  // Dates at the edges of the YYYY calendar, in pairs the one-field-at-a-time inputs above do not make. Either
  // accepted or refused with a 4xx; never a 500, never a half-changed world.
  it.each([
    ['an invoice dated and due in year 1', 'POST', '/invoices', (f: Fixture) => ({ customerId: f.customer.id, amount: 100, invoiceDate: '0001-01-01', dueDate: '0001-01-15' })],
    ['an invoice dated and due in year 999', 'POST', '/invoices', (f: Fixture) => ({ customerId: f.customer.id, amount: 100, invoiceDate: '0999-06-01', dueDate: '0999-06-15' })],
    ['an invoice due on 9999-12-31', 'POST', '/invoices', (f: Fixture) => ({ customerId: f.customer.id, amount: 100, invoiceDate: '9999-12-01', dueDate: '9999-12-31' })],
    ['the clock advanced to the last hour of 9999', 'POST', '/clock/advance', () => ({ to: '9999-12-31T23:00' })],
    ['the clock advanced to 9999-12-31', 'POST', '/clock/advance', () => ({ to: '9999-12-31' })],
    ['a payment dated 9999-12-31', 'POST', '/payments', (f: Fixture) => ({ invoiceId: f.notDue.id, amount: 10, date: '9999-12-31' })],
    ['a write-off dated 9999-12-31', 'POST', '/write-offs', (f: Fixture) => ({ invoiceIds: [f.notDue.id], date: '9999-12-31' })],
  ])('calendar edge: %s', async (_name, method, rest, body) => {
    const f = await buildFixture(s.client, 'Edge AS');
    const input: Input = { kind: 'calendarEdge', where: 'body', field: rest, params: {}, query: '', body: JSON.stringify(body(f)) };
    const op: Operation = { ...OPERATIONS.find((o) => o.operationId === 'getClient')!, method: method as 'POST', path: `/_sandbox/clients/${f.clientId}${rest}`, operationId: `calendarEdge ${rest}` };
    const before = failures.length;
    await run(s, op, f, input);
    expect(failures.slice(before)).toEqual([]);
  });

  it('coverage: every operation with a schema got inputs', () => {
    const missing = FUZZED.filter((op) => !stats.byOperation.get(op.operationId)).map((op) => op.operationId);
    expect(missing).toEqual([]);
    // allRoutes() in particular.
    for (const op of allRoutes().filter(hasSchema)) expect(stats.byOperation.get(op.operationId), op.operationId).toBeGreaterThan(0);
    expect(FUZZED.length).toBeGreaterThanOrEqual(70);
  });

  it('no input got a server error (5xx) or no answer', () => {
    expect(stats.serverErrors, `${stats.serverErrors} server errors; see the failing operations above`).toBe(0);
  });
});
