/**
 * One handler per provider state of the catalogue (`contracts/provider-states.ts`), keyed by the same sentence.
 * A handler sets its state up on the interaction's fresh client through the sandbox's faces only: the control API
 * as the ERP user (customers, invoices, the clock, approvals, payments, write-offs) and the agency API as the
 * integration (cases, bank journals). It returns the values a pact's provider-state expressions use.
 */
import type { Static } from '@sinclair/typebox';
import type { ProviderStateName, StateParams, StateValues } from '../provider-states.js';
import type { ClientControl, CustomerView, IntegrationView, InvoiceView } from '../../sdk/control/client.js';
import type { AgencyClient } from '../../sdk/client/agency.js';
import type * as V2 from '../schemas/v2.js';
import { addDays } from '../../sandbox/domain/time.js';
import { OSLO_ADDRESS as ADDRESS } from '../../sdk/control/fixtures.js';

/** The fresh client an interaction runs on. */
export interface StateClient {
  control: ClientControl;
  /** The integration that may create new cases: the one the verifier authenticates as. */
  integration: IntegrationView;
  /** The agency API as that integration. */
  agency: AgencyClient;
  /** The client's clock when it was created (before the state). */
  startedAt: string;
}

export interface StateContext {
  /** The interaction's client: created on first use, shared by the states of one interaction. */
  client(): Promise<StateClient>;
}

export type StateHandler<N extends ProviderStateName> = (ctx: StateContext, params: StateParams<N>) => Promise<StateValues<N>>;
export type StateHandlers = { [N in ProviderStateName]: StateHandler<N> };

const BANK_ACCOUNT_NO = 1920;
const COSTS_ACCOUNT_NO = 7770;
const INPUT_VAT_CODE = '1';

// ---- helpers -----------------------------------------------------------------------------------------------

async function newCustomer(
  c: StateClient,
  options: { withAddress?: boolean; name?: string; email?: string | null } = {},
): Promise<CustomerView> {
  return c.control.customers.create({
    name: options.name ?? 'Ola Nordmann AS',
    organizationNumber: '974760673',
    ...(options.email !== null ? { emailAddress: options.email ?? 'post@olanordmann.no' } : {}),
    ...((options.withAddress ?? true) ? { mailAddress: ADDRESS } : {}),
  });
}

/** A new customer with one invoice (not approved), dated and due these many days from today. */
async function customerWithInvoice(c: StateClient, amount: number, invoiceInDays: number, dueInDays: number) {
  const customer = await newCustomer(c);
  const { today } = await c.control.clock.get();
  const invoice = await c.control.invoices.create({
    customerId: customer.id,
    amount,
    invoiceDate: addDays(today, invoiceInDays),
    dueDate: addDays(today, dueInDays),
  });
  return { customer, invoice };
}

async function v2Customer(c: StateClient, id: number): Promise<Static<typeof V2.CustomerDto>> {
  return (await c.agency.call<Static<typeof V2.CustomerDto>>('v2', 'GET', `/Customers/${id}`)).body;
}

/** The v2 ids an agency's vouchers post to: bank 1920, costs 7770, and input VAT code 1. */
async function ledgerIds(c: StateClient): Promise<{ bankAccountId: number; costsAccountId: number; inputVatId: number }> {
  const [accounts, vatCodes] = await Promise.all([
    c.agency.call<Array<Static<typeof V2.GeneralLedgerAccountDto>>>('v2', 'GET', '/GeneralLedgerAccounts', {
      query: { accountNos: `${BANK_ACCOUNT_NO},${COSTS_ACCOUNT_NO}` },
    }),
    c.agency.call<Array<Static<typeof V2.VatCodeDto>>>('v2', 'GET', '/VatCodes'),
  ]);
  const account = (no: number) =>
    accounts.body?.find((a) => a.AccountNo === no)?.Id ?? fail(`the sandbox has no general ledger account ${no}`);
  const inputVatId = vatCodes.body?.find((v) => v.Code === INPUT_VAT_CODE)?.Id ?? fail(`the sandbox has no VAT code ${INPUT_VAT_CODE}`);
  return { bankAccountId: account(BANK_ACCOUNT_NO), costsAccountId: account(COSTS_ACCOUNT_NO), inputVatId };
}

function fail(message: string): never {
  throw new Error(message);
}

