/** Norwegian-looking data for json-schema-faker's formats: names, MOD11 organisation numbers, streets, postal places. */
import { completeOrganizationNumber, nationalIdCheckDigits } from '../domain/identifiers.js';

interface Random {
  int(min: number, max: number): number;
  pick<T>(arr: readonly T[]): T;
}

const FIRST = [
  'Nordlys',
  'Fjord',
  'Bjørk',
  'Havbris',
  'Trollstig',
  'Vestland',
  'Solkyst',
  'Granli',
  'Elvebakken',
  'Fjellro',
  'Lyngheim',
  'Sjøbu',
  'Midnatt',
  'Tindeklatt',
  'Kvitsand',
  'Furulund',
  'Hjemmebakst',
  'Polar',
  'Bølgen',
  'Strand',
];
const SECOND = [
  'Bygg',
  'Regnskap',
  'Rør',
  'Elektro',
  'Transport',
  'Catering',
  'Design',
  'Maskin',
  'Handel',
  'Eiendom',
  'Frisør',
  'Auto',
  'Data',
  'Fisk',
  'Blomster',
  'Trening',
  'Snekker',
  'Maling',
  'Rådgivning',
  'Reklame',
];
const FORM = ['AS', 'AS', 'AS', 'ANS', 'DA', 'ENK'];
const STREETS = [
  'Storgata',
  'Kirkegata',
  'Dronningens gate',
  'Kongens gate',
  'Strandveien',
  'Skolegata',
  'Parkveien',
  'Fjordgata',
  'Bryggen',
  'Torggata',
  'Sjøgata',
  'Industriveien',
  'Havnegata',
  'Solveien',
  'Granveien',
];
const PLACES = [
  '0150 Oslo',
  '0558 Oslo',
  '5003 Bergen',
  '7010 Trondheim',
  '4006 Stavanger',
  '9008 Tromsø',
  '3015 Drammen',
  '4608 Kristiansand',
  '1606 Fredrikstad',
  '2317 Hamar',
  '6002 Ålesund',
  '8006 Bodø',
  '3110 Tønsberg',
  '2609 Lillehammer',
  '1530 Moss',
];

const FIRST_NAMES = [
  'Ole',
  'Kari',
  'Nora',
  'Emma',
  'Jakob',
  'Lars',
  'Ingrid',
  'Sofie',
  'Henrik',
  'Marius',
  'Ida',
  'Sindre',
  'Anne',
  'Per',
  'Solveig',
  'Bjørn',
  'Astrid',
  'Magnus',
  'Thea',
  'Eirik',
];
const LAST_NAMES = [
  'Hansen',
  'Johansen',
  'Olsen',
  'Larsen',
  'Andersen',
  'Pedersen',
  'Nilsen',
  'Kristiansen',
  'Jensen',
  'Karlsen',
  'Johnsen',
  'Pettersen',
  'Eriksen',
  'Berg',
  'Haugen',
  'Hagen',
  'Bakken',
  'Solberg',
  'Dahl',
  'Lie',
];

/**
 * A synthetic fødselsnummer (Skatteetaten's test-data convention: month + 80), born 1945-2005, with both MOD11
 * check digits: valid by every check, and no real person's number.
 */
function syntheticNationalId(r: Random): string {
  for (;;) {
    const year = r.int(1945, 2005);
    const month = r.int(1, 12);
    const day = r.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
    // Individual numbers 000-499 are 1900-1999; 500-999 with years 00-39 are 2000-2039.
    const individual = year < 2000 ? r.int(0, 499) : r.int(500, 999);
    const first9 =
      `${String(day).padStart(2, '0')}${String(month + 80)}` +
      `${String(year % 100).padStart(2, '0')}${String(individual).padStart(3, '0')}`;
    const checks = nationalIdCheckDigits(first9);
    if (checks) return first9 + checks;
  }
}

export const NORWEGIAN_FORMATS: Record<string, (r: Random) => string> = {
  'no-company-name': (r) => `${r.pick(FIRST)} ${r.pick(SECOND)} ${r.pick(FORM)}`,
  'no-organization-number': (r) => {
    for (;;) {
      const base = String(r.int(8, 9)) + String(r.int(0, 9_999_999)).padStart(7, '0');
      const full = completeOrganizationNumber(base);
      if (full) return full;
    }
  },
  'no-first-name': (r) => r.pick(FIRST_NAMES),
  'no-last-name': (r) => r.pick(LAST_NAMES),
  'no-national-id-number': syntheticNationalId,
  /** Norwegian mobile numbers start with 4 or 9. */
  'no-mobile': (r) => `+47 ${r.pick(['4', '9'])}${String(r.int(0, 9_999_999)).padStart(7, '0')}`,
  'no-street': (r) => `${r.pick(STREETS)} ${r.int(1, 120)}`,
  'no-postal-place': (r) => r.pick(PLACES),
};
