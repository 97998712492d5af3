/**
 * Domain <-> v2 wire shapes. Vendor casing, ids and formats live only here. v2 references accounts and VAT codes
 * by integer ids, not numbers, so the sandbox derives stable ids: GL account 5_000_000 + account number, a
 * customer's subledger 9_000_000 + customer id, a VAT code 7_000_000 + its (numeric SAF-T) code.
 */
import { reversalOf, voucherById } from '../../domain/ledger.js';
import type { Static } from '@sinclair/typebox';
import type { Customer, Integration, Invoice, ReceptionDraft, Voucher, VoucherLine, VoucherPage, World } from '../../domain/model.js';
import type { LedgerItem } from '../../domain/queries/ledger.js';
import { ledgerLineId } from '../../domain/queries/ledger.js';
import type { NewBankJournal, NewReceptionDraft, SettlementLine } from '../../domain/commands/settlement.js';
import { ACCOUNTS, CHART_OF_ACCOUNTS, VAT_CODES, type Account, type VatCode } from '../../domain/chart-of-accounts.js';
import { oreToNok, splitVat, toOre } from '../../domain/money.js';
import { formatLocalInstant, toMillis } from '../../domain/time.js';
import { reject } from '../../domain/errors.js';
import type {
  BankVoucherDto,
  ClientIntegrationInformationDto,
  CustomerBalanceDto,
  OutgoingInvoiceLineDto,
  BankVoucherPostDto,
  CustomerDto,
  CustomerLedgerEntryDto,
  GeneralLedgerAccountDto,
  ManualJournalEntryVoucherDto,
  ManualJournalEntryVoucherPostDto,
  OutgoingInvoiceDto,
  VatCodeDto,
  VoucherPage as VoucherPageDtoSchema,
} from '../../../contracts/schemas/v2.js';

const GL_ID_BASE = 5_000_000;
const SUBLEDGER_ID_BASE = 9_000_000;
const VAT_ID_BASE = 7_000_000;
/** The only currency the sandbox's ledger books. */
export const CURRENCY = 'NOK';

const nok = oreToNok;
/** A *DateTimeOffset: the vendor's UTC with 7 fractional digits, or (setting v2Wire.timestamps 'local') the client's offset. */
export const at = (world: World, instant: string) =>
  world.settings.v2Wire.timestamps === 'local' ? formatLocalInstant(instant, world.timeZone) : vendorTimestamp(instant);

/** 2026-01-05T07:00:00.0000000+00:00 */
export function vendorTimestamp(instant: string): string {
  const iso = new Date(toMillis(instant)).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}0000+00:00`;
}
/** Generated clients with non-nullable ids send 0 for "not set", so 0 counts as absent. */
const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined && v !== 0;

// ---- ids ---------------------------------------------------------------------------------------------------

export const glAccountId = (accountNo: number) => GL_ID_BASE + accountNo;
export const subledgerAccountId = (customerId: number) => SUBLEDGER_ID_BASE + customerId;
export const vatId = (v: VatCode) => VAT_ID_BASE + Number(v.code);

export function vatIdOfCode(code: string | null | undefined): number | null {
  const v = code ? VAT_CODES.find((x) => x.code === code) : undefined;
  return v ? vatId(v) : null;
}

/** A voucher line's AccountId: the customer's subledger for a customer line, else the GL account. */
function accountIdOf(line: VoucherLine): number {
  return line.account === ACCOUNTS.customerReceivables && line.customerId !== undefined
    ? subledgerAccountId(line.customerId)
    : glAccountId(line.account);
}

/** An AccountId as the domain's account (and customer, for a subledger); undefined when it names neither. */
function accountOf(world: World, accountId: number): { account: number; customerId: number | null } | undefined {
  const customerId = accountId - SUBLEDGER_ID_BASE;
  if (customerId > 0 && world.customers[String(customerId)]) return { account: ACCOUNTS.customerReceivables, customerId };
  const account = CHART_OF_ACCOUNTS.find((a) => glAccountId(a.accountNo) === accountId);
  return account ? { account: account.accountNo, customerId: null } : undefined;
}

function resolveAccount(world: World, accountId: number, field: string) {
  const found = accountOf(world, accountId);
  if (!found)
    throw reject.invalid(
      field,
      `${accountId} is neither a general ledger account Id (GET /v2/GeneralLedgerAccounts) nor a customer's SubledgerAccountId (GET ` +
        `/v2/Customers)`,
    );
  return found;
}

