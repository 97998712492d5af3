/**
 * The vendor's v1 DebtCollection service. Each operation: parse, one engine command or query, map to the wire.
 * Registered static-first, so /DebtCollection/Invoices/AvailableInvoices is never taken for /DebtCollection/{id}.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Operation, RequestContext } from '../core/types.js';
import { opFactory, type FaceDefaults } from '../core/route-op.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { agencyRead, agencyWrite } from '../agency/caller.js';
import { applyOData, type ODataOptions } from './odata.js';
import { v1Case, v1Invoice, v1Match } from './mappers.js';
import { V1AuthFailure, V1Failure } from '../../../contracts/schemas/common.js';
import * as S from '../../../contracts/schemas/v1.js';
import { availableInvoices, collectionInvoicesChangedSince, matchesOf, visibleToIntegration } from '../../domain/queries/matches.js';
import {
  addInvoicesToCase,
  createCase,
  mergeCases,
  ownCase,
  rejectCase,
  requireCaseCreation,
  updateStatus,
} from '../../domain/commands/cases.js';
import { toOre } from '../../domain/money.js';
import { reject } from '../../domain/errors.js';
import { parseMoment } from '../../clock/targets.js';
import type { World } from '../../domain/model.js';

const TAGS = ['v1 DebtCollection'];

/** Failures: with the default setting a business failure is HTTP 200 (see `ok`); these statuses remain. */
export const errors = {
  400: {
    description: "Invalid request, only with the client setting v1ErrorStatuses 'http' (default: HTTP 200, success false)",
    schema: V1Failure,
  },
  401: { description: 'No valid bearer token (ASP.NET Web API body)', schema: V1AuthFailure },
  403: {
    description:
      "Unauthorized access: a missing privilege (DebtCollection, DebtCollection_Full); with v1ErrorStatuses 'http' also a refusal by " +
      'state',
    schema: V1Failure,
  },
  404: { description: "Unknown id, only with v1ErrorStatuses 'http'", schema: V1Failure },
  500: { description: 'Internal error', schema: V1Failure },
};
const conflict = {
  409: { description: "Not allowed in the current state, or a duplicate case code; only with v1ErrorStatuses 'http'", schema: V1Failure },
};

/**
 * HTTP 200: the answer, or a refused request as the vendor answers one ("All well formed request should return
 * HTTP 200 OK"; success false with a validation object). X-Sandbox-Detail then names the field and the states.
 */
const success: FaceDefaults['success'] = (route, answers, contentType) => ({
  200: contentType
    ? { description: answers, contentType }
    : {
        description:
          `${answers}; or success false with validation {errorLogReference, summary, exception} (X-Sandbox-Detail has the sandbox's ` +
          `detail)`,
        schema: Type.Union([route.response!, V1Failure]),
      },
});

/** A v1 operation: bearer token, the v1 failure answers, the {data, success} envelope. */
export const v1Op = opFactory({ face: 'v1', auth: 'agency', problems: errors, success });

/** The v1 envelope around one value, and around a list with its count. */
export const one = <T>(data: T) => ({ data, success: true as const });
export const page = <T>(data: T[], count = data.length) => ({ data, count, success: true as const });

/** The 200 answer spec for operations not yet made with v1Op (agency-v1/outgoing-invoices.ts). */

function invoiceRefs(refs: ReadonlyArray<string | { id: string }> | null | undefined): string[] {
  return (refs ?? []).map((r) => (typeof r === 'string' ? r : r.id));
}

const ODATA_KEYS = ['$filter', '$orderby', '$skip', '$top'] as const;

/**
 * The OData options of a list call: the $-parameters, or the vendor's older `?options=` form holding them in one
 * (URL-encoded) parameter, or just a $filter expression. A $-parameter sent directly wins over the same in options.
 */
export function odataOf(query: Static<typeof S.ODataQuery>): ODataOptions {
  const { options, ...direct } = query;
  if (options === undefined || !options.trim()) return direct;
  const text = options.trim().replace(/^\?/, '');
  if (!text.startsWith('$')) return { $filter: text, ...direct };
  const out: ODataOptions = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const key = ODATA_KEYS.find((o) => o === k.trim().toLowerCase());
    if (!key) throw reject.invalid('options', `holds '${k}'; it takes ${ODATA_KEYS.join(', ')}`);
    if (key === '$skip' || key === '$top') {
      if (!/^\d{1,9}$/.test(v.trim()) || (key === '$top' && Number(v) > 100_000))
        throw reject.invalid('options', `${key} must be a whole number from 0${key === '$top' ? ' to 100000' : ''}`);
      out[key] = Number(v.trim());
    } else out[key] = v;
  }
  return { ...out, ...direct };
}

