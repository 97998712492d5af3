/** The accounts (NS 4102) and VAT codes the sandbox posts to and the v2 API lists. */

export interface Account {
  accountNo: number;
  name: string;
  vatCode?: string;
}

export const ACCOUNTS = {
  customerReceivables: 1500, // kundefordringer: the customer ledger (reskontro) lives here
  bank: 1920,
  outputVat: 2700,
  sales: 3000,
  otherOperatingIncome: 3900, // reminder fees
  collectionCosts: 7770,
  lossOnReceivables: 7830,
  interestIncome: 8050,
} as const;

export const CHART_OF_ACCOUNTS: readonly Account[] = [
  { accountNo: 1500, name: 'Kundefordringer' },
  { accountNo: 1920, name: 'Bankinnskudd' },
  { accountNo: 2700, name: 'Utgående merverdiavgift' },
  { accountNo: 2710, name: 'Inngående merverdiavgift' },
  { accountNo: 3000, name: 'Salgsinntekt, avgiftspliktig', vatCode: '3' },
  { accountNo: 3900, name: 'Annen driftsrelatert inntekt' },
  { accountNo: 7770, name: 'Bank- og inkassokostnader' },
  { accountNo: 7830, name: 'Tap på fordringer' },
  { accountNo: 8050, name: 'Annen renteinntekt' },
];

export interface VatCode {
  code: string;
  name: string;
  /** Rate in basis points: 2500 = 25 %. */
  rateBasisPoints: number;
  direction: 'output' | 'input' | 'none';
}

export const VAT_CODES: readonly VatCode[] = [
  { code: '0', name: 'Ingen mva-behandling', rateBasisPoints: 0, direction: 'none' },
  { code: '1', name: 'Inngående mva, høy sats', rateBasisPoints: 2500, direction: 'input' },
  { code: '3', name: 'Utgående mva, høy sats', rateBasisPoints: 2500, direction: 'output' },
  { code: '31', name: 'Utgående mva, middels sats', rateBasisPoints: 1500, direction: 'output' },
  { code: '33', name: 'Utgående mva, lav sats', rateBasisPoints: 1200, direction: 'output' },
  { code: '5', name: 'Innenlands omsetning, fritatt', rateBasisPoints: 0, direction: 'output' },
];

const ACCOUNT_NUMBERS = new Set(CHART_OF_ACCOUNTS.map((a) => a.accountNo));

export function accountExists(accountNo: number): boolean {
  return ACCOUNT_NUMBERS.has(accountNo);
}

export function vatCode(code: string): VatCode | undefined {
  return VAT_CODES.find((v) => v.code === code);
}