function resolveVat(id: number | null | undefined, field: string): VatCode | undefined {
  if (!given(id)) return undefined;
  const vat = VAT_CODES.find((v) => vatId(v) === id);
  if (!vat) throw reject.invalid(field, `${id} is not a VAT code Id (GET /v2/VatCodes)`);
  return vat;
}

function requireNok(code: string | null | undefined, field: string): void {
  if (code && code.toUpperCase() !== CURRENCY)
    throw reject.invalid(field, `'${code}' is not supported: the sandbox books ${CURRENCY} only`);
}

/** Schema-checked NOK (x-nok) as øre. */

// ---- reads -------------------------------------------------------------------------------------------------

export function customerDto(world: World, c: Customer): Static<typeof CustomerDto> {
  const a = c.mailAddress;
  return {
    Id: c.id,
    Number: c.number,
    Name: c.name,
    IsPerson: c.isPerson,
    FirstName: c.firstName,
    LastName: c.lastName,
    OrganizationNumber: c.organizationNumber,
    // The vendor hides the number unless the integration holds a special privilege.
    NationalIdNumber:
      c.nationalIdNumber === null ? null : world.settings.v2Wire.nationalIdNumber === 'value' ? c.nationalIdNumber : 'hidden',
    DateOfBirth: c.dateOfBirth,
    PhoneNumber: c.phoneNumber,
    EmailAddress: c.emailAddress,
    InvoiceEmailAddress: c.invoiceEmailAddress,
    PaymentReminderEmailAddress: c.paymentReminderEmailAddress,
    ReminderDeliveryType: c.reminderDeliveryType,
    NoticeOfDebtCollectionDeliveryType: c.noticeOfDebtCollectionDeliveryType,
    MailAddress: {
      AddressLine1: a.addressLine1,
      AddressLine2: a.addressLine2,
      ZipCode: a.zipCode,
      City: a.city,
      CountryCode: a.countryCode,
    },
    TransferToDebtCollectionAgency: c.transferToDebtCollectionAgency,
    LastChangedDateTimeOffset: at(world, c.lastChanged),
    CustomerCreatedDateTimeOffset: at(world, c.createdAt),
    SubledgerAccountId: subledgerAccountId(c.id),
    IsActive: true,
    CurrencyCode: CURRENCY,
    LegalName: c.isPerson ? null : c.name,
    ExternalNumber: null,
    ExternalImportReference: null,
    IsArchived: false,
    ContactGroupIds: [],
    // The contact and the customer are one entity in the sandbox, created together.
    ContactCreatedDateTimeOffset: at(world, c.createdAt),
    CustomerSince: formatLocalInstant(c.createdAt, world.timeZone).slice(0, 10),
    SendPaymentReminders: true,
    DoNotAddLatePaymentFees: false,
    DoNotAddLatePaymentInterest: false,
  };
}

/** The due date of a customer-ledger line: the invoice's, or the reminder's own for a reminder charge. */
function dueDateOf(item: LedgerItem): string | null {
  const { voucher, invoice } = item;
  if (!invoice) return null;
  if (voucher.id === invoice.voucherId) return invoice.dueDate;
  return invoice.reminders.find((r) => r.voucherId === voucher.id)?.dueDate ?? null;
}

export function ledgerEntryDto(world: World, item: LedgerItem): Static<typeof CustomerLedgerEntryDto> {
  const { voucher, line, invoice } = item;
  const customer = world.customers[String(line.customerId)]!;
  return {
    Id: item.id,
    Amount: nok(line.amount),
    Balance: nok(item.balance),
    Cid: invoice?.cid ?? null,
    CustomerAccountNo: customer.number,
    CustomerId: customer.id,
    CustomerName: customer.name,
    DueDate: dueDateOf(item),
    InvoiceNo: invoice ? String(invoice.invoiceNo) : null,
    MatchId: item.matchId,
    PostingDate: voucher.date,
    VoucherDate: voucher.date,
    VoucherId: voucher.id,
    VoucherNo: voucher.voucherNo,
    VoucherType: voucher.type,
    IsWriteOff: item.isWriteOff,
    CurrencyAmount: nok(line.amount),
    CurrencyCode: invoice?.currencyCode ?? CURRENCY,
    ExternalImportReference: voucher.externalImportReference,
    CustomMatchingReference: ledgerItemMatchingReference(item),
    CreatedDateTimeOffset: at(world, voucher.postedAt),
    LastChangedDateTimeOffset: at(world, ledgerItemLastChanged(item)),
  };
}

