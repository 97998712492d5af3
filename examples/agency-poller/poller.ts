/**
 * A small debt-collection agency integration, written only against the public SDK: the same code runs against
 * PowerOffice Go, a started sandbox, or the sandbox in msw mode. One `poll()` does what an agency's scheduled job
 * does: take new approved invoices into cases, watch what the debtor paid directly, and settle what the agency
 * itself collected. What the server already knows is read back from it; the poller keeps only a high-water mark and
 * its own collection log (`state`), which is what an agency would persist between runs.
 */
import {
  ApiError,
  type AgencyClient,
  type CustomerDto,
  type DebtCollectionCase,
  type DebtCollectionInvoice,
  type DebtCollectionInvoiceMatch,
} from '../../sdk/index.js';

/** Money the agency collected from a debtor, to be paid out to the client. */
export interface Collection {
  /** `<prefix>-P-<paymentId>`: the voucher's ExternalImportReference, stable across resends and restarts. */
  reference: string;
  invoiceId: string;
  amount: number;
  /** The day the agency received the money (YYYY-MM-DD): the voucher date. */
  date: string;
  /** pending until the client's ledger has it; refused ones need a person (e.g. the invoice was written off). */
  status: 'pending' | 'booked' | 'refused';
}

export interface PollerState {
  /** Newest `lastChanged` seen on a matched item (server time), or null before the first match. */
  watermark: string | null;
  collections: Collection[];
}

export interface PollerOptions {
  /** Case numbers are `<prefix>-<customerCode>-<n>`. */
  casePrefix?: string;
  caseUrl?: (code: string) => string;
  /** The agency's fee per settlement, net of VAT (NOK); it goes to the voucher reception with 25 % input VAT. */
  feePerSettlement?: number;
  /** How far behind the watermark each poll starts reading again (ms). */
  overlapMs?: number;
  /** A saved `poller.state` (a restarted poller picks up where the saved one was). */
  state?: PollerState;
}

export interface PollReport {
  active: boolean;
  opened: Array<{ code: string; invoiceNos: number[] }>;
  extended: Array<{ code: string; invoiceNos: number[] }>;
  skipped: Array<{ customerCode: number; invoiceNos: number[]; missing: string[] }>;
  settlements: Array<{ reference: string; invoiceNo: number; amount: number; outcome: Outcome; costs?: Outcome; detail?: string }>;
  statusUpdates: Array<{ code: string; statusText: string; balance: number; closed: boolean }>;
  ignoredWriteOffs: Array<{ code: string; invoiceNo: number; amount: number }>;
}

// Amounts are NOK with two decimals; sum in øre so 0.1 + 0.2 never shows up in a balance.
const ore = (nok: number) => Math.round(nok * 100);
const nok = (ore: number) => ore / 100;
// Enums come as names by default, as numbers when the client is set so (vendor-v1-debtcollection.md).
const isActiveCase = (c: DebtCollectionCase) => c.status === 'Active' || c.status === 0;
const isCreditNote = (m: DebtCollectionInvoiceMatch) => m.voucherType === 'OutgoingCreditNote' || m.voucherType === 5;
type Outcome = 'posted' | 'duplicate' | 'refused';
const ADDRESS_FIELDS = ['AddressLine1', 'ZipCode', 'City'] as const;

export class AgencyPoller {
  private readonly prefix: string;
  private readonly caseUrl: (code: string) => string;
  private readonly fee: number;
  private readonly overlapMs: number;
  private watermark: string | null;
  private readonly collections: Collection[];
  private accounts: { bank: number; costs: number; inputVat: number } | undefined;

  constructor(
    private readonly agency: AgencyClient,
    options: PollerOptions = {},
  ) {
    this.prefix = options.casePrefix ?? 'KR';
    this.caseUrl = options.caseUrl ?? ((code) => `https://agency.example/cases/${code}`);
    this.fee = options.feePerSettlement ?? 150;
    this.overlapMs = options.overlapMs ?? 10 * 60_000;
    this.watermark = options.state?.watermark ?? null;
    this.collections = structuredClone(options.state?.collections ?? []);
  }

  /** What to persist between runs. */
  get state(): PollerState {
    return structuredClone({ watermark: this.watermark, collections: this.collections });
  }

