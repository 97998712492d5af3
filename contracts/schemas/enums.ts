/** String enums as JSON Schema `enum` (clear errors: "must be one of …") with a TypeScript union type. */
import { Type, type TUnsafe } from '@sinclair/typebox';

export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/**
 * v1 enums: integers by default (the vendor's REST type pages, "number (Enum)", and its newest swagger, GoApi
 * 3.0.1.0), the member names when the client's enumFormat is 'names' (the older swagger 3.0.0.0). Both are
 * declared, numbers first, each with exactly the values the table allows.
 */
export function NameOrNumber<const T extends Record<string, number>>(table: T, description: string) {
  const names = Object.keys(table) as Array<keyof T & string>;
  const numbers = Object.values(table);
  return Type.Union([Type.Unsafe<T[keyof T]>({ type: 'integer', enum: numbers }), StringEnum(names)], {
    description:
      `${description}: ${names.map((n) => `${n} = ${table[n]}`).join(', ')}` + `. A number unless the client's enumFormat is 'names'`,
  });
}

/**
 * GoApi.Common.VoucherType: the members the sandbox produces, with the vendor's numbers
 * (PowerOffice/go-api-documentation docs/api/reference/rest/type_vouchertype.md).
 */
export const VOUCHER_TYPE_NUMBERS = {
  OutgoingInvoice: 4,
  OutgoingCreditNote: 5,
  IncomingOcrGiro: 9,
  ManualJournal: 11,
  BankJournal: 19,
  OutgoingPaymentReminder: 71,
  OutgoingNoticeOfDebtCollection: 72,
  OutgoingPaymentDemand: 73,
  ReversalVoucher: 99,
} as const;
export const VOUCHER_TYPES = Object.keys(VOUCHER_TYPE_NUMBERS) as Array<keyof typeof VOUCHER_TYPE_NUMBERS>;

/** GoApi.Invoices.DebtCollectionStatus (type_debtcollectionstatus.md) and DebtCollectionCaseStatus (type_debtcollectioncasestatus.md). */
export const COLLECTION_STATUS_NUMBERS = { None: 0, Draft: 1, OnHold: 2, Approved: 3, Exported: 4, Rejected: 10 } as const;
export const CASE_STATUS_NUMBERS = { Active: 0, Closed: 10 } as const;