/** A bank-journal line's own matching reference, or the invoice's on the invoice's own line. */
export const ledgerItemMatchingReference = ({ voucher, line, invoice }: LedgerItem): string | null =>
  line.matchingReference ?? (invoice && voucher.id === invoice.voucherId ? (invoice.matchingReference ?? null) : null);

/** The balance is set when the invoice is posted and changes with each match (payment, credit, write-off, reversal). */
export const balanceLastChanged = (inv: Invoice) => inv.balanceLastChanged ?? inv.postedAt;
/** Go sends an invoice it makes when it is posted; an imported invoice was sent by the system it came from. */
export const sentAt = (inv: Invoice): string | null => (inv.imported ? null : inv.postedAt);

/** A customer-ledger line changes when it is posted and again when its invoice changes (a match, a collection step). */
export const ledgerItemLastChanged = (item: LedgerItem) =>
  item.invoice && item.invoice.lastChanged > item.voucher.postedAt ? item.invoice.lastChanged : item.voucher.postedAt;

/** A credit note sits in the match of the invoice it credits. */
function matchIdOf(world: World, inv: Invoice): number | null {
  if (inv.kind === 'invoice') return inv.matches[0]?.matchId ?? null;
  const credited = inv.creditedInvoiceId ? world.invoices[inv.creditedInvoiceId] : undefined;
  return credited?.matches.find((m) => m.voucherId === inv.voucherId)?.matchId ?? null;
}

export function outgoingInvoiceDto(world: World, inv: Invoice): Static<typeof OutgoingInvoiceDto> {
  const customer = world.customers[String(inv.customerId)]!;
  const rate = VAT_CODES.find((v) => v.code === inv.vatCode)?.rateBasisPoints ?? 0;
  const sign = inv.kind === 'creditNote' ? -1 : 1;
  const total = sign * inv.amount;
  const net = sign * splitVat(inv.amount, rate).net;
  return {
    Id: inv.id,
    InvoiceNo: inv.invoiceNo,
    VoucherNo: voucherById(world, inv.voucherId)!.voucherNo,
    VoucherType: inv.kind === 'creditNote' ? 'OutgoingCreditNote' : 'OutgoingInvoice',
    VoucherDate: inv.invoiceDate,
    DueDate: inv.dueDate,
    Balance: nok(inv.kind === 'creditNote' ? 0 : inv.openAmount),
    TotalAmount: nok(total),
    NetAmount: nok(net),
    TotalPostedAmount: nok(total),
    NetPostedAmount: nok(net),
    CurrencyCode: inv.currencyCode,
    Cid: inv.cid,
    CustomerId: customer.id,
    CustomerNo: customer.number,
    MatchId: matchIdOf(world, inv),
    IsReversed: false,
    ExternalImportReference: inv.externalImportReference,
    CustomMatchingReference: inv.matchingReference ?? null,
    CreatedDateTimeOffset: at(world, inv.postedAt),
    LastChangedDateTimeOffset: at(world, inv.lastChanged),
    BalanceLastChangedDateTimeOffset: at(world, balanceLastChanged(inv)),
    SentDateTimeOffset: sentAt(inv) === null ? null : at(world, sentAt(inv)!),
  };
}

export function glAccountDto(a: Account): Static<typeof GeneralLedgerAccountDto> {
  return {
    Id: glAccountId(a.accountNo),
    AccountNo: a.accountNo,
    Name: a.name,
    IsActive: true,
    VatCode: a.vatCode ?? null,
    VatCodeId: vatIdOfCode(a.vatCode),
    CurrencyCode: CURRENCY,
  };
}

export function vatCodeDto(v: VatCode): Static<typeof VatCodeDto> {
  return { Id: vatId(v), Code: v.code, Name: v.name, Rate: v.rateBasisPoints / 10_000, IsActive: true };
}

/**
 * An invoice's lines: the sandbox books one sales line per invoice (net on 3000 with the invoice's VAT code); a
 * credit note's amounts are negative.
 */
