/**
 * The provider states an agency's pact can ask for, as a typed catalogue: a domain sentence (with {param}
 * placeholders), what the state sets up, its parameters (TypeBox, with defaults) and the values it hands back for
 * Pact `fromProviderState` expressions. The handlers that set the states up live in `contracts/pact/state-handlers.ts`
 * (keyed by the same sentences); `npm run contracts:states` writes `contracts/provider-states.md` from this file.
 *
 * A pact names a state in one of three ways, all with the params object for the rest:
 *   "an approved invoice {invoiceNo} of {amount} NOK exists"  + params {"invoiceNo": 10001, "amount": 1250}
 *   "an approved invoice 10001 of 1250 NOK exists"            (values inline)
 *   "an approved invoice exists"                              (an alias) + params {"amount": 1250}
 * Every state starts a fresh client (its own world and clock); dates count from that client's today.
 */
import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { editDistance } from './edit-distance.js';

// ---- parameter and value building blocks -------------------------------------------------------------------

const Strict = { additionalProperties: false } as const;
/** NOK with at most two decimals (checked by resolveStateParams: multipleOf 0.01 is unreliable in floating point). */
const amount = (def: number, description: string) =>
  Type.Number({ exclusiveMinimum: 0, maximum: 10_000_000, 'x-nok': true, default: def, description });
const caseCode = (def: string, description = "the agency's own case number (`code` on the case)") =>
  Type.String({ minLength: 1, maxLength: 100, default: def, description });
/** An id a state provides. */
const uuidOf = (description: string) => Type.String({ format: 'uuid', description });
/** A state's params: nothing else is accepted. */
const Params = <T extends TProperties>(props: T) => Type.Object(props, Strict);
const invoiceNo = Type.Optional(
  Type.Integer({
    minimum: 1,
    maximum: 999_999_999,
    description: 'the invoice number; default: the next free one (10001 on a fresh client)',
  }),
);
const withAddress = Type.Boolean({ default: true, description: 'give the customer a complete postal address' });

const Values = {
  clientId: Type.String({ description: 'the sandbox client (its own world and clock) the interaction runs on' }),
  today: Type.String({ format: 'date', description: "the client's today after setup (YYYY-MM-DD), e.g. for VoucherDate" }),
  now: Type.String({ format: 'date-time', description: "the client's clock after setup, with offset" }),
  fromDateTime: Type.String({
    format: 'date-time',
    description: 'a moment before anything in this state changed: a GetAllMatchedItems fromDateTime that returns it',
  }),
  customerId: Type.Integer({ description: 'the customer: v2 CustomerDto.Id (GET /v2/Customers/{id})' }),
  customerNo: Type.Integer({ description: 'the customer number: v1 customerCode, v2 CustomerDto.Number' }),
  subledgerAccountId: Type.Integer({
    description: "CustomerDto.SubledgerAccountId: the AccountId of the customer's line in a bank journal",
  }),
  bankAccountId: Type.Integer({ description: 'the AccountId of bank account 1920 (GET /v2/GeneralLedgerAccounts)' }),
  costsAccountId: Type.Integer({
    description: 'the AccountId of 7770 (bank and collection costs), for the costs line of a manual journal',
  }),
  inputVatId: Type.Integer({
    description: 'the Id of VAT code 1 (input VAT, high rate; GET /v2/VatCodes), for DebitVatId on the costs line',
  }),
  invoiceId: Type.String({
    format: 'uuid',
    description: 'the debt-collection invoice id (v1 `id`, MatchedItems/{id}, GetInvoicePdf/{id}, v2 OutgoingInvoices/{id})',
  }),
  invoiceNo: Type.Integer({ description: 'the invoice number' }),
  invoiceNoText: Type.String({ description: 'the invoice number as text, for v2 `InvoiceNo` on a voucher line' }),
  cid: Type.String({ description: 'the KID of the invoice' }),
  dueDate: Type.String({ format: 'date', description: 'the due date of the invoice (YYYY-MM-DD)' }),
  amount: Type.Number({ description: 'the invoice amount in NOK' }),
  remainingAmount: Type.Number({ description: 'NOK still open on the invoice after setup' }),
  caseId: uuidOf('the debt-collection case id'),
  caseCode: Type.String({ description: "the case's code (the agency's case number)" }),
};

