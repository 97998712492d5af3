/**
 * Fidelity rows for the client settings that existed before the ledger (domain rules, enums, tokens, limits). Each
 * default is read from defaultSettings(), so a row never states a stale default.
 */
import type { FidelityRow } from '../fidelity.js';
import { defaultSettings } from '../../sandbox/domain/world.js';

const DOCS = 'PowerOffice/go-api-documentation';
// The v1 wire settings (enumFormat, v1ErrorStatuses, v1StatusTextCloses, v1DeleteBody, v1MergeCasesId) have their rows in v1-wire.ts.
const d = defaultSettings();
const nok = (ore: number) => `${(ore / 100).toFixed(2)} NOK`;

export const SETTINGS_ROWS: FidelityRow[] = [
  {
    id: 'setting-rate-limits',
    area: 'v2',
    vendor:
      'v1: 50 requests/s per integration key; v2: 10 requests/s per subscription key; over the limit 429 with ' +
      '{"statusCode":"429","message":"Rate limit is exceeded. Try again in 1 seconds."} and Retry-After.',
    source:
      `${DOCS} docs/api/common/limitations.md (50 req/s); developer.poweroffice.net/documentation/requests (10 req/s, 429); ` +
      `pacely-ai/poweroffice-node scripts/auth-endpoint.json (429 body)`,
    confidence: 'fact',
    sandboxDefault:
      `${d.rateLimits.enabled ? 'on' : 'off'}: v1 ${d.rateLimits.v1PerSecond}/s, v2 ${d.rateLimits.v2PerSecond}/s (token buckets on ` +
      `wall time)`,
    setting: 'rateLimits',
    alternative: 'off, or other limits (the server flag --no-rate-limits switches them off for every client)',
  },
  {
    id: 'setting-reminder-steps',
    area: 'domain',
    vendor:
      'Purreinnstillinger: Go sends påminnelse (no fee), purring and inkassovarsel itself before the agency takes over; each step has ' +
      'a send day after due and its own due date (purring and inkassovarsel at least 14 days), a fee (at most 1/20 of the ' +
      'inkassosats) and optional interest. The last enabled step decides the draft day.',
    source:
      'support.poweroffice.com "Purring og inkasso" and "Inkasso integrasjoner i PowerOffice"; /work/shared/spec/domain.md "When an ' +
      'overdue invoice becomes a draft"; inkassoloven § 9 and inkassoforskriften § 1-2 (14 days, fee cap)',
    confidence: 'inferred',
    sandboxDefault:
      `every step off (påminnelse ${d.reminderSteps.friendlyReminder.daysAfterDue} d, ` +
      `purring and inkassovarsel ${d.reminderSteps.paymentReminder.daysAfterDue} ` +
      `d after due, fee ${nok(d.reminderSteps.paymentReminder.fee)})`,
    setting: 'reminderSteps',
    alternative: 'any step on, with its days, fee and interest',
  },
  {
    id: 'setting-minimum-amount',
    area: 'domain',
    vendor:
      "Invoices whose open amount is under the client's minimum get no reminders and no draft; they wait in the reminder list with " +
      'next action "None".',
    source: '/work/shared/spec/domain.md "Minimum amount" (from the seed documents); support.poweroffice.com "Purring og inkasso"',
    confidence: 'inferred',
    sandboxDefault: nok(d.minimumAmount),
    setting: 'minimumAmount',
    alternative: 'any amount in NOK',
  },
  {
    id: 'setting-draft-days-without-reminders',
    area: 'domain',
    vendor:
      'With no reminder step enabled (or only påminnelse) an overdue invoice becomes a collection draft 14 days after due ' +
      "(PowerOffice); Kravia's guide says day 1 after due.",
    source:
      'support.poweroffice.com "Inkasso integrasjoner i PowerOffice" (14 days); hjelp.kraviainkasso.no PowerOffice guide (day 1); ' +
      '/work/shared/spec/domain.md',
    confidence: 'inferred',
    sandboxDefault: `${d.draftDaysWithoutReminders} days after due`,
    setting: 'draftDaysWithoutReminders',
    alternative: '1 (Kravia) or any day count',
  },
  {
    id: 'setting-late-interest-rates',
    area: 'domain',
    vendor:
      'Late-payment interest (forsinkelsesrente): simple interest at the policy rate + 8 pp, set each 1 January and 1 July, actual/365.',
    source:
      'forsinkelsesrenteloven § 3 and the Ministry of Finance regulations (e.g. FOR-2024-12-19-3279, lovdata); ' +
      '/work/shared/spec/domain.md "Norwegian rules"; sandbox/domain/norwegian-rates.ts marks each entry verified or not',
    confidence: 'fact',
    sandboxDefault: d.lateInterestRates.length
      ? 'a client table'
      : 'the built-in dated table (entries not read from the official table are marked verified: false)',
    setting: 'lateInterestRates',
    alternative: 'a client table of dated rates',
  },
  {
    id: 'setting-inkassosats',
    area: 'domain',
    vendor: 'The inkassosats (700 NOK from 2017) caps the reminder fee at 1/20 of it (35 NOK at 700).',
    source: 'inkassoforskriften § 1-1 and § 1-2 (lovdata); /work/shared/spec/domain.md "Norwegian rules"',
    confidence: 'fact',
    sandboxDefault: d.inkassosats.length ? 'a client table' : 'the built-in dated table',
    setting: 'inkassosats',
    alternative: 'a client table of dated amounts',
  },
];