/** Invoices of one customer, due today, then the clock moves on and the ERP user approves them all. */
async function approvedInvoices(
  c: StateClient,
  customer: CustomerView,
  specs: Array<{ amount: number; invoiceNo?: number }>,
  daysOverdue = 14,
): Promise<InvoiceView[]> {
  const { today } = await c.control.clock.get();
  const invoices: InvoiceView[] = [];
  for (const spec of specs)
    invoices.push(
      await c.control.invoices.create({
        customerId: customer.id,
        amount: spec.amount,
        invoiceDate: addDays(today, -14),
        dueDate: today,
        ...(spec.invoiceNo ? { invoiceNo: spec.invoiceNo } : {}),
      }),
    );
  await c.control.clock.advance({ days: daysOverdue });
  const result = await c.control.collection.approve({ invoiceIds: invoices.map((i) => i.id) });
  if (result.skipped.length)
    throw new Error(`could not approve ${result.skipped.map((s) => `invoice ${s.invoiceNo} (${s.reason})`).join(', ')}`);
  return invoices;
}

async function invoiceValues(c: StateClient, invoiceId: string, customer: CustomerView) {
  const [invoice, clock] = await Promise.all([c.control.invoices.get(invoiceId), c.control.clock.get()]);
  return {
    clientId: c.control.id,
    today: clock.today,
    now: clock.now,
    customerId: customer.id,
    customerNo: customer.number,
    invoiceId: invoice.id,
    invoiceNo: invoice.invoiceNo,
    invoiceNoText: String(invoice.invoiceNo),
    cid: invoice.cid,
    dueDate: invoice.dueDate,
    amount: invoice.amount,
    remainingAmount: invoice.openAmount,
  };
}

/** An approved invoice taken into a case by the agency (POST /DebtCollection). */
async function openCase(c: StateClient, p: { caseCode: string; amount: number; invoiceNo?: number }) {
  const customer = await newCustomer(c);
  const [invoice] = await approvedInvoices(c, customer, [{ amount: p.amount, ...(p.invoiceNo ? { invoiceNo: p.invoiceNo } : {}) }]);
  const kase = await c.agency.debtCollection.createCase({ code: p.caseCode, invoices: [invoice!.id] });
  return { customer, invoice: invoice!, kase };
}

async function caseValues(c: StateClient, opened: Awaited<ReturnType<typeof openCase>>, invoiceId = opened.invoice.id) {
  const [values, customer, ids] = await Promise.all([
    invoiceValues(c, invoiceId, opened.customer),
    v2Customer(c, opened.customer.id),
    ledgerIds(c),
  ]);
  return {
    ...values,
    caseId: opened.kase.id,
    caseCode: opened.kase.code,
    subledgerAccountId: customer.SubledgerAccountId,
    ...ids,
    fromDateTime: c.startedAt,
  };
}

// ---- the handlers ------------------------------------------------------------------------------------------