const pick = <K extends keyof typeof Values>(...keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, Values[k]])) as Pick<typeof Values, K>;

const invoiceValues = pick(
  'clientId',
  'today',
  'now',
  'customerId',
  'customerNo',
  'invoiceId',
  'invoiceNo',
  'invoiceNoText',
  'cid',
  'dueDate',
  'amount',
  'remainingAmount',
);
const caseValues = {
  ...invoiceValues,
  ...pick('caseId', 'caseCode', 'subledgerAccountId', 'bankAccountId', 'costsAccountId', 'inputVatId', 'fromDateTime'),
};

// ---- the catalogue ---------------------------------------------------------------------------------------

export interface ProviderStateSpec {
  /** What the state sets up, in the ERP's and the agency's words. */
  description: string;
  /** Other names a pact may use for it (without placeholders). */
  aliases?: readonly string[];
  /** The agency calls this state is made for. */
  for: readonly string[];
  params: TObject;
  provides: TObject;
}

export const PROVIDER_STATES = {
  'a debt-collection integration': {
    description:
      'A fresh client with one debt-collection integration, the one that may create new cases; nothing posted yet. The state every ' +
      'interaction without a provider state runs in, too.',
    aliases: ['a client with a debt-collection integration'],
    for: [
      'POST /OAuth/Token',
      'GET /DebtCollection/IsActiveDebtCollection',
      'GET /DebtCollection',
      'GET /v2/GeneralLedgerAccounts',
      'GET /v2/VatCodes',
    ],
    params: Params({
      canCreateNewCases: Type.Boolean({
        default: true,
        description: 'false: the integration may not create new cases (IsActiveDebtCollection is false, AvailableInvoices 403)',
      }),
    }),
    provides: Type.Object(pick('clientId', 'today', 'now', 'bankAccountId', 'costsAccountId', 'inputVatId')),
  },
  'no approved invoices': {
    description: 'A customer with an open invoice that is not due yet: nothing is approved for collection, so AvailableInvoices is empty.',
    aliases: ['no invoices are approved for collection'],
    for: ['GET /DebtCollection/Invoices/AvailableInvoices (empty)', 'GET /DebtCollection/GetAllMatchedItems (empty)'],
    params: Params({
      amount: amount(1250, 'NOK on the open invoice'),
      dueInDays: Type.Integer({ minimum: 0, maximum: 365, default: 14, description: 'days until the invoice falls due' }),
    }),
    provides: Type.Object({ ...invoiceValues, ...pick('fromDateTime') }),
  },
  'an approved invoice {invoiceNo} of {amount} NOK exists': {
    description:
      'An invoice fell due, waited its days on the Draft list, and the ERP user approved it for collection ("Godkjent"): it is in ' +
      'AvailableInvoices for the integration that may create new cases, and not in a case yet.',
    aliases: ['an approved invoice exists'],
    for: [
      'GET /DebtCollection/Invoices/AvailableInvoices',
      'POST /DebtCollection',
      'GET /DebtCollection/GetInvoicePdf/{id}',
      'GET /v2/Customers/{id}',
      'GET /v2/OutgoingInvoices/{id}',
    ],
    params: Params({
      invoiceNo,
      amount: amount(1250, 'NOK on the invoice'),
      daysOverdue: Type.Integer({
        minimum: 14,
        maximum: 365,
        default: 14,
        description: 'days past due when approved (it reaches the Draft list 14 days after the due date)',
      }),
      customerHasAddress: withAddress,
      customerName: Type.String({ minLength: 1, maxLength: 200, default: 'Ola Nordmann AS' }),
      customerEmail: Type.Union([Type.String({ pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', maxLength: 200 }), Type.Null()], {
        default: 'post@olanordmann.no',
        description: 'the customer e-mail (null: none)',
      }),
    }),
    provides: Type.Object({ ...invoiceValues, ...pick('subledgerAccountId', 'fromDateTime') }),
  },
  'a customer without a complete postal address with an approved invoice': {
    description:
      'An approved invoice whose customer has no complete postal address. Two hours after approval the sandbox flags the obstacle ' +
      '(the agency cannot send letters), as Go shows it on the Approved list; the invoice stays available.',
    aliases: ['an approved invoice for a customer without an address'],
    for: ['GET /v2/Customers/{id} (empty MailAddress)', 'GET /DebtCollection/Invoices/AvailableInvoices'],
    params: Params({
      amount: amount(1250, 'NOK on the invoice'),
      hoursSinceApproval: Type.Integer({
        minimum: 0,
        maximum: 720,
        default: 2,
        description: 'hours the clock moves on after approval (2 or more: the obstacle is flagged)',
      }),
    }),
    provides: Type.Object({ ...invoiceValues, ...pick('subledgerAccountId') }),
  },
  'an invoice {days} days overdue': {
    description:
      'An open invoice the given number of days past its due date, with the default reminder settings: it may have had reminders, may ' +
      'be on the Draft list, but nobody approved it for collection.',
    aliases: ['an overdue invoice'],
    for: ['GET /v2/Customerledger/OpenItems', 'GET /v2/OutgoingInvoices?onlyUnpaidInvoices=true'],
    params: Params({
      days: Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'days past due' }),
      amount: amount(1250, 'NOK on the invoice'),
    }),
    provides: Type.Object({ ...invoiceValues, ...pick('subledgerAccountId') }),
  },
  'an open case {caseCode} for an invoice of {amount} NOK': {
    description:
      'The agency took an approved invoice into a case (POST /DebtCollection as the integration): the case is Active, the invoice ' +
      'Exported with its full amount open. Ready for UpdateStatus and for settling collected money with a v2 bank journal.',
    aliases: ['an open case exists', 'an open case'],
    for: [
      'POST /DebtCollection/UpdateStatus',
      'GET /DebtCollection/{id}',
      'POST /v2/Vouchers/BankJournals',
      'DELETE /DebtCollection/{id}',
    ],
    params: Params({ caseCode: caseCode('K-10001'), amount: amount(1250, 'NOK on the invoice'), invoiceNo }),
    provides: Type.Object(caseValues),
  },
  'an open case {caseCode} and another approved invoice of the same customer': {
    description:
      'An open case with one invoice, and a second approved invoice of the same customer not yet in a case: ready for ' +
      'AddInvoicesToCase. The invoice values (invoiceId, invoiceNo, cid, amount …) are those of the second invoice; caseInvoiceId is ' +
      'the one already in the case.',
    aliases: ['an open case and another approved invoice'],
    for: ['POST /DebtCollection/AddInvoicesToCase'],
    params: Params({
      caseCode: caseCode('K-10001'),
      amount: amount(1250, 'NOK on the invoice in the case'),
      otherAmount: amount(800, 'NOK on the other approved invoice'),
    }),
    provides: Type.Object({
      ...caseValues,
      invoiceId: uuidOf('the OTHER approved invoice (not in the case yet): the one to add'),
      invoiceNo: Type.Integer({ description: 'the other invoice number' }),
      caseInvoiceId: uuidOf('the invoice already in the case'),
    }),
  },
  'two open cases {caseCode} and {otherCaseCode} of the same customer': {
    description:
      'Two approved invoices of one customer, each taken into its own case by the agency (POST /DebtCollection twice): both cases are ' +
      'Active, ready for MergeCases. The invoice and case values are those of the first case; otherCaseId, otherCaseCode and ' +
      'otherInvoiceId are the second.',
    aliases: ['two open cases of the same customer'],
    for: ['POST /DebtCollection/MergeCases'],
    params: Params({
      caseCode: caseCode('K-10001'),
      otherCaseCode: caseCode('K-10002', "the agency's own case number of the second case"),
      amount: amount(1250, 'NOK on the invoice in the first case'),
      otherAmount: amount(800, 'NOK on the invoice in the second case'),
    }),
    provides: Type.Object({
      ...caseValues,
      otherCaseId: uuidOf('the second case'),
      otherCaseCode: Type.String({ description: "the second case's code" }),
      otherInvoiceId: uuidOf('the invoice in the second case'),
    }),
  },
  'an open case {caseCode} with a direct payment of {amount} NOK': {
    description:
      'An open case whose customer then paid part of the invoice directly to the client (the ERP user posted the payment): ' +
      'MatchedItems of the invoice shows the payment, remainingAmount is lower.',
    aliases: ['an open case with a direct payment'],
    for: ['GET /DebtCollection/MatchedItems/{id}', 'GET /DebtCollection/GetAllMatchedItems', 'GET /DebtCollection/{id}'],
    params: Params({
      caseCode: caseCode('K-10001'),
      amount: amount(500, 'NOK the customer paid directly'),
      invoiceAmount: amount(2000, 'NOK on the invoice'),
    }),
    provides: Type.Object({
      ...caseValues,
      paymentVoucherId: uuidOf("the payment voucher (MatchedItems' voucherId)"),
    }),
  },
  'a written-off invoice': {
    description:
      'An invoice in an open case that the client wrote off for its accounts (debit 7830): the write-off is a matched item with ' +
      'isWriteOff true, nothing is open, the invoice stays in its case.',
    aliases: ['a written-off invoice in an open case'],
    for: ['GET /DebtCollection/GetAllMatchedItems', 'GET /DebtCollection/MatchedItems/{id}'],
    params: Params({ caseCode: caseCode('K-8001'), amount: amount(2000, 'NOK on the invoice (all of it written off)') }),
    provides: Type.Object({ ...caseValues, writeOffVoucherId: uuidOf('the write-off voucher') }),
  },
  'an open case {caseCode} settled with a bank journal of {amount} NOK': {
    description:
      'An open case the agency settled through the v2 API: it posted a bank journal crediting the customer line with InvoiceNo and ' +
      'debiting 1920. The payment is matched to the invoice and shows in the matched items.',
    aliases: ['a case settled by the agency'],
    for: [
      'GET /DebtCollection/GetAllMatchedItems',
      'GET /DebtCollection/MatchedItems/{id}',
      'POST /DebtCollection/UpdateStatus (closing)',
    ],
    params: Params({
      caseCode: caseCode('K-10001'),
      amount: amount(1250, 'NOK the agency settled'),
      invoiceAmount: amount(1250, 'NOK on the invoice'),
    }),
    provides: Type.Object({
      ...caseValues,
      bankVoucherId: uuidOf('the posted bank voucher (v2 BankVoucherDto.Id)'),
    }),
  },
} as const satisfies Record<string, ProviderStateSpec>;

