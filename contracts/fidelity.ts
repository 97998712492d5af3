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
import { V1_WIRE_ROWS } from './fidelity/v1-wire.js';
import { V2_POLLING_ROWS } from './fidelity/v2-polling.js';
import { V2_SURFACE_ROWS } from './fidelity/v2-surface.js';
import { PAYMENT_MATCHING_ROWS } from './fidelity/payment-matching.js';
import { DOCS } from './fidelity/sources.js';

export const FIDELITY: FidelityRow[] = [
  {
    id: 'v1-token-lifetime',
    area: 'auth',
    vendor: 'v1 access tokens live 10 minutes (expires_in 599/600); one stored version of the page says 20 minutes.',
    source:
      `${DOCS} docs/api/rest/authentication.md (576c15bd says 10 min, 38599920 says 20 min); ` +
      `developer-betatest.poweroffice.net/resources/postman`,
    confidence: 'inferred',
    sandboxDefault: "600 seconds on the client's sandbox clock",
    setting: 'v1TokenLifetimeSeconds',
    alternative: '1200 (or any lifetime)',
  },
  {
    id: 'date-header-sandbox-time',
    area: 'clock',
    vendor: "The Date header is the server's real time (any HTTP server, RFC 9110 section 6.6.1); Go has no sandbox clock.",
    source: 'RFC 9110 6.6.1 (Date); deliberate sandbox deviation so agencies can take a "changed since" cursor from the answers',
    confidence: 'fact',
    sandboxDefault:
      "Date on every agency answer is the client's sandbox time, also as X-Sandbox-Time (local, with offset); against production both " +
      'are the real time, so code reading them works unchanged',
  },
  {
    id: 'two-hosts',
    area: 'hosts',
    vendor:
      'v1 lives on https://api.poweroffice.net (demo https://api-demo.poweroffice.net) with its own /OAuth/Token; v2 on ' +
      'https://goapi.poweroffice.net/v2 (demo /Demo/v2) with /OAuth/Token (demo /Demo/OAuth/Token).',
    source:
      `${DOCS} docs/api/rest/urls.md, docs/api/rest/authentication.md, docs/api/common/changelog.md 2.6.0; ` +
      `developer-betatest.poweroffice.net/resources/postman; spysystem/poweroffice-go poweroffice-go.yaml (demo tokenUrl)`,
    confidence: 'fact',
    sandboxDefault:
      'one port, both hosts: path prefixes /api.poweroffice.net, /api-demo.poweroffice.net, /goapi.poweroffice.net[/Demo], or a Host ' +
      'header naming the host; the old unprefixed paths stay as a fallback. Client views list the four URLs (endpoints).',
  },
  {
    id: 'wrong-host-404',
    area: 'hosts',
    vendor:
      'A v2 path on the v1 host (or the reverse) does not exist there: most likely a 404 from that host (ASP.NET on ' +
      'api.poweroffice.net, API Management on goapi).',
    source: 'no public source; inferred from the two hosts (urls.md, postman page) having disjoint routes',
    confidence: 'inferred',
    sandboxDefault: "404 in the addressed host's own error format; the message names the right host and the sandbox URL to use",
  },
  {
    id: 'token-cross-use',
    area: 'auth',
    vendor: 'Unknown whether a v1 token works on v2 or the reverse; each host has its own token endpoint.',
    source:
      'vendor-fidelity.md second reading §1 ("Unknown: whether a v1 token works on v2"); ' +
      'developer-betatest.poweroffice.net/resources/postman',
    confidence: 'unverified',
    sandboxDefault:
      "refused: a v1 token on v2 (and the reverse) is 401 in that API's format, with www-authenticate naming the right token URL (the " +
      'stricter choice; a correct client loses nothing)',
  },
  {
    id: 'v2-token-lifetime',
    area: 'auth',
    vendor: 'v2 access tokens live 20 minutes; no refresh token (client credentials only). One APIM example still shows expires_in 600.',
    source:
      'developer-betatest.poweroffice.net/resources/postman ("10 minutes in v1 and 20 minutes in v2"); anders2606/crm ' +
      'docs/poweroffice-apiv2-demo.json (Offboarding: 20-minute window); pacely-ai/poweroffice-node scripts/auth-endpoint.json',
    confidence: 'fact',
    sandboxDefault: "1200 seconds on the client's sandbox clock, no refresh_token; grant_type=refresh_token is unsupported_grant_type",
    setting: 'tokenLifetimeSeconds',
    alternative: 'any lifetime (e.g. 600 as the APIM example)',
  },
  {
    id: 'v2-token-subscription-key',
    area: 'auth',
    vendor:
      'The v2 token endpoint sits behind Azure API Management: Ocp-Apim-Subscription-Key header (or subscription-key query) required; ' +
      'v1 has no subscription key.',
    source:
      'pacely-ai/poweroffice-node scripts/auth-endpoint.json (securitySchemes); anders2606/crm docs/poweroffice-apiv2-demo.json; ' +
      'smplas/poweroffice-go-mcp src/api/client.ts',
    confidence: 'fact',
    sandboxDefault:
      "v2 token without the key: 401 {statusCode, message} (APIM's body, its wording unverified); v1 token endpoint ignores it. At " +
      'the unprefixed /OAuth/Token the token is for v2 iff a key is sent. The 401 comes before anything behind the gateway ' +
      '(inferred from APIM sitting in front): no client faults or rate limits apply to it, and it needs no storage.',
  },
  {
    id: 'v1-refresh-token',
    area: 'auth',
    vendor:
      'v1 token answers carry a refresh_token ("obsolete and insecure" in the newest swagger, still present); ' +
      'grant_type=refresh_token gives a new token.',
    source:
      `${DOCS} openapi/swagger.json f1f97fe4 (TokenResponseDto.refresh_token); developer-betatest.poweroffice.net/resources/postman; ` +
      `PowerOffice/go-api Documentation/Details (2016); guilty-as/poweroffice src/Services/PowerofficeService.php`,
    confidence: 'inferred',
    sandboxDefault:
      'refresh_token in every v1 answer; each works once (a reused, unknown, revoked or other-incarnation one is 400 invalid_grant); ' +
      'Basic client auth optional but, when sent, must be the same integration',
    setting: 'v1RefreshTokens',
    alternative: 'false: no refresh_token, and the grant answers invalid_grant',
  },
  {
    id: 'jwt-access-tokens',
    area: 'auth',
    vendor: 'v1 access tokens are JWTs (decode one to read goInvalidPrivileges; bearerFormat JWT). v2: no evidence.',
    source: `${DOCS} docs/api/common/limitations.md (624b6a85), docs/api/common/knownissues.md, openapi/swagger.json (bearerFormat JWT)`,
    confidence: 'inferred',
    sandboxDefault:
      "both APIs: JWT HS256 signed with jose; aud v1|v2, iat/exp in seconds on the client's sandbox clock, jti, and a claim binding " +
      "the client's incarnation (a client created again under the same id refuses old tokens). The vendor's own claims " +
      '(goInvalidPrivileges) are not emulated.',
  },
  // Rows kept in their own files (one per area of work), so parallel additions do not collide here.
  ...V2_WIRE_ROWS,
  ...SETTINGS_ROWS,
  ...V1_WIRE_ROWS,
  ...V2_POLLING_ROWS,
  ...V2_SURFACE_ROWS,
  ...PAYMENT_MATCHING_ROWS,
];

