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

const FNR_K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const FNR_K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** The fødselsnummer's two MOD11 check digits for its first nine digits, or undefined when none exists. */
export function nationalIdCheckDigits(first9: string): string | undefined {
  const k1 = mod11Check(first9, FNR_K1_WEIGHTS);
  if (k1 === undefined) return undefined;
  const k2 = mod11Check(first9 + String(k1), FNR_K2_WEIGHTS);
  return k2 === undefined ? undefined : `${k1}${k2}`;
}

/**
 * The date of birth a fødselsnummer (or D-number, day + 40; or synthetic test number, month + 40 or + 80) encodes,
 * YYYY-MM-DD; the century comes from the individual number (Skatteetaten's ranges).
 */
export function birthDateOfNationalId(value: string): string | undefined {
  if (!/^\d{11}$/.test(value)) return undefined;
  let day = Number(value.slice(0, 2));
  let month = Number(value.slice(2, 4));
  const yy = Number(value.slice(4, 6));
  const individual = Number(value.slice(6, 9));
  if (day > 40) day -= 40; // D-number
  if (month > 80)
    month -= 80; // synthetic (Tenor test data)
  else if (month > 40) month -= 40; // H-number (test/help numbers)
  let century: number | undefined;
  if (individual <= 499) century = 1900;
  else if (individual <= 749 && yy >= 54) century = 1800;
  else if (yy <= 39) century = 2000;
  else if (individual >= 900) century = 1900;
  if (century === undefined) return undefined;
  const year = century + yy;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Fødselsnummer / D-number: 11 digits, a real date of birth, both MOD11 check digits (K1 and K2). */
export function nationalIdNumberProblem(value: string): string | undefined {
  if (!/^\d{11}$/.test(value)) return 'must be 11 digits';
  const checks = nationalIdCheckDigits(value.slice(0, 9));
  if (checks === undefined || checks[0] !== value[9]) return 'fails the first MOD11 check digit (K1)';
  if (checks[1] !== value[10]) return 'fails the second MOD11 check digit (K2)';
  if (!birthDateOfNationalId(value)) return 'does not encode a valid date of birth';
  return undefined;
}