export function outgoingInvoiceLineDtos(world: World, inv: Invoice): Array<Static<typeof OutgoingInvoiceLineDto>> {
  const vat = VAT_CODES.find((v) => v.code === inv.vatCode);
  const rate = vat?.rateBasisPoints ?? 0;
  const sign = inv.kind === 'creditNote' ? -1 : 1;
  const split = splitVat(inv.amount, rate);
  const voucher = voucherById(world, inv.voucherId)!;
  return [
    {
      Id: ledgerLineId(voucher, 1),
      SortOrder: 0,
      LineType: 'Normal',
      Description: voucher.description || null,
      AccountId: glAccountId(ACCOUNTS.sales),
      AccountNo: ACCOUNTS.sales,
      Quantity: 1,
      ProductUnitPrice: nok(split.net),
      NetAmount: nok(sign * split.net),
      VatAmount: nok(sign * split.vat),
      TotalAmount: nok(sign * inv.amount),
      NetPostedAmount: nok(sign * split.net),
      TotalPostedAmount: nok(sign * inv.amount),
      VatCode: inv.vatCode ?? null,
      VatId: vatIdOfCode(inv.vatCode),
      VatRate: rate / 10_000,
      ExternalImportReference: null,
    },
  ];
}

/** Customer-ledger balance per customer as of a date (inclusive): every customer line posted on or before it. */
export function customerBalanceDtos(world: World, date: string, onlyOpen: boolean): Array<Static<typeof CustomerBalanceDto>> {
  const sums = new Map<number, number>();
  for (const v of world.vouchers) {
    if (v.date > date) continue;
    for (const l of v.lines)
      if (l.account === ACCOUNTS.customerReceivables && l.customerId !== undefined && l.customerId !== null)
        sums.set(l.customerId, (sums.get(l.customerId) ?? 0) + l.amount);
  }
  return [...sums.entries()]
    .filter(([, balance]) => !onlyOpen || balance !== 0)
    .sort(([a], [b]) => a - b)
    .map(([customerId, balance]) => {
      const c = world.customers[String(customerId)]!;
      return { Balance: nok(balance), CustomerAccountNo: c.number, CustomerExternalNo: null, CustomerId: c.id, CustomerName: c.name };
    });
}

/** The v2 privileges the sandbox's v2 surface uses; the _Full ones need the integration's write right. */
const READ_PRIVILEGES = ['Customer', 'CustomerLedger', 'OutgoingInvoice', 'GeneralLedgerAccount', 'CommonServices'];
const WRITE_PRIVILEGES = ['BankVoucher_Full', 'JournalEntryVoucher_Full'];

export function clientIntegrationInformationDto(world: World, integration: Integration): Static<typeof ClientIntegrationInformationDto> {
  const read = integration.rights.read ? READ_PRIVILEGES : [];
  const write = integration.rights.write ? WRITE_PRIVILEGES : [];
  return {
    ClientId: world.id,
    ClientName: world.name,
    ActiveClientSubscriptions: ['Accounting', 'Invoicing'],
    ValidPrivileges: [...read, ...write],
    InvalidPrivileges: [...READ_PRIVILEGES, ...WRITE_PRIVILEGES].filter((p) => !read.includes(p) && !write.includes(p)),
  };
}

// ---- bank journals -----------------------------------------------------------------------------------------

type BankPost = Static<typeof BankVoucherPostDto>;

export function bankJournalInput(world: World, body: BankPost): NewBankJournal {
  requireNok(body.CurrencyCode, 'CurrencyCode');
  // The vendor's DTO lets a line's AccountId be null; a line needs an account.
  const lines = body.VoucherLines.map((l, i): SettlementLine => {
    const field = (f: string) => `VoucherLines[${i}].${f}`;
    requireNok(l.CurrencyCode, field('CurrencyCode'));
    if (l.AccountId === null) throw reject.invalid(field('AccountId'), 'is required: a line is posted to an account (null names none)');
    const vat = resolveVat(l.VatId, field('VatId'));
    // A bank journal books gross amounts; VAT is split only on manual journals (the voucher reception).
    if (vat && vat.rateBasisPoints > 0)
      throw reject.invalid(
        field('VatId'),
        `is VAT code ${vat.code} (${vat.rateBasisPoints / 100} %), which the sandbox does not split on a bank journal; post costs ` +
          `with VAT as a manual journal (JournalEntryVouchers/ManualJournals)`,
      );
    const account = resolveAccount(world, l.AccountId, field('AccountId'));
    if (account.account === ACCOUNTS.customerReceivables && account.customerId === null)
      throw reject.invalid(
        field('AccountId'),
        "is the customer receivables account 1500; post to the customer's subledger account (SubledgerAccountId) instead",
      );
    return {
      ...account,
      amount: toOre(l.CurrencyAmount, field('CurrencyAmount')),
      invoiceNo: l.InvoiceNo ?? null,
      cid: l.Cid ?? null,
      matchingReference: l.CustomMatchingReference ?? null,
      vatCode: vat?.code ?? null,
      description: l.Description ?? null,
    };
  });
  return {
    date: body.VoucherDate,
    ...(body.Description ? { description: body.Description } : {}),
    externalImportReference: body.ExternalImportReference || null,
    importedVoucherNo: given(body.ImportedVoucherNo) ? String(body.ImportedVoucherNo) : null,
    lines,
  };
}

