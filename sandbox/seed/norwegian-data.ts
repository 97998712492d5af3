/** Norwegian-looking data for json-schema-faker's formats: names, MOD11 organisation numbers, streets, postal places. */
import { completeOrganizationNumber } from '../domain/identifiers.js';

interface Random {
  int(min: number, max: number): number;
  pick<T>(arr: readonly T[]): T;
}

const FIRST = ['Nordlys', 'Fjord', 'Bjørk', 'Havbris', 'Trollstig', 'Vestland', 'Solkyst', 'Granli', 'Elvebakken', 'Fjellro', 'Lyngheim', 'Sjøbu', 'Midnatt', 'Tindeklatt', 'Kvitsand', 'Furulund', 'Hjemmebakst', 'Polar', 'Bølgen', 'Strand'];
const SECOND = ['Bygg', 'Regnskap', 'Rør', 'Elektro', 'Transport', 'Catering', 'Design', 'Maskin', 'Handel', 'Eiendom', 'Frisør', 'Auto', 'Data', 'Fisk', 'Blomster', 'Trening', 'Snekker', 'Maling', 'Rådgivning', 'Reklame'];
const FORM = ['AS', 'AS', 'AS', 'ANS', 'DA', 'ENK'];
const STREETS = ['Storgata', 'Kirkegata', 'Dronningens gate', 'Kongens gate', 'Strandveien', 'Skolegata', 'Parkveien', 'Fjordgata', 'Bryggen', 'Torggata', 'Sjøgata', 'Industriveien', 'Havnegata', 'Solveien', 'Granveien'];
const PLACES = ['0150 Oslo', '0558 Oslo', '5003 Bergen', '7010 Trondheim', '4006 Stavanger', '9008 Tromsø', '3015 Drammen', '4608 Kristiansand', '1606 Fredrikstad', '2317 Hamar', '6002 Ålesund', '8006 Bodø', '3110 Tønsberg', '2609 Lillehammer', '1530 Moss'];

export const NORWEGIAN_FORMATS: Record<string, (r: Random) => string> = {
  'no-company-name': (r) => `${r.pick(FIRST)} ${r.pick(SECOND)} ${r.pick(FORM)}`,
  'no-organization-number': (r) => {
    for (;;) {
      const base = String(r.int(8, 9)) + String(r.int(0, 9_999_999)).padStart(7, '0');
      const full = completeOrganizationNumber(base);
      if (full) return full;
    }
  },
  'no-street': (r) => `${r.pick(STREETS)} ${r.int(1, 120)}`,
  'no-postal-place': (r) => r.pick(PLACES),
};