  /**
   * The debtor paid the agency: remember it; the next poll pays it out to the client. Pass the agency's own payment
   * id: the default (a counter) is only stable as long as `state` is kept.
   */
  collect(invoiceId: string, amount: number, date: string, paymentId = String(this.collections.length + 1)): Collection {
    const collection: Collection = { reference: `${this.prefix}-P-${paymentId}`, invoiceId, amount, date, status: 'pending' };
    this.collections.push(collection);
    return collection;
  }

  async poll(): Promise<PollReport> {
    const report: PollReport = {
      active: false,
      opened: [],
      extended: [],
      skipped: [],
      settlements: [],
      statusUpdates: [],
      ignoredWriteOffs: [],
    };
    // "May create new cases" only governs new invoices; existing cases are still watched and settled.
    report.active = await this.agency.debtCollection.isActive();
    if (report.active) await this.pickUp(report);
    // Settle before watching, so this poll already sees its own payouts as matches and can close the case.
    await this.settle(report);
    await this.watch(report);
    return report;
  }

  private async allCases(): Promise<DebtCollectionCase[]> {
    const cases: DebtCollectionCase[] = [];
    for await (const c of this.agency.debtCollection.allCases()) cases.push(c);
    return cases;
  }

  private async customersByCode(codes: number[]): Promise<Map<number, CustomerDto>> {
    if (!codes.length) return new Map();
    const found = await this.agency.v2.customers({ customerNos: [...new Set(codes)].join(',') });
    // Number is nullable in the vendor's DTO; a card without one cannot be asked for by number anyway.
    return new Map(found.flatMap((c) => (c.Number === null ? [] : [[c.Number, c] as const])));
  }

  /** (1) Approved invoices into cases: one case per customer, reusing the customer's active case. */
  private async pickUp(report: PollReport): Promise<void> {
    const byCustomer = new Map<number, DebtCollectionInvoice[]>();
    for await (const inv of this.agency.debtCollection.allAvailableInvoices({ $orderby: 'InvoiceNo' }, 100))
      byCustomer.set(inv.customerCode, [...(byCustomer.get(inv.customerCode) ?? []), inv]);
    if (!byCustomer.size) return;

    // The v1 invoice carries no address; the v2 customer card does. Without one we cannot send a letter, so the
    // invoices stay approved (Go flags them as an obstacle after 2 h) and we report them instead.
    const customers = await this.customersByCode([...byCustomer.keys()]);
    const cases = await this.allCases();
    for (const [code, invoices] of byCustomer) {
      const ids = invoices.map((i) => i.id);
      const invoiceNos = invoices.map((i) => i.invoiceNo);
      const address = customers.get(code)?.MailAddress;
      const missing = ADDRESS_FIELDS.filter((f) => !address?.[f]?.trim());
      if (missing.length) {
        report.skipped.push({ customerCode: code, invoiceNos, missing });
        continue;
      }
      const own = cases.filter((c) => c.code.startsWith(`${this.prefix}-${code}-`));
      const open = own.find((c) => isActiveCase(c) && c.invoices[0]?.customerCode === code);
      const added = invoices.reduce((sum, i) => sum + ore(i.remainingAmount), 0);
      if (open) {
        // AddInvoicesToCase takes no balance: report the new one, so balanceAgency stays what we hold.
        const kase = await this.agency.debtCollection.addInvoicesToCase(open.id, ids);
        const balance = nok(ore(open.balanceAgency ?? 0) + added);
        const statusText = `Invoice ${invoiceNos.join(', ')} added to the case`;
        await this.agency.debtCollection.updateStatus({ caseId: kase.id, statusText, updatedBalanceAgency: balance });
        report.extended.push({ code: kase.code, invoiceNos });
        report.statusUpdates.push({ code: kase.code, statusText, balance, closed: false });
      } else {
        const caseNo = `${this.prefix}-${code}-${own.length + 1}`;
        await this.agency.debtCollection.createCase({
          code: caseNo,
          invoices: ids,
          externalCaseUrl: this.caseUrl(caseNo),
          balanceAgency: nok(added),
        });
        report.opened.push({ code: caseNo, invoiceNos });
      }
    }
  }

