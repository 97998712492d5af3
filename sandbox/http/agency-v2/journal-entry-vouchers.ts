/**
 * v2 JournalEntryVouchers: the drafts an agency sent to the voucher reception (POST .../ManualJournals), read back,
 * listed, deleted while they wait, and given pages (the settlement specification PDF) as multipart/form-data.
 */
import { createHash } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { Operation, SandboxRequest } from '../core/types.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { agencyRead, agencyWrite } from '../agency/caller.js';
import * as S from '../../../contracts/schemas/v2.js';
import { attachPage, deleteOwnDraft, draftLastChanged, ownDraft } from '../../domain/commands/drafts.js';
import { voucherById } from '../../domain/ledger.js';
import { oreToNok } from '../../domain/money.js';
import { reject } from '../../domain/errors.js';
import type { ReceptionDraft, World } from '../../domain/model.js';
import { multipartBoundary, parseMultipart } from '../core/multipart.js';
import { page } from './paging.js';
import { at, draftHeaderDto, glAccountId, vatIdOfCode, voucherPageDto, CURRENCY } from './mappers.js';
import { after, cutOffIn, v2Conflict, v2NotFound, v2Op } from './surface-common.js';

const TAGS = ['v2 JournalEntryVouchers'];

const postedAtOf = (world: World, draft: ReceptionDraft) =>
  draft.postedVoucherId ? (voucherById(world, draft.postedVoucherId)?.postedAt ?? null) : null;

function listItem(world: World, draft: ReceptionDraft, integrationId: string): Static<typeof S.JournalEntryVoucherListItem> {
  return {
    Id: draft.id,
    VoucherType: draft.kind,
    CreatedDateTimeOffset: at(world, draft.submittedAt),
    LastChangedDateTimeOffset: at(world, draftLastChanged(draft, postedAtOf(world, draft))),
    InApprovalWorkflow: false,
    IsPosted: draft.status === 'Posted',
    IsCreatedByCurrentIntegration: draft.integrationId === integrationId,
    OriginatedFromEhf: false,
  };
}

/**
 * The draft's lines as the wire's debit/credit pairs. The reception keeps each side as its own line (a debit +a
 * followed by its credit -a); a pair is re-formed from two such neighbours with the same description.
 */
function draftLines(world: World, draft: ReceptionDraft): Static<typeof S.ManualJournalEntryVoucherLineDto>[] {
  const created = at(world, draft.submittedAt);
  const out: Static<typeof S.ManualJournalEntryVoucherLineDto>[] = [];
  for (let i = 0; i < draft.lines.length; i++) {
    const l = draft.lines[i]!;
    const next = draft.lines[i + 1];
    const paired =
      l.amount > 0 && next !== undefined && next.amount === -l.amount && (next.description ?? null) === (l.description ?? null);
    const debit = l.amount > 0 ? l : undefined;
    const credit = paired ? next : l.amount < 0 ? l : undefined;
    if (paired) i++;
    out.push({
      Id: out.length + 1,
      DebitAccountId: debit ? glAccountId(debit.account) : null,
      CreditAccountId: credit ? glAccountId(credit.account) : null,
      DebitVatId: debit ? vatIdOfCode(debit.vatCode) : null,
      CreditVatId: credit ? vatIdOfCode(credit.vatCode) : null,
      CurrencyAmount: oreToNok(Math.abs(l.amount)),
      CurrencyCode: CURRENCY,
      Description: l.description ?? null,
      PostingDate: draft.date,
      CreatedDateTimeOffset: created,
      LastChangedDateTimeOffset: created,
    });
  }
  return out;
}

function draftDto(world: World, draft: ReceptionDraft): Static<typeof S.ManualJournalEntryVoucherDto> {
  return {
    ...draftHeaderDto(world, draft),
    ManualVoucherLines: draftLines(world, draft),
    Pages: (draft.pages ?? []).map((p) => voucherPageDto(world, draft, p)),
  };
}

/** What a page's bytes are, by their signature: the vendor stores PDFs and images as voucher pages. */
function pageType(data: Uint8Array): string | undefined {
  const head = Buffer.from(data.subarray(0, 8));
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  const tiff = head.subarray(0, 4).toString('latin1');
  if (tiff === 'II*\u0000' || tiff === 'MM\u0000*') return 'image/tiff';
  return undefined;
}

