/**
 * The fidelity ledger: every behaviour the sandbox imitates or chooses about PowerOffice Go, with the vendor's
 * evidence and how sure we are. One machine-readable source: served at GET /_sandbox/fidelity, rendered to
 * contracts/FIDELITY.md by `npm run contracts`, and checked by a test (every client setting has a row; every row
 * has evidence). Add a row whenever you imitate or choose a vendor behaviour.
 */
export type Confidence = 'fact' | 'inferred' | 'unverified';

export interface FidelityRow {
  /** Stable id, kebab-case, e.g. 'v1-business-failure-200'. */
  id: string;
  area: 'hosts' | 'auth' | 'v1' | 'v2' | 'paging' | 'errors' | 'domain' | 'clock';
  /** What the vendor does (or most likely does). */
  vendor: string;
  /** Evidence: repository and path (with commit where known), or page address. */
  source: string;
  confidence: Confidence;
  /** What the sandbox does by default. */
  sandboxDefault: string;
  /** The client setting (dotted path under settings) that changes it, if any. */
  setting?: string;
  /** The other behaviour the setting offers. */
  alternative?: string;
}

import { V2_WIRE_ROWS } from './fidelity/v2-wire.js';
import { SETTINGS_ROWS } from './fidelity/settings.js';

const DOCS = 'PowerOffice/go-api-documentation';

export const FIDELITY: FidelityRow[] = [
  {
    id: 'v1-token-lifetime',
    area: 'auth',
    vendor: 'v1 access tokens live 10 minutes (expires_in 599/600); one stored version of the page says 20 minutes.',
    source: `${DOCS} docs/api/rest/authentication.md (576c15bd says 10 min, 38599920 says 20 min); developer-betatest.poweroffice.net/resources/postman`,
    confidence: 'inferred',
    sandboxDefault: '600 seconds on the client\'s sandbox clock',
    setting: 'v1TokenLifetimeSeconds',
    alternative: '1200 (or any lifetime)',
  },
  // Rows kept in their own files (one per area of work), so parallel additions do not collide here.
  ...V2_WIRE_ROWS,
  ...SETTINGS_ROWS,
];

const MD_CELL = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** contracts/FIDELITY.md: the ledger as a page, one table per area. */
export function fidelityMarkdown(rows: readonly FidelityRow[] = FIDELITY): string {
  const lines = [
    '# Fidelity ledger',
    '',
    'Generated from `contracts/fidelity.ts` by `npm run contracts` (also served at `GET /_sandbox/fidelity`). Every behaviour the',
    "sandbox imitates or chooses about PowerOffice Go: what the vendor does, the evidence, how sure we are (fact: a vendor source",
    'shows it; inferred: a vendor source plus ordinary ASP.NET/APIM behaviour; unverified: no public source), the sandbox\'s default',
    'and the client setting (`PUT /_sandbox/clients/{id}/settings`) that changes it.',
    '',
  ];
  const areas = [...new Set(rows.map((r) => r.area))];
  for (const area of areas) {
    lines.push(`## ${area}`, '', '| id | vendor | evidence | confidence | sandbox default | setting (alternative) |', '|---|---|---|---|---|---|');
    for (const r of rows.filter((x) => x.area === area))
      lines.push(
        `| ${[r.id, r.vendor, r.source, r.confidence, r.sandboxDefault, r.setting ? `\`${r.setting}\`${r.alternative ? `: ${r.alternative}` : ''}` : '']
          .map(MD_CELL)
          .join(' | ')} |`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