  /** Account ids the vouchers post to; looked up once (they are ids, not account numbers). */
  private async ledgerAccounts(): Promise<{ bank: number; costs: number; inputVat: number }> {
    if (this.accounts) return this.accounts;
    const gl = await this.agency.v2.generalLedgerAccounts({ accountNos: '1920,7770' });
    const vat = await this.agency.v2.vatCodes();
    const id = (no: number) => gl.find((a) => a.AccountNo === no)?.Id ?? fail(`general ledger account ${no} is missing`);
    this.accounts = { bank: id(1920), costs: id(7770), inputVat: vat.find((v) => v.Code === '1')?.Id ?? fail('VAT code 1 is missing') };
    return this.accounts;
  }

  /** (3) Pay out what the agency collected: a bank journal per collection, and its cost to the voucher reception. */
  private async settle(report: PollReport): Promise<void> {
    const pending = this.collections.filter((c) => c.status === 'pending');
    if (!pending.length) return;
    const invoices = new Map((await this.allCases()).flatMap((c) => c.invoices.map((i) => [i.id, i] as const)));
    const customers = await this.customersByCode([...invoices.values()].map((i) => i.customerCode));
    const accounts = await this.ledgerAccounts();
    for (const col of pending) {
      const invoice = invoices.get(col.invoiceId);
      const customer = invoice && customers.get(invoice.customerCode);
      if (!invoice || !customer) {
        col.status = 'refused';
        report.settlements.push({
          reference: col.reference,
          invoiceNo: invoice?.invoiceNo ?? 0,
          amount: col.amount,
          outcome: 'refused',
          detail: 'not an invoice in our cases',
        });
        continue;
      }
      const gross = nok(Math.round(ore(this.fee) * 1.25));
      const outcome = await once(() =>
        this.agency.v2.postBankJournal({
          VoucherDate: col.date,
          CurrencyCode: 'NOK',
          Description: `Settlement ${col.reference}, invoice ${invoice.invoiceNo}`,
          // The duplicate check: a resend after a lost answer or a restart is refused, never booked twice.
          ExternalImportReference: col.reference,
          VoucherLines: [
            {
              PostingDate: col.date,
              AccountId: customer.SubledgerAccountId,
              CurrencyAmount: -col.amount,
              InvoiceNo: String(invoice.invoiceNo),
              VatId: null,
              Description: `Collected on invoice ${invoice.invoiceNo}`,
            },
            {
              PostingDate: col.date,
              AccountId: accounts.bank,
              CurrencyAmount: col.amount,
              VatId: null,
              Description: `Payout from the agency`,
            },
          ],
        }),
      );
      let costs: Outcome | undefined;
      // Costs only with a settlement this run posted: a draft has no duplicate check at the vendor, so a resend of
      // the settlement (answered as a duplicate) must not send its costs again.
      if (outcome.result === 'posted') {
        // Costs are a booking suggestion the client approves, not a posting (domain.md, "Settlement").
        ({ result: costs } = await once(() =>
          this.agency.v2.postManualJournal({
            VoucherDate: col.date,
            CurrencyCode: 'NOK',
            Description: `Collection costs ${col.reference}`,
            ManualVoucherLines: [
              {
                DebitAccountId: accounts.costs,
                DebitVatId: accounts.inputVat,
                CreditAccountId: accounts.bank,
                CurrencyAmount: gross,
                Description: `Agency fee, invoice ${invoice.invoiceNo}`,
              },
            ],
          }),
        ));
      }
      col.status = outcome.result === 'refused' ? 'refused' : 'booked';
      report.settlements.push({
        reference: col.reference,
        invoiceNo: invoice.invoiceNo,
        amount: col.amount,
        outcome: outcome.result,
        ...(costs ? { costs } : {}),
        ...(outcome.detail ? { detail: outcome.detail } : {}),
      });
    }
  }