export const stateHandlers: StateHandlers = {
  'a debt-collection integration': async (ctx, p) => {
    const c = await ctx.client();
    if (!p.canCreateNewCases) await c.control.integrations.change(c.integration.id, { canCreateNewCases: false });
    const clock = await c.control.clock.get();
    return { clientId: c.control.id, today: clock.today, now: clock.now, ...(await ledgerIds(c)) };
  },

  'no approved invoices': async (ctx, p) => {
    const c = await ctx.client();
    const { customer, invoice } = await customerWithInvoice(c, p.amount, 0, p.dueInDays);
    return { ...(await invoiceValues(c, invoice.id, customer)), fromDateTime: c.startedAt };
  },

  'an approved invoice {invoiceNo} of {amount} NOK exists': async (ctx, p) => {
    const c = await ctx.client();
    const customer = await newCustomer(c, { withAddress: p.customerHasAddress, name: p.customerName, email: p.customerEmail });
    const [invoice] = await approvedInvoices(
      c,
      customer,
      [{ amount: p.amount, ...(p.invoiceNo ? { invoiceNo: p.invoiceNo } : {}) }],
      p.daysOverdue,
    );
    const dto = await v2Customer(c, customer.id);
    return { ...(await invoiceValues(c, invoice!.id, customer)), subledgerAccountId: dto.SubledgerAccountId, fromDateTime: c.startedAt };
  },

  'a customer without a complete postal address with an approved invoice': async (ctx, p) => {
    const c = await ctx.client();
    const customer = await newCustomer(c, { withAddress: false, name: 'Nils Uten Adresse' });
    const [invoice] = await approvedInvoices(c, customer, [{ amount: p.amount }]);
    if (p.hoursSinceApproval > 0) await c.control.clock.advance({ hours: p.hoursSinceApproval });
    const dto = await v2Customer(c, customer.id);
    return { ...(await invoiceValues(c, invoice!.id, customer)), subledgerAccountId: dto.SubledgerAccountId };
  },

  'an invoice {days} days overdue': async (ctx, p) => {
    const c = await ctx.client();
    const { customer, invoice } = await customerWithInvoice(c, p.amount, -14, 0);
    await c.control.clock.advance({ days: p.days });
    const dto = await v2Customer(c, customer.id);
    return { ...(await invoiceValues(c, invoice.id, customer)), subledgerAccountId: dto.SubledgerAccountId };
  },

  'an open case {caseCode} for an invoice of {amount} NOK': async (ctx, p) => {
    const c = await ctx.client();
    return caseValues(
      c,
      await openCase(c, { caseCode: p.caseCode, amount: p.amount, ...(p.invoiceNo ? { invoiceNo: p.invoiceNo } : {}) }),
    );
  },

  'an open case {caseCode} and another approved invoice of the same customer': async (ctx, p) => {
    const c = await ctx.client();
    const customer = await newCustomer(c);
    const [inCase, other] = await approvedInvoices(c, customer, [{ amount: p.amount }, { amount: p.otherAmount }]);
    const kase = await c.agency.debtCollection.createCase({ code: p.caseCode, invoices: [inCase!.id] });
    return { ...(await caseValues(c, { customer, invoice: inCase!, kase }, other!.id)), caseInvoiceId: inCase!.id };
  },

  'two open cases {caseCode} and {otherCaseCode} of the same customer': async (ctx, p) => {
    const c = await ctx.client();
    if (p.caseCode === p.otherCaseCode) throw new Error(`the two cases need different codes, not both ${p.caseCode}`);
    const customer = await newCustomer(c);
    const [first, second] = await approvedInvoices(c, customer, [{ amount: p.amount }, { amount: p.otherAmount }]);
    const kase = await c.agency.debtCollection.createCase({ code: p.caseCode, invoices: [first!.id] });
    const other = await c.agency.debtCollection.createCase({ code: p.otherCaseCode, invoices: [second!.id] });
    return {
      ...(await caseValues(c, { customer, invoice: first!, kase })),
      otherCaseId: other.id,
      otherCaseCode: other.code,
      otherInvoiceId: second!.id,
    };
  },

  'an open case {caseCode} with a direct payment of {amount} NOK': async (ctx, p) => {
    const c = await ctx.client();
    if (p.amount > p.invoiceAmount)
      throw new Error(`the payment (${p.amount} NOK) is more than the invoice (${p.invoiceAmount} NOK): raise invoiceAmount`);
    const opened = await openCase(c, { caseCode: p.caseCode, amount: p.invoiceAmount });
    const payment = await c.control.payment({
      invoiceId: opened.invoice.id,
      amount: p.amount,
      description: 'Paid directly to the client',
    });
    return { ...(await caseValues(c, opened)), paymentVoucherId: payment.id };
  },

  'a written-off invoice': async (ctx, p) => {
    const c = await ctx.client();
    const opened = await openCase(c, { caseCode: p.caseCode, amount: p.amount });
    const writeOff = await c.control.writeOffs.create({ invoiceIds: [opened.invoice.id], description: 'Doubtful claim, year-end' });
    return { ...(await caseValues(c, opened)), writeOffVoucherId: writeOff.id };
  },

  'an open case {caseCode} settled with a bank journal of {amount} NOK': async (ctx, p) => {
    const c = await ctx.client();
    if (p.amount > p.invoiceAmount)
      throw new Error(`the settlement (${p.amount} NOK) is more than the invoice (${p.invoiceAmount} NOK): raise invoiceAmount`);
    const opened = await openCase(c, { caseCode: p.caseCode, amount: p.invoiceAmount });
    const [customer, { bankAccountId: bank }, { today }] = await Promise.all([
      v2Customer(c, opened.customer.id),
      ledgerIds(c),
      c.control.clock.get(),
    ]);
    const posted = await c.agency.call<{ Id: string }>('v2', 'POST', '/Vouchers/BankJournals', {
      body: {
        VoucherDate: today,
        CurrencyCode: 'NOK',
        Description: `Settlement ${p.caseCode}`,
        ExternalImportReference: `settlement-${p.caseCode}`,
        VoucherLines: [
          {
            PostingDate: today,
            AccountId: customer.SubledgerAccountId,
            CurrencyAmount: -p.amount,
            InvoiceNo: String(opened.invoice.invoiceNo),
            VatId: null,
            Description: `Collected on ${p.caseCode}`,
          },
          { PostingDate: today, AccountId: bank, CurrencyAmount: p.amount, VatId: null, Description: `Collected on ${p.caseCode}` },
        ],
      },
    });
    return { ...(await caseValues(c, opened)), bankVoucherId: posted.body.Id };
  },
};

/** The handler of a state, untyped (the verifier passes checked parameters). */
export function handlerFor(
  name: ProviderStateName,
): (ctx: StateContext, params: Record<string, unknown>) => Promise<Record<string, unknown>> {
  return stateHandlers[name] as unknown as (ctx: StateContext, params: Record<string, unknown>) => Promise<Record<string, unknown>>;
}
