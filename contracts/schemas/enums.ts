/** String enums as JSON Schema `enum` (clear errors: "must be one of …") with a TypeScript union type. */
import { Type, type TUnsafe } from '@sinclair/typebox';

export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** v1 enums: names by default (swagger), numbers when the client's enumFormat is 'numbers' (REST pages). */
export function NameOrNumber<const T extends readonly string[]>(names: T, description: string) {
  return Type.Union([StringEnum(names), Type.Integer()], { description });
}

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

export const COLLECTION_STATUS_NUMBERS = { None: 0, Draft: 1, OnHold: 2, Approved: 3, Exported: 4, Rejected: 10 } as const;
export const CASE_STATUS_NUMBERS = { Active: 0, Closed: 10 } as const;