async function casesResponse(ctx: RequestContext, odata: ODataOptions) {
  return agencyRead(ctx, (world, integration) => {
    const rows = Object.values(world.cases)
      .filter((c) => c.integrationId === integration.id)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((c) => v1Case(world, c));
    const { items, count } = applyOData(rows, odata, world.timeZone);
    return page(items, count);
  });
}

function caseOne(world: World, kase: Parameters<typeof v1Case>[1]) {
  return one(v1Case(world, kase));
}

/** fromDateTime as an ISO instant for comparison with lastChanged. */
function since(world: World, value: string): string {
  return parseMoment(value.length === 10 ? `${value}T00:00` : value, world.timeZone, 'fromDateTime');
}

async function allMatchedItems(ctx: RequestContext, fromDateTime: string) {
  return agencyRead(ctx, (world, integration) => {
    const invoices = collectionInvoicesChangedSince(world, integration, since(world, fromDateTime));
    const data = invoices.map((inv) => ({ matchedItems: matchesOf(world, inv).map((m) => v1Match(world, m)) }));
    return page(data);
  });
}

async function pdfResponse(ctx: RequestContext, id: string) {
  const found = await agencyRead(ctx, (world, integration) => {
    const invoice = world.invoices[id];
    if (!invoice || !visibleToIntegration(world, integration, invoice)) throw reject.notFound('debt collection invoice', id, 'id');
    return { world, invoice };
  });
  const { invoicePdf } = await import('./invoice-pdf.js'); // pdf-lib: only when a PDF is asked for
  const bytes = await invoicePdf(found.world, found.invoice);
  return {
    status: 200,
    headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="invoice-${found.invoice.invoiceNo}.pdf"` },
    body: bytes,
  };
}

export const v1Operations: Operation[] = [
  v1Op(R.isActiveDebtCollection, {
    summary: 'May this integration create new cases on the client?',
    tags: TAGS,
    answers: 'true when the integration may create new cases',
    handle: (_, ctx) => agencyRead(ctx, (_w, integration) => one(integration.canCreateNewCases)),
  }),
  v1Op(R.getAvailableInvoices, {
    summary: 'Approved invoices not yet in a case (only for the integration that may create new cases)',
    tags: TAGS,
    answers: 'approved invoices',
    handle: ({ query }, ctx) =>
      agencyRead(ctx, (world, integration) => {
        requireCaseCreation(world, integration.id, false);
        const { items, count } = applyOData(
          availableInvoices(world).map((i) => v1Invoice(world, i)),
          odataOf(query),
          world.timeZone,
        );
        return page(items, count);
      }),
  }),
  v1Op(R.getAllMatchedItems, {
    summary: 'Matched items of every collection invoice changed after fromDateTime',
    description: 'One entry per invoice in a case of this integration, or approved/held/rejected outside a case, changed after the time.',
    tags: TAGS,
    answers: 'one { matchedItems } per changed invoice',
    handle: ({ query }, ctx) => allMatchedItems(ctx, query.fromDateTime),
  }),
  v1Op(R.getAllMatchedItemsByPath, {
    summary: 'Deprecated path form of GetAllMatchedItems',
    tags: TAGS,
    answers: 'one { matchedItems } per changed invoice',
    handle: ({ params }, ctx) => allMatchedItems(ctx, params.fromDateTime),
  }),
  v1Op(R.getMatchedItems, {
    summary: 'Payments, credit notes and write-offs matched to one collection invoice',
    tags: TAGS,
    answers: 'matched items',
    handle: ({ params }, ctx) =>
      agencyRead(ctx, (world, integration) => {
        const invoice = world.invoices[params.debtCollectionInvoiceId];
        if (!invoice || !visibleToIntegration(world, integration, invoice))
          throw reject.notFound('debt collection invoice', params.debtCollectionInvoiceId, 'debtCollectionInvoiceId');
        const data = matchesOf(world, invoice).map((m) => v1Match(world, m));
        return page(data);
      }),
  }),
  v1Op(R.getInvoicePdf, {
    summary: 'The invoice as a PDF',
    tags: TAGS,
    answers: 'PDF (a refused request is HTTP 200 too, with the JSON failure envelope)',
    contentType: 'application/pdf',
    respond: ({ params }, ctx) => pdfResponse(ctx, params.id),
  }),
  v1Op(R.getInvoicePdfByQuery, {
    summary: 'The invoice as a PDF (swagger form: ?id=)',
    tags: TAGS,
    answers: 'PDF (a refused request is HTTP 200 too, with the JSON failure envelope)',
    contentType: 'application/pdf',
    respond: ({ query }, ctx) => pdfResponse(ctx, query.id),
  }),
  v1Op(R.addInvoicesToCase, {
    summary: 'Take approved invoices of the same customer into an existing case',
    tags: TAGS,
    bodyQuery: 'request',
    answers: 'the case',
    responses: conflict,
    handle: ({ body }, ctx) => {
      return agencyWrite(ctx, (c, integration) => caseOne(c.world, addInvoicesToCase(c, integration.id, body)));
    },
  }),
  v1Op(R.mergeCases, {
    summary: "Merge cases of one customer into one with caseNo (the first case's id survives; a new id with v1MergeCasesId 'new')",
    tags: TAGS,
    bodyQuery: 'request',
    answers: 'the merged case',
    responses: conflict,
    handle: ({ body }, ctx) => {
      return agencyWrite(ctx, (c, integration) =>
        caseOne(c.world, mergeCases(c, integration.id, { ...body, newId: c.world.settings.v1MergeCasesId === 'new' })),
      );
    },
  }),
  v1Op(R.updateStatus, {
    summary: "Report the case's status text (history kept), close it, or report the balance held at the agency",
    description:
      'Without isCaseClosed the case is (again) Active, as the vendor documents; with the client setting v1StatusTextCloses a ' +
      'statusText "Closed" closes it (the vendor demo\'s reading).',
    tags: TAGS,
    bodyQuery: 'request',
    answers: 'the case',
    responses: conflict,
    handle: ({ body }, ctx) => {
      return agencyWrite(ctx, (c, integration) =>
        caseOne(
          c.world,
          updateStatus(c, integration.id, {
            caseId: body.caseId,
            statusText: body.statusText,
            isCaseClosed: body.isCaseClosed ?? (c.world.settings.v1StatusTextCloses && body.statusText.trim().toLowerCase() === 'closed'),
            ...(body.updatedBalanceAgency !== undefined
              ? {
                  updatedBalanceAgency:
                    body.updatedBalanceAgency === null ? null : toOre(body.updatedBalanceAgency, 'updatedBalanceAgency'),
                }
              : {}),
          }),
        ),
      );
    },
  }),
  v1Op(R.getCases, {
    summary: "This integration's cases",
    tags: TAGS,
    answers: 'cases',
    handle: ({ query }, ctx) => casesResponse(ctx, odataOf(query)),
  }),
  v1Op(R.createCase, {
    summary: "Open a case (the agency's case number in `code`), optionally with approved invoices of one customer",
    description: 'Reminder fees and interest Go posted for the invoices are reversed: a new legal party takes over.',
    tags: TAGS,
    answers: 'the new case',
    responses: conflict,
    handle: ({ body }, ctx) => {
      return agencyWrite(ctx, (c, integration) =>
        caseOne(
          c.world,
          createCase(c, integration.id, {
            code: body.code,
            invoiceIds: invoiceRefs(body.invoices),
            externalCaseUrl: body.externalCaseUrl ?? null,
            balanceAgency: body.balanceAgency == null ? null : toOre(body.balanceAgency, 'balanceAgency'),
          }),
        ),
      );
    },
  }),
  v1Op(R.getCase, {
    summary: "One of this integration's cases",
    tags: TAGS,
    answers: 'the case',
    handle: ({ params }, ctx) => agencyRead(ctx, (world, integration) => caseOne(world, ownCase(world, integration.id, params.id, 'id'))),
  }),
  v1Op(R.deleteCase, {
    summary: 'The agency rejects the case: it is deleted and its invoices get status Rejected',
    tags: TAGS,
    answers: "deleted: the vendor's nested Success object, or {data: true} with v1DeleteBody 'boolean'",
    handle: async ({ params }, ctx) => {
      const form = await agencyWrite(ctx, (c, integration) => {
        rejectCase(c, integration.id, params.id);
        return c.world.settings.v1DeleteBody;
      });
      // The vendor documents DELETE as answering a Success object inside the envelope; its null keys are left out.
      return form === 'boolean' ? one(true) : one({ success: true as const });
    },
  }),
];
