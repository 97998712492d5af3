/** Fidelity rows for how a bank-journal customer line finds its invoice ("the system will try to match"). */
import type { FidelityRow } from '../fidelity.js';

/** The vendor-generated v2 OpenAPI (2025-04), and the v1 type pages of the vendor's own documentation repository. */
const V2_2025 = 'stianwe/PowerOfficeGoV2 api/openapi.yaml (b9bc503, "API v2" APIM export, 2025-04)';
const V1_DOCS =
  'PowerOffice/go-api-documentation openapi/swagger.json and the v1 type pages (OutgoingInvoiceVoucher, AccountTransaction: CustomMatchingReference)';

export const PAYMENT_MATCHING_ROWS: FidelityRow[] = [
  {
    id: 'payment-matching-order',
    area: 'v2',
    vendor:
      'BankVoucherLinePostDto documents three independent ways a customer line is matched: InvoiceNo ("the system will try to match the payment line with the accounting entry of the invoice referenced"), Cid ("entries with the opposite amounts and the same cid will be matched on the sub-ledger account") and CustomMatchingReference ("matched immediately with existing entries in the sub-ledger that have the same CustomMatchingReference and opposite amount"). No order or precedence is documented.',
    source: `${V2_2025} BankVoucherLinePostDto.InvoiceNo, .Cid, .CustomMatchingReference`,
    confidence: 'inferred',
    sandboxDefault:
      "tried in the order the DTO lists the invoice reference first: InvoiceNo, then Cid, then CustomMatchingReference; a reference that names no invoice of the line's customer (unknown, another customer's, or at another amount where amounts must be opposite) lets the next be tried; the first that finds an invoice wins. A line none finds stays unmatched on the customer's ledger",
    setting: 'paymentMatching.fallBack',
    alternative: "false: only the first reference the line gives counts (the sandbox's behaviour before: an InvoiceNo hid the Cid)",
  },
  {
    id: 'payment-matching-overpayment',
    area: 'v2',
    vendor:
      "Nothing documents a refusal of a payment above the invoice's open amount; the responses list no 409. The InvoiceNo line is matched with the invoice's entry; what the payment has beyond the open amount stays open on the customer sub-ledger as a credit (CustomerLedgerEntryDto.Balance of the payment entry).",
    source: `${V2_2025} BankVoucherLinePostDto.InvoiceNo and the POST /Vouchers/BankJournals responses; CustomerLedgerEntryDto.Balance ("the remaining balance")`,
    confidence: 'inferred',
    sandboxDefault:
      'the invoice is matched for its open amount (settled, out of the collection flow) and the payment line stays an open item with Balance = the excess (negative: a credit the customer has), InvoiceNo and MatchId those of the invoice; CustomerBalances and the 1500 balance include it; a payment.unmatched event (reason overpaid) is journaled',
    setting: 'paymentMatching.overpayment',
    alternative: "'refuse': 400 naming VoucherLines[i].CurrencyAmount with a vendor-would-post warning (the sandbox's older behaviour)",
  },
  {
    id: 'payment-matching-cid-amounts',
    area: 'v2',
    vendor:
      'The Cid text says entries "with the opposite amounts and the same cid" are matched; Norwegian KID (OCR) payments are routinely partial, and the sandbox has matched a Cid line whatever its amount since v1 of its bank journals.',
    source: `${V2_2025} BankVoucherLinePostDto.Cid; ${V1_DOCS} (OutgoingInvoiceVoucher.Cid: the invoice's KID)`,
    confidence: 'unverified',
    sandboxDefault:
      "'any': a Cid finds its invoice at any amount (a partial payment lowers the open amount; an overpayment leaves a credit)",
    setting: 'paymentMatching.cidAmounts',
    alternative:
      "'exact': a Cid matches only the opposite of the invoice's open amount; otherwise the line is unmatched (reason amountDiffers) or the next reference is tried",
  },
  {
    id: 'payment-matching-custom-reference',
    area: 'v2',
    vendor:
      'CustomMatchingReference on a line: "entries posted with a CustomMatchingReference will be matched immediately with existing entries in the sub-ledger that have the same CustomMatchingReference and opposite amount (unless existing entries are already matched out)"; OutgoingInvoiceDto and CustomerLedgerEntryDto show the reference an entry was created with ("only … through the API or Import"). v1: "Vouchers with this value can be matched with other entries with same CustomMatchingReference".',
    source: `${V2_2025} BankVoucherLinePostDto/OutgoingInvoiceDto/CustomerLedgerEntryDto.CustomMatchingReference; ${V1_DOCS}`,
    confidence: 'inferred',
    sandboxDefault:
      "'exact': a line's CustomMatchingReference matches the first invoice of the line's customer with that reference whose open amount is the opposite of the line (invoices get one through the control API's customMatchingReference, as an import would); a partially paid invoice is matched at its remaining open amount; an invoice already matched out is skipped. OpenItems, OutgoingInvoices and the bank voucher read-back show CustomMatchingReference; the customMatchingReferences filters apply. Not modelled: a later entry matching an earlier open entry (an invoice posted after a prepayment with the same reference leaves both open)",
    setting: 'paymentMatching.matchingReferenceAmounts',
    alternative: "'any': the reference finds its invoice at any amount, like InvoiceNo (partial payments, overpayment credits)",
  },
];