const MD_CELL = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** contracts/FIDELITY.md: the ledger as a page, one table per area. */
export function fidelityMarkdown(rows: readonly FidelityRow[] = FIDELITY): string {
  const lines = [
    '# Fidelity ledger',
    '',
    'Generated from `contracts/fidelity.ts` by `npm run contracts` (also served at `GET /_sandbox/fidelity`). Every behaviour the',
    'sandbox imitates or chooses about PowerOffice Go: what the vendor does, the evidence, how sure we are (fact: a vendor source',
    "shows it; inferred: a vendor source plus ordinary ASP.NET/APIM behaviour; unverified: no public source), the sandbox's default",
    'and the client setting (`PUT /_sandbox/clients/{id}/settings`) that changes it.',
    '',
  ];
  const areas = [...new Set(rows.map((r) => r.area))];
  for (const area of areas) {
    lines.push(
      `## ${area}`,
      '',
      '| id | vendor | evidence | confidence | sandbox default | setting (alternative) |',
      '|---|---|---|---|---|---|',
    );
    for (const r of rows.filter((x) => x.area === area))
      lines.push(
        `| ${[
          r.id,
          r.vendor,
          r.source,
          r.confidence,
          r.sandboxDefault,
          r.setting ? `\`${r.setting}\`${r.alternative ? `: ${r.alternative}` : ''}` : '',
        ]
          .map(MD_CELL)
          .join(' | ')} |`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