  /** (2) What changed on our invoices since the last poll: report paid invoices, close settled cases. */
  private async watch(report: PollReport): Promise<void> {
    // "Changed after" is compared with the server's clock, and two changes can share an instant: re-read a margin
    // behind the mark. Re-reading is harmless, because a case is only updated when its balance actually changes.
    const from = this.watermark ? new Date(Date.parse(this.watermark) - this.overlapMs).toISOString() : '2000-01-01T00:00:00Z';
    const previous = this.watermark;
    const changed = (await this.agency.debtCollection.allMatchedItems(from)).data;
    // An entry names no invoice; its matches carry the invoice's KID (cid), which is how we find our invoice.
    const byCid = new Map<string, DebtCollectionInvoiceMatch[]>();
    for (const { matchedItems } of changed) {
      const cid = matchedItems[0]?.cid;
      if (cid) byCid.set(cid, matchedItems);
      for (const m of matchedItems) if (after(m.lastChanged, this.watermark)) this.watermark = m.lastChanged;
    }
    if (!byCid.size) return;

    for (const kase of (await this.allCases()).filter(isActiveCase)) {
      if (!kase.invoices.some((i) => i.cid && byCid.has(i.cid))) continue;
      let outstanding = 0;
      const paidNow: string[] = [];
      for (const inv of kase.invoices) {
        const matches = (inv.cid && byCid.get(inv.cid)) || (await this.agency.debtCollection.matchedItems(inv.id)).data;
        // A write-off is the client's bookkeeping, not a settlement: the debtor still owes us, we keep collecting.
        const paid = matches.filter((m) => !m.isWriteOff).reduce((sum, m) => sum - ore(m.amount), 0);
        outstanding += Math.max(0, ore(inv.originalAmount) - paid);
        const fresh = matches.filter((m) => after(m.lastChanged, previous));
        for (const m of fresh.filter((m) => m.isWriteOff))
          report.ignoredWriteOffs.push({ code: kase.code, invoiceNo: inv.invoiceNo, amount: -m.amount });
        const last = fresh.filter((m) => !m.isWriteOff).at(-1);
        if (last && paid >= ore(inv.originalAmount)) paidNow.push(`invoice ${inv.invoiceNo} paid in full (${how(last, this.prefix)})`);
      }
      if (outstanding === ore(kase.balanceAgency ?? 0) && !paidNow.length) continue;
      const closed = outstanding === 0;
      const text = paidNow.length ? paidNow.join('; ') : 'payment received';
      const statusText = closed
        ? `${cap(text)}. All invoices settled: case closed`
        : `${cap(text)}. Balance at agency ${nok(outstanding).toFixed(2)}`;
      await this.agency.debtCollection.updateStatus({
        caseId: kase.id,
        statusText,
        isCaseClosed: closed,
        updatedBalanceAgency: nok(outstanding),
      });
      report.statusUpdates.push({ code: kase.code, statusText, balance: nok(outstanding), closed });
    }
  }
}

/** Who settled the invoice: our own payout (our reference), a credit note, or the debtor paying the client. */
function how(m: DebtCollectionInvoiceMatch, prefix: string): string {
  if (m.externalImportReference?.startsWith(`${prefix}-P-`)) return 'collected by the agency';
  return isCreditNote(m) ? 'credited by the creditor' : 'paid directly to the creditor';
}

/** One POST, never repeated blind: a "Duplicate" answer means an earlier send already got through. */
async function once(post: () => Promise<unknown>): Promise<{ result: Outcome; detail?: string }> {
  try {
    await post();
    return { result: 'posted' };
  } catch (e) {
    // The vendor answers a repeated ExternalImportReference with a 400 naming that field (409 only by sandbox setting).
    if (
      e instanceof ApiError &&
      (e.status === 400 || e.status === 409) &&
      e.problem?.errors?.ExternalImportReference?.some((r) => /already/i.test(r))
    )
      return { result: 'duplicate' };
    if (e instanceof ApiError && e.status < 500 && e.status !== 429 && e.status !== 401)
      return { result: 'refused', detail: ApiError.describe(e.body) };
    throw e; // a transient failure: the collection stays pending and is sent again, with the same reference
  }
}

/** Instants carry the client's UTC offset, which changes with daylight saving: compare them as times, not text. */
const after = (instant: string, mark: string | null) => mark === null || Date.parse(instant) > Date.parse(mark);
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function fail(message: string): never {
  throw new Error(message);
}