export type ProviderStateName = keyof typeof PROVIDER_STATES;
export type StateParams<N extends ProviderStateName> = Static<(typeof PROVIDER_STATES)[N]['params']>;
export type StateValues<N extends ProviderStateName> = Static<(typeof PROVIDER_STATES)[N]['provides']>;

export const PROVIDER_STATE_NAMES = Object.keys(PROVIDER_STATES) as ProviderStateName[];

/** The state of an interaction that names none. */
export const DEFAULT_STATE: ProviderStateName = 'a debt-collection integration';

/**
 * Values every state hands back besides its own: the interaction's integration's credentials, so a pact can carry
 * them as provider-state expressions (`Authorization: Bearer ${v1AccessToken}`) when no request filter replaces them
 * (a verifier other than pact-js, or the state-change URL). Tokens are issued after the state is set up.
 */
export const CREDENTIAL_VALUES = Type.Object({
  v1AccessToken: Type.String({ description: 'a v1 access token of the integration (api.poweroffice.net)' }),
  v2AccessToken: Type.String({ description: 'a v2 access token of the integration (goapi.poweroffice.net)' }),
  v1Authorization: Type.String({ description: '`Bearer ` + v1AccessToken, for an Authorization header on /DebtCollection' }),
  v2Authorization: Type.String({ description: '`Bearer ` + v2AccessToken, for an Authorization header on /v2' }),
  tokenAuthorization: Type.String({ description: '`Basic ` + base64(applicationKey:clientKey), for POST /OAuth/Token' }),
  applicationKey: Type.String({ description: "the integration's application key" }),
  clientKey: Type.String({ description: "the client's key for the integration" }),
  subscriptionKey: Type.String({ description: 'the Ocp-Apim-Subscription-Key of the integration (v2 and its token requests)' }),
});

