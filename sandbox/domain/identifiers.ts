/**
 * Norwegian identifiers: organisation number and bank account (MOD11), KID (MOD10/Luhn or MOD11).
 * Each check returns a reason when the value is invalid, so errors can name it.
 */

function mod11Check(digits: string, weights: number[]): number | undefined {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * weights[i]!;
  const rest = sum % 11;
  if (rest === 0) return 0;
  if (rest === 1) return undefined; // no valid check digit exists
  return 11 - rest;
}

const ORG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];
const ACCOUNT_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** Organisasjonsnummer: 9 digits, MOD11 with weights 3,2,7,6,5,4,3,2. */
export function organizationNumberProblem(value: string): string | undefined {
  if (!/^\d{9}$/.test(value)) return 'must be 9 digits';
  const check = mod11Check(value, ORG_WEIGHTS);
  if (check === undefined || check !== Number(value[8])) return 'fails the MOD11 check digit';
  return undefined;
}

/** Kontonummer: 11 digits, MOD11 with weights 5,4,3,2,7,6,5,4,3,2. */
export function bankAccountProblem(value: string): string | undefined {
  if (!/^\d{11}$/.test(value)) return 'must be 11 digits';
  const check = mod11Check(value, ACCOUNT_WEIGHTS);
  if (check === undefined || check !== Number(value[10])) return 'fails the MOD11 check digit';
  return undefined;
}

export function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

function kidMod11CheckDigit(body: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (2 + (i % 6));
  const rest = sum % 11;
  if (rest === 0) return '0';
  if (rest === 1) return '-';
  return String(11 - rest);
}

/** KID: 2-25 digits with a MOD10 (Luhn) or MOD11 check digit ('-' allowed as MOD11's check). */
export function kidProblem(value: string): string | undefined {
  if (!/^\d{1,24}[\d-]$/.test(value) || value.length < 2 || value.length > 25) return 'must be 2 to 25 digits';
  const body = value.slice(0, -1);
  const last = value.slice(-1);
  if (last !== '-' && String(luhnCheckDigit(body)) === last) return undefined;
  if (kidMod11CheckDigit(body) === last) return undefined;
  return 'fails both the MOD10 and the MOD11 check digit';
}

/** A KID for an invoice: the invoice number padded to 8 digits plus a Luhn check digit. */
export function kidForInvoice(invoiceNo: number): string {
  const body = String(invoiceNo).padStart(8, '0');
  return body + String(luhnCheckDigit(body));
}

/** Complete an 8-digit base to a valid organisation number, or undefined if no check digit exists. */
export function completeOrganizationNumber(base8: string): string | undefined {
  const check = mod11Check(base8, ORG_WEIGHTS);
  return check === undefined ? undefined : base8 + String(check);
}