const importedNo = (v: string | null) => (v !== null && /^\d+$/.test(v) ? Number(v) : null);

/**
 * The posted voucher; its lines are the request's lines in order (the bank journal maps them one to one). Read back
 * later (no body) a line's PostingDate is the voucher date and InvoiceNo/Cid those of the matched invoice.
 */
export function bankVoucherDto(world: World, voucher: Voucher, body?: BankPost): Static<typeof BankVoucherDto> {
  return {
    Id: voucher.id,
    VoucherNo: voucher.voucherNo,
    VoucherDate: voucher.date,
    CurrencyCode: CURRENCY,
    Description: voucher.description,
    ExternalImportReference: voucher.externalImportReference,
    ImportedVoucherNo: importedNo(voucher.importedVoucherNo),
    IsReversed: reversalOf(world, voucher.id) !== null,
    CreatedDateTimeOffset: at(world, voucher.postedAt),
    VoucherLines: voucher.lines.map((line, i) => {
      const sent = body?.VoucherLines[i];
      const invoice = line.invoiceId ? world.invoices[line.invoiceId] : undefined;
      return {
        Id: ledgerLineId(voucher, i),
        PostingDate: sent?.PostingDate ?? voucher.date,
        AccountId: accountIdOf(line),
        CurrencyAmount: nok(line.amount),
        CurrencyCode: CURRENCY,
        InvoiceNo: invoice ? String(invoice.invoiceNo) : (sent?.InvoiceNo ?? line.statedInvoiceNo ?? null),
        Cid: invoice ? invoice.cid : (sent?.Cid ?? line.cid ?? null),
        CustomMatchingReference: line.matchingReference ?? sent?.CustomMatchingReference ?? null,
        VatId: vatIdOfCode(line.vatCode),
        Description: line.description ?? null,
        CreatedDateTimeOffset: at(world, voucher.postedAt),
      };
    }),
  };
}

// ---- manual journals ---------------------------------------------------------------------------------------

/** The draft body; ExternalImportReference/ImportedVoucherNo arrive only when the client's setting accepts them. */
type ManualPost = Static<typeof ManualJournalEntryVoucherPostDto> & {
  ExternalImportReference?: string | null;
  ImportedVoucherNo?: number | null;
};

/** A domain path renamer: each name in `names` becomes its wire name ('lines[2].amount' -> 'VoucherLines[2].CurrencyAmount'). */
function wirePath(names: Record<string, string>): (path: string) => string {
  const map = new Map(Object.entries(names));
  return (path) => path.replace(/[A-Za-z]+/g, (name) => map.get(name) ?? name);
}

const IMPORT_REFERENCES = { externalImportReference: 'ExternalImportReference', importedVoucherNo: 'ImportedVoucherNo' };

/** What a bank journal's wire calls the fields the domain's errors name. */
export const bankJournalField = wirePath({
  ...IMPORT_REFERENCES,
  lines: 'VoucherLines',
  amount: 'CurrencyAmount',
  account: 'AccountId',
  customerId: 'AccountId',
});

/** What a manual journal's wire calls the fields the domain's errors name: a domain line is one side of a wire line. */
export function manualJournalField(body: ManualPost): (path: string) => string {
  const sides = body.ManualVoucherLines.flatMap((l, i) =>
    (['Debit', 'Credit'] as const)
      .filter((side) => given(l[`${side}AccountId`]))
      .map((side) => `ManualVoucherLines[${i}].${side}AccountId`),
  );
  const rest = wirePath({ ...IMPORT_REFERENCES, lines: 'ManualVoucherLines' });
  return (path) => {
    const line = /^lines\[(\d+)\]$/.exec(path);
    return line ? (sides[Number(line[1])] ?? path) : rest(path);
  };
}