/** The `file` part of a VoucherPages upload, checked; 400 naming `file` otherwise. */
function uploadedPage(request: SandboxRequest) {
  const boundary = multipartBoundary(request.headers['content-type']);
  if (!boundary) throw reject.invalid('file', 'is required: send multipart/form-data with the page in a part named "file"');
  const parts = parseMultipart(request.body ?? new Uint8Array(), boundary);
  if (!parts) throw reject.invalid('file', 'could not be read: the multipart/form-data body is malformed');
  const file = parts.find((p) => p.name.toLowerCase() === 'file');
  if (!file)
    throw reject.invalid(
      'file',
      `is required: no part named "file" (parts: ${parts.map((p) => p.name || '(unnamed)').join(', ') || 'none'})`,
    );
  if (!file.data.length) throw reject.invalid('file', 'is empty');
  const type = pageType(file.data);
  if (!type) throw reject.invalid('file', 'is not a PDF, PNG, JPEG or TIFF');
  return {
    fileName: file.fileName,
    contentType: type,
    size: file.data.length,
    sha256: createHash('sha256').update(file.data).digest('hex'),
  };
}

export const v2JournalEntryVoucherOperations: Operation[] = [
  v2Op(R.v2ListJournalEntryVouchers, {
    summary: "The client's journal entry vouchers (the drafts sent to the voucher reception), lightweight; get one by its type's endpoint",
    description:
      'Drafts the ERP user rejected or an agency deleted are gone. IsPosted is true once the ERP user approved (posted) a draft.',
    tags: TAGS,
    answers: 'journal entry vouchers',
    respond: ({ query, request }, ctx) =>
      agencyRead(ctx, (world, integration) => {
        const createdSince = cutOffIn(ctx, query.createdDateTimeOffsetGreaterThan, world.timeZone, 'createdDateTimeOffsetGreaterThan');
        const since = cutOffIn(ctx, query.lastChangedDateTimeOffsetGreaterThan, world.timeZone, 'lastChangedDateTimeOffsetGreaterThan');
        const rows = Object.values(world.voucherReception)
          .filter(
            (d) =>
              d.status !== 'Rejected' &&
              after(createdSince, d.submittedAt) &&
              after(since, draftLastChanged(d, postedAtOf(world, d))) &&
              query.inApprovalWorkflow !== true &&
              (query.isPosted === undefined || query.isPosted === (d.status === 'Posted')),
          )
          .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt) || a.id.localeCompare(b.id))
          .map((d) => listItem(world, d, integration.id));
        return page(rows, query, request, ctx, Object.keys(S.JournalEntryVoucherListItem.properties));
      }),
  }),
  v2Op(R.v2GetManualJournalDraft, {
    summary: 'A manual journal draft this integration sent, with its lines and pages',
    description:
      'As at the vendor, the integration only sees the drafts it created; any other id is 404. A draft the ERP user posted is still ' +
      'found.',
    tags: TAGS,
    answers: 'the draft',
    responses: v2NotFound,
    handle: ({ params }, ctx) => agencyRead(ctx, (world, integration) => draftDto(world, ownDraft(world, integration.id, params.id))),
  }),
  v2Op(R.v2DeleteJournalEntryVoucher, {
    summary: 'Delete a draft this integration sent, with its lines and pages, while it is not posted',
    description:
      'As at the vendor: 200 without a body; 404 for a draft of another integration or none; 409 "is already posted" once the ERP ' +
      'user posted it.',
    tags: TAGS,
    answers: 'Deleted (no body)',
    responses: { ...v2NotFound, ...v2Conflict('The draft is already posted') },
    handle: ({ params }, ctx) =>
      agencyWrite(ctx, (c, integration) => {
        deleteOwnDraft(c, integration.id, params.id);
      }),
  }),
  v2Op(R.v2AddVoucherPage, {
    summary: 'Attach a page (the settlement specification PDF, or an image) to a draft this integration sent',
    description:
      'multipart/form-data with the page in a part named `file` (a PDF, PNG, JPEG or TIFF, recognised by its bytes). 201 without a ' +
      'body, as the vendor ' +
      "documents it; the page shows in the draft's Pages (GET /JournalEntryVouchers/ManualJournals/{id}). 409 once the draft is posted.",
    tags: TAGS,
    bodyType: 'multipart',
    answers: 'The page is attached (no body)',
    responses: { ...v2NotFound, ...v2Conflict('The draft is already posted') },
    handle: async ({ params, request }, ctx) => {
      const upload = uploadedPage(request);
      return agencyWrite(ctx, (c, integration) => {
        attachPage(c, integration.id, params.id, upload);
      });
    },
  }),
];
