/** Fidelity rows for how a bank-journal customer line finds its invoice ("the system will try to match"). */
import type { FidelityRow } from '../fidelity.js';
import { V2_2025 } from './sources.js';

/** The vendor-generated v2 OpenAPI (2025-04), and the v1 type pages of the vendor's own documentation repository. */
const V1_DOCS =
  'PowerOffice/go-api-documentation openapi/swagger.json and the v1 type pages (OutgoingInvoiceVoucher, AccountTransaction: ' +
  'CustomMatchingReference)';

export const PAYMENT_MATCHING_ROWS: FidelityRow[] = [
  {
    id: 'payment-matching-order',
    area: 'v2',
    vendor:
      'BankVoucherLinePostDto documents three independent ways a customer line is matched: InvoiceNo ("the system will try to match ' +
      'the payment line with the accounting entry of the invoice referenced"), Cid ("entries with the opposite amounts and the same ' +
      'cid will be matched on the sub-ledger account") and CustomMatchingReference ("matched immediately with existing entries in the ' +
      'sub-ledger that have the same CustomMatchingReference and opposite amount"). No order or precedence is documented.',
    source: `${V2_2025} BankVoucherLinePostDto.InvoiceNo, .Cid, .CustomMatchingReference`,
    confidence: 'inferred',
    sandboxDefault:
      'tried in the order the DTO lists the invoice reference first: InvoiceNo, then Cid, then CustomMatchingReference; a reference ' +
      "that names no invoice of the line's customer (unknown, another customer's, or at another amount where amounts must be " +
      "opposite) lets the next be tried; the first that finds an invoice wins. A line none finds stays unmatched on the customer's " +
      'ledger',
    setting: 'paymentMatching.fallBack',
    alternative: "false: only the first reference the line gives counts (the sandbox's behaviour before: an InvoiceNo hid the Cid)",
  },
  {
    id: 'payment-matching-overpayment',
    area: 'v2',
    vendor:
      "Nothing documents a refusal of a payment above the invoice's open amount; the responses list no 409. The InvoiceNo line is " +
      "matched with the invoice's entry; what the payment has beyond the open amount stays open on the customer sub-ledger as a " +
      'credit (CustomerLedgerEntryDto.Balance of the payment entry).',
    source:
      `${V2_2025} BankVoucherLinePostDto.InvoiceNo and the POST /Vouchers/BankJournals responses; CustomerLedgerEntryDto.Balance ("the ` +
      `remaining balance")`,
    confidence: 'inferred',
    sandboxDefault:
      `the invoice is matched for its open amount (settled, out of the collection flow) and the payment line stays an open item with ` +
      `Balance = the excess (negative: a credit the customer has), InvoiceNo and MatchId those of the invoice; CustomerBalances and ` +
      `the 1500 balance include it; a payment.unmatched event (reason overpaid) is journaled. The control API's direct payments (POST ` +
      `/_sandbox/clients/{id}/payments: a bank or OCR payment the ERP user posts) do the same: the excess stays on the payment line ` +
      `of the (last) invoice it names, also when that invoice is already settled or written off`,
    setting: 'paymentMatching.overpayment',
    alternative:
      "'refuse': 400 naming VoucherLines[i].CurrencyAmount with a vendor-would-post warning (the sandbox's older behaviour); the " +
      "control API's payments: 409 naming lines[i].amount, with a hint to reverse a write-off first",
  },
  {
    id: 'payment-matching-cid-amounts',
    area: 'v2',
    vendor:
      'The Cid text says entries "with the opposite amounts and the same cid" are matched; Norwegian KID (OCR) payments are routinely ' +
      'partial, and the sandbox has matched a Cid line whatever its amount since v1 of its bank journals.',
    source: `${V2_2025} BankVoucherLinePostDto.Cid; ${V1_DOCS} (OutgoingInvoiceVoucher.Cid: the invoice's KID)`,
    confidence: 'unverified',
    sandboxDefault:
      "'any': a Cid finds its invoice at any amount (a partial payment lowers the open amount; an overpayment leaves a credit)",
    setting: 'paymentMatching.cidAmounts',
    alternative:
      "'exact': a Cid matches only the opposite of the invoice's open amount; otherwise the line is unmatched (reason amountDiffers) " +
      'or the next reference is tried',
  },
  {
    id: 'payment-matching-custom-reference',
    area: 'v2',
    vendor:
      'CustomMatchingReference on a line: "entries posted with a CustomMatchingReference will be matched immediately with existing ' +
      'entries in the sub-ledger that have the same CustomMatchingReference and opposite amount (unless existing entries are already ' +
      'matched out)"; OutgoingInvoiceDto and CustomerLedgerEntryDto show the reference an entry was created with ("only … through the ' +
      'API or Import"). v1: "Vouchers with this value can be matched with other entries with same CustomMatchingReference".',
    source: `${V2_2025} BankVoucherLinePostDto/OutgoingInvoiceDto/CustomerLedgerEntryDto.CustomMatchingReference; ${V1_DOCS}`,
    confidence: 'inferred',
    sandboxDefault:
      "'exact': a line's CustomMatchingReference matches the first invoice of the line's customer with that reference whose open " +
      "amount is the opposite of the line (invoices get one through the control API's customMatchingReference, as an import would); a " +
      'partially paid invoice is matched at its remaining open amount; an invoice already matched out is skipped. OpenItems, ' +
      'OutgoingInvoices and the bank voucher read-back show CustomMatchingReference; the customMatchingReferences filters apply. A ' +
      'later invoice matching an earlier open payment: row payment-matching-later-entry',
    setting: 'paymentMatching.matchingReferenceAmounts',
    alternative: "'any': the reference finds its invoice at any amount, like InvoiceNo (partial payments, overpayment credits)",
  },
  {
    id: 'payment-matching-later-entry',
    area: 'v2',
    vendor:
      'The matching is symmetric in time: "entries posted with a CustomMatchingReference will be matched immediately with existing ' +
      'entries in the sub-ledger that have the same CustomMatchingReference and opposite amount (unless existing entries are already ' +
      'matched out)" is said of the invoice (OutgoingInvoiceDto, "in the customer sub-ledger account") and of the sales order it ' +
      'comes from as much as of the payment line; so an invoice posted after a payment that carried its reference is matched with ' +
      'that payment when it is posted. How Go records the match, and whether a reference can be given to an invoice afterwards, is ' +
      'not documented.',
    source:
      `${V2_2025} OutgoingInvoiceDto.CustomMatchingReference, SalesOrder CustomMatchingReference, ` +
      `CustomerLedgerEntryDto.CustomMatchingReference, BankVoucherLinePostDto.CustomMatchingReference`,
    confidence: 'inferred',
    sandboxDefault:
      'an invoice posted with a CustomMatchingReference (control API customMatchingReference, or given one afterwards with PATCH ' +
      "/_sandbox/clients/{id}/invoices/{invoiceId}, set once) is matched at once with the customer's oldest open credit (a " +
      "bank-journal or OCR customer line left unmatched, or an overpayment's excess, not reversed) with that reference whose open " +
      "part is the opposite of the invoice's open amount. The ledger lines stay as posted: the match is recorded on the invoice (kind " +
      'payment, naming the earlier voucher and line, dated the later of the two entries or the day the reference was set) and closes ' +
      "the line's open part in OpenItems, CustomerBalances, the Statement (Balance 0, the invoice's MatchId and InvoiceNo), " +
      "ledger/check and explain; the invoice's Balance is lowered and it leaves the collection flow when settled; reversing the " +
      "payment's voucher takes the payment off the invoice again. Only credits are matched this way (a later credit line against an " +
      'earlier open debit is not)',
    setting: 'paymentMatching.matchingReferenceAmounts',
    alternative:
      "'any': the invoice takes from its reference's open credits, oldest first, as much as its open amount (a partial credit stays " +
      'open with the rest)',
  },
];