/** The values a set of states provides (for checking a pact's provider-state expressions). */
export function providedValues(names: readonly ProviderStateName[]): string[] {
  return [
    ...new Set([
      ...(names.length ? names : [DEFAULT_STATE]).flatMap((n) => Object.keys(PROVIDER_STATES[n].provides.properties)),
      ...Object.keys(CREDENTIAL_VALUES.properties),
    ]),
  ];
}

// ---- resolving a pact's state ------------------------------------------------------------------------------

/** A state of a pact, resolved against the catalogue: its sentence and its parameters with defaults. */
export interface ResolvedState {
  name: ProviderStateName;
  params: Record<string, unknown>;
  /** The sentence with the parameters filled in. */
  title: string;
}

export class ProviderStateError extends Error {
  constructor(
    message: string,
    readonly kind: 'unknown' | 'params',
  ) {
    super(message);
    this.name = 'ProviderStateError';
  }
}

const placeholders = (name: string) => [...name.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

function templateRegex(name: string): RegExp {
  const parts = name
    .split(/(\{\w+\})/)
    .map((p) => (/^\{\w+\}$/.test(p) ? `(?<${p.slice(1, -1)}>.+?)` : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('')}$`, 'i');
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** Which catalogue state a pact's state name means, with any values written inline. */
export function matchStateName(written: string): { name: ProviderStateName; inline: Record<string, string> } | undefined {
  const w = norm(written);
  for (const name of PROVIDER_STATE_NAMES) {
    const spec: ProviderStateSpec = PROVIDER_STATES[name];
    if (norm(name) === w || spec.aliases?.some((a) => norm(a) === w)) return { name, inline: {} };
  }
  for (const name of PROVIDER_STATE_NAMES) {
    if (!placeholders(name).length) continue;
    const m = templateRegex(name).exec(written.trim().replace(/\s+/g, ' '));
    if (m?.groups) return { name, inline: { ...m.groups } };
  }
  return undefined;
}

/** The sentence with the parameter values in place of the placeholders. */
export function stateTitle(name: ProviderStateName, params: Record<string, unknown>): string {
  return name.replace(/\{(\w+)\}/g, (whole, key: string) =>
    params[key] === undefined || params[key] === null ? whole : String(params[key]),
  );
}

function typeText(schema: TSchema): string {
  const s = schema as { type?: string | string[]; anyOf?: TSchema[]; enum?: unknown[]; format?: string; pattern?: string };
  if (s.anyOf) return s.anyOf.map(typeText).join(' | ');
  if (s.enum) return s.enum.map((e) => JSON.stringify(e)).join(' | ');
  const t = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  return s.format ? `${t} (${s.format})` : t;
}

/** Check and complete a state's parameters: inline values (text) are converted; defaults fill the gaps. */
export function resolveStateParams(
  name: ProviderStateName,
  given: Record<string, unknown> | undefined,
  inline: Record<string, string> = {},
): Record<string, unknown> {
  const schema = PROVIDER_STATES[name].params as TObject;
  const problems: string[] = [];
  const raw: Record<string, unknown> = { ...(given ?? {}) };
  for (const [key, text] of Object.entries(inline)) {
    const prop = schema.properties[key];
    const value = prop ? Value.Convert(prop, text) : text;
    if (key in raw && JSON.stringify(raw[key]) !== JSON.stringify(value))
      problems.push(`${key} is ${text} in the state name but ${JSON.stringify(raw[key])} in params`);
    raw[key] = value;
  }
  for (const key of Object.keys(raw)) if (!(key in schema.properties)) problems.push(`${key} is not a parameter of this state`);
  const withDefaults = Value.Default(schema, structuredClone(raw)) as Record<string, unknown>;
  if (!problems.length) {
    for (const e of Value.Errors(schema, withDefaults)) {
      const key = e.path.replace(/^\//, '').replace(/\//g, '.');
      if (!key || !(key.split('.')[0]! in schema.properties)) continue;
      const prop = schema.properties[key.split('.')[0]!]!;
      problems.push(
        `${key} must be ${typeText(prop)}${constraintText(prop)}, not ${JSON.stringify(e.value)} (${e.message.toLowerCase()})`,
      );
    }
    for (const [key, prop] of Object.entries(schema.properties)) {
      const v = withDefaults[key];
      if ((prop as Record<string, unknown>)['x-nok'] && typeof v === 'number' && Math.abs(Math.round(v * 100) - v * 100) > 1e-6)
        problems.push(`${key} must have at most two decimals, not ${v}`);
    }
  }
  if (problems.length) {
    throw new ProviderStateError(`params of "${name}": ${[...new Set(problems)].join('; ')}. It takes: ${paramList(name)}`, 'params');
  }
  return withDefaults;
}

function constraintText(schema: TSchema): string {
  const s = schema as Record<string, unknown>;
  const parts: string[] = [];
  if (s.minimum !== undefined) parts.push(`>= ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) parts.push(`<= ${s.maximum}`);
  if (s['x-nok']) parts.push('at most two decimals');
  if (s.minLength !== undefined && s.minLength !== 0) parts.push(`at least ${s.minLength} characters`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** "invoiceNo?: integer, amount: number = 1250, …" */
export function paramList(name: ProviderStateName): string {
  const props = Object.entries((PROVIDER_STATES[name].params as TObject).properties);
  if (!props.length) return '(no parameters)';
  return props
    .map(([k, s]) => {
      const d = (s as { default?: unknown }).default;
      return `${k}${d === undefined ? '?' : ''}: ${typeText(s)}${d !== undefined ? ` = ${JSON.stringify(d)}` : ''}`;
    })
    .join(', ');
}

/** Resolve a state as a pact writes it; throws ProviderStateError (unknown state, or bad params). */
export function resolveState(written: string, params: Record<string, unknown> | undefined): ResolvedState {
  const found = matchStateName(written);
  if (!found) throw new ProviderStateError(unknownStateMessage([written]), 'unknown');
  const resolved = resolveStateParams(found.name, params, found.inline);
  return { name: found.name, params: resolved, title: stateTitle(found.name, resolved) };
}

/** The catalogue state (or alias) closest to a name, when it is close enough to be a likely typo. */
export function closestState(written: string): ProviderStateName | undefined {
  let best: { name: ProviderStateName; d: number } | undefined;
  for (const name of PROVIDER_STATE_NAMES) {
    const spec: ProviderStateSpec = PROVIDER_STATES[name];
    for (const candidate of [name, ...(spec.aliases ?? [])]) {
      const d = editDistance(norm(written), norm(candidate));
      if (!best || d < best.d) best = { name, d };
    }
  }
  return best && best.d <= Math.max(4, Math.round(written.length * 0.35)) ? best.name : undefined;
}

/** Every known state with its parameters, for error messages. */
export function knownStatesText(): string {
  return PROVIDER_STATE_NAMES.map((name) => {
    const spec: ProviderStateSpec = PROVIDER_STATES[name];
    const aliases = spec.aliases?.length ? `\n      also: ${spec.aliases.map((a) => `"${a}"`).join(', ')}` : '';
    return `  - "${name}"${aliases}\n      params: ${paramList(name)}`;
  }).join('\n');
}

export function unknownStateMessage(names: string[]): string {
  const lines = names.map((n) => {
    const near = closestState(n);
    return `  "${n}"${near ? ` (did you mean "${near}"?)` : ''}`;
  });
  return (
    `unknown provider state${names.length === 1 ? '' : 's'}:\n${lines.join('\n')}\nThe sandbox knows these provider states (write them ` +
    `as below, or with the values inline, and put the rest in params):\n${knownStatesText()}\nSee contracts/provider-states.md for what ` +
    `each one sets up and the values it provides.`
  );
}

// ---- the generated document ------------------------------------------------------------------------------

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** contracts/provider-states.md, generated (a test keeps the committed file in step). */
export function providerStatesMarkdown(): string {
  const out: string[] = [];
  out.push('# Provider states');
  out.push('');
  out.push('<!-- Generated from contracts/provider-states.ts by `npm run contracts:states`; do not edit by hand. -->');
  out.push('');
  out.push(
    'The states a pact verified with `inkasso-sandbox verify` can ask for. Every interaction runs on a fresh sandbox client (its own ' +
      "world and clock); the state is set up through the sandbox's own faces (the control API as the ERP user, the agency API as the " +
      "integration), and dates count from that client's today. The verifier then authenticates the interaction as that client's " +
      "debt-collection integration: it replaces `Authorization` (a fresh bearer token, or Basic with the integration's keys on `POST " +
      '/OAuth/Token`) and sets `Ocp-Apim-Subscription-Key`, so the credentials in your pact do not matter.',
  );
  out.push('');
  out.push(
    'Name a state in your pact with the sentence as written here and its parameters in `params`, or with the values inline, or by one ' +
      'of its aliases:',
  );
  out.push('');
  out.push('```json');
  out.push(
    '"providerStates": [{ "name": "an approved invoice {invoiceNo} of {amount} NOK exists", "params": { "invoiceNo": 10001, "amount": ' +
      '1250 } }]',
  );
  out.push('"providerStates": [{ "name": "an approved invoice 10001 of 1250 NOK exists" }]');
  out.push('"providerStates": [{ "name": "an approved invoice exists", "params": { "amount": 1250 } }]');
  out.push('```');
  out.push('');
  out.push(
    'Each state provides values for Pact provider-state expressions (`fromProviderState` in pact-js; `"generators": {"path": {"type": ' +
      '"ProviderState", "expression": "/DebtCollection/MatchedItems/${invoiceId}"}}` in the file). An interaction without a provider ' +
      'state runs in "a debt-collection integration". An unknown state, or a parameter of the wrong type, stops the verification before ' +
      'it starts, with the list below.',
  );
  out.push('');
  out.push('| state | parameters | for |');
  out.push('|---|---|---|');
  for (const name of PROVIDER_STATE_NAMES) {
    const spec: ProviderStateSpec = PROVIDER_STATES[name];
    const params = Object.keys(spec.params.properties);
    out.push(
      `| [${cell(name)}](#${anchor(name)}) | ${params.length ? params.map((p) => `\`${p}\``).join(', ') : '-'} ` +
        `| ${cell(spec.for.join(', '))} ` +
        `|`,
    );
  }
  for (const name of PROVIDER_STATE_NAMES) {
    const spec: ProviderStateSpec = PROVIDER_STATES[name];
    out.push('');
    out.push(`## ${name}`);
    out.push('');
    out.push(spec.description);
    out.push('');
    if (spec.aliases?.length) {
      out.push(`Also written: ${spec.aliases.map((a) => `"${a}"`).join(', ')}.`);
      out.push('');
    }
    out.push(`For: ${spec.for.map((f) => `\`${f}\``).join(', ')}.`);
    out.push('');
    const params = Object.entries(spec.params.properties);
    if (params.length) {
      out.push('| parameter | type | default | meaning |');
      out.push('|---|---|---|---|');
      for (const [key, s] of params) {
        const d = (s as { default?: unknown }).default;
        out.push(
          `| \`${key}\` | ${cell(typeText(s))}${cell(constraintText(s))} ` +
            `| ${d === undefined ? '(optional)' : `\`${JSON.stringify(d)}\``} ` +
            `| ${cell((s as { description?: string }).description ?? '')} |`,
        );
      }
    } else out.push('No parameters.');
    out.push('');
    out.push('| provides | type | meaning |');
    out.push('|---|---|---|');
    for (const [key, s] of Object.entries(spec.provides.properties))
      out.push(`| \`\${${key}}\` | ${cell(typeText(s))} | ${cell((s as { description?: string }).description ?? '')} |`);
  }
  out.push('');
  out.push('## Credentials, provided by every state');
  out.push('');
  out.push(
    "Every state also hands back the interaction's integration's credentials, issued after the state is set up. `inkasso-sandbox " +
      "verify` and the request filter of `inkasso-sandbox/pact` replace your request's credentials anyway; a verifier without that " +
      "filter (pact-jvm, PactNet, `pact_verifier_cli`, or any verifier using the sandbox's state-change URL `POST " +
      '/_sandbox/pact/state`) needs them in the pact as provider-state expressions, e.g. `"Authorization": ' +
      "fromProviderState('${v1Authorization}', 'Bearer token')`.",
  );
  out.push('');
  out.push('| provides | type | meaning |');
  out.push('|---|---|---|');
  for (const [key, s] of Object.entries(CREDENTIAL_VALUES.properties))
    out.push(`| \`\${${key}}\` | ${cell(typeText(s))} | ${cell((s as { description?: string }).description ?? '')} |`);
  out.push('');
  return out.join('\n');
}

function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s/g, '-');
}
