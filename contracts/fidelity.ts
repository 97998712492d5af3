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
  {
    id: 'date-header-sandbox-time',
    area: 'clock',
    vendor: 'The Date header is the server\'s real time (any HTTP server, RFC 9110 section 6.6.1); Go has no sandbox clock.',
    source: 'RFC 9110 6.6.1 (Date); deliberate sandbox deviation so agencies can take a "changed since" cursor from the answers',
    confidence: 'fact',
    sandboxDefault: 'Date on every agency answer is the client\'s sandbox time, also as X-Sandbox-Time (local, with offset); against production both are the real time, so code reading them works unchanged',
  },
];