/** Each wire line is a debit/credit pair: a debit line (+amount) and a credit line (-amount), either may be absent. */
export function manualJournalInput(world: World, body: ManualPost): NewReceptionDraft {
  const references = world.settings.v2Wire.manualJournalImportReferences;
  requireNok(body.CurrencyCode, 'CurrencyCode');
  // Nullable in the vendor's DTO; a draft still needs a date.
  if (body.VoucherDate === null) throw reject.invalid('VoucherDate', 'is required: the draft is dated (null names no date)');
  const lines = body.ManualVoucherLines.flatMap((l, i): SettlementLine[] => {
    const field = (f: string) => `ManualVoucherLines[${i}].${f}`;
    requireNok(l.CurrencyCode, field('CurrencyCode'));
    const hasDebit = given(l.DebitAccountId);
    const hasCredit = given(l.CreditAccountId);
    if (!hasDebit && !hasCredit) throw reject.invalid(field('DebitAccountId'), 'or CreditAccountId is required');
    if (!hasDebit && given(l.DebitVatId)) throw reject.invalid(field('DebitVatId'), 'needs a DebitAccountId');
    if (!hasCredit && given(l.CreditVatId)) throw reject.invalid(field('CreditVatId'), 'needs a CreditAccountId');
    const amount = toOre(l.CurrencyAmount, field('CurrencyAmount'));
    const side = (accountId: number, vatIdIn: number | null | undefined, sign: 1 | -1, name: 'Debit' | 'Credit'): SettlementLine => ({
      ...resolveAccount(world, accountId, field(`${name}AccountId`)),
      amount: sign * amount,
      vatCode: resolveVat(vatIdIn, field(`${name}VatId`))?.code ?? null,
      description: l.Description ?? null,
    });
    return [
      ...(hasDebit ? [side(l.DebitAccountId!, l.DebitVatId, 1, 'Debit')] : []),
      ...(hasCredit ? [side(l.CreditAccountId!, l.CreditVatId, -1, 'Credit')] : []),
    ];
  });
  const description = body.Description || body.Comment;
  return {
    date: body.VoucherDate,
    ...(description ? { description } : {}),
    externalImportReference: (references && body.ExternalImportReference) || null,
    importedVoucherNo: references && given(body.ImportedVoucherNo) ? String(body.ImportedVoucherNo) : null,
    lines,
  };
}

/**
 * The draft as the agency sees it: its lines as sent (the reception keeps debit and credit as separate lines). The
 * import references appear only when the client's setting accepts them on drafts.
 */
export function manualJournalDto(world: World, draft: ReceptionDraft, body: ManualPost): Static<typeof ManualJournalEntryVoucherDto> {
  const created = at(world, draft.submittedAt);
  return {
    ...draftHeaderDto(world, draft),
    ManualVoucherLines: body.ManualVoucherLines.map((l, i) => ({
      Id: i + 1,
      DebitAccountId: given(l.DebitAccountId) ? l.DebitAccountId : null,
      CreditAccountId: given(l.CreditAccountId) ? l.CreditAccountId : null,
      DebitVatId: given(l.DebitVatId) ? l.DebitVatId : null,
      CreditVatId: given(l.CreditVatId) ? l.CreditVatId : null,
      CurrencyAmount: l.CurrencyAmount,
      CurrencyCode: CURRENCY,
      Description: l.Description ?? null,
      PostingDate: l.PostingDate ?? draft.date,
      CreatedDateTimeOffset: created,
      LastChangedDateTimeOffset: created,
    })),
    Pages: (draft.pages ?? []).map((p) => voucherPageDto(world, draft, p)),
  };
}

/** The draft's own fields, the same on the POST's answer and the read-back; import references only under the setting. */
export function draftHeaderDto(world: World, draft: ReceptionDraft) {
  return {
    Id: draft.id,
    VoucherDate: draft.date,
    CurrencyCode: CURRENCY,
    Description: draft.description,
    ...(world.settings.v2Wire.manualJournalImportReferences
      ? { ExternalImportReference: draft.externalImportReference, ImportedVoucherNo: importedNo(draft.importedVoucherNo) }
      : {}),
  };
}

export function voucherPageDto(world: World, draft: ReceptionDraft, page: VoucherPage): Static<typeof VoucherPageDtoSchema> {
  return { Id: page.id, VoucherId: draft.id, CreatedDateTimeOffset: at(world, page.addedAt) };
}
