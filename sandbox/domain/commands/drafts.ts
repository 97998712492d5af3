/**
 * Agency integration: its own drafts in the voucher reception after sending them. While a draft waits for the ERP
 * user it may attach pages to it (the settlement specification) or delete it; once posted, neither. A draft of
 * another integration, or one the user rejected, is not the agency's to see.
 */
import type { CommandContext } from '../context.js';
import { emit, now } from '../context.js';
import type { ReceptionDraft, VoucherPage, World } from '../model.js';
import { reject } from '../errors.js';
import { integrationWithRight } from '../world.js';
import { importReferenceKeys } from '../ledger.js';

/** Page ids are the vendor's int64s; the sandbox numbers them per client from here. */
const FIRST_PAGE_ID = 11_001;

/** The draft this integration sent and may still see, or 404. */
export function ownDraft(world: World, integrationId: string, id: string): ReceptionDraft {
  const draft = world.voucherReception[id];
  if (!draft || draft.integrationId !== integrationId || draft.status === 'Rejected') throw reject.notFound('voucher', id, 'id');
  return draft;
}

function stillDraft(draft: ReceptionDraft): void {
  if (draft.status === 'Posted')
    throw reject.conflict(`Voucher with id = ${draft.id} is already posted.`, { field: 'id', current: 'Posted', allowed: ['Draft'] });
}

function writing(ctx: CommandContext, integrationId: string): void {
  integrationWithRight(ctx.world, integrationId, 'write');
}

/** Delete a waiting draft with its lines and pages; its import references (if any) are free again. */
export function deleteOwnDraft(ctx: CommandContext, integrationId: string, id: string): void {
  writing(ctx, integrationId);
  const draft = ownDraft(ctx.world, integrationId, id);
  stillDraft(draft);
  for (const key of importReferenceKeys(draft)) if (ctx.world.importReferences[key] === draft.id) delete ctx.world.importReferences[key];
  delete ctx.world.voucherReception[id];
  emit(
    ctx,
    'voucherReception.deleted',
    `booking suggestion "${draft.description}" deleted by the agency before it was posted`,
    { integrationId },
    { draftId: id },
  );
}

export interface NewVoucherPage {
  fileName: string | null;
  contentType: string;
  size: number;
  sha256: string;
}

/** Attach a page to a waiting draft. */
export function attachPage(ctx: CommandContext, integrationId: string, id: string, input: NewVoucherPage): VoucherPage {
  writing(ctx, integrationId);
  const draft = ownDraft(ctx.world, integrationId, id);
  stillDraft(draft);
  if (input.size < 1) throw reject.invalid('file', 'is empty');
  const taken = Object.values(ctx.world.voucherReception).flatMap((d) => (d.pages ?? []).map((p) => p.id));
  const page: VoucherPage = { id: Math.max(FIRST_PAGE_ID - 1, ...taken) + 1, ...input, addedAt: now(ctx.world) };
  draft.pages = [...(draft.pages ?? []), page];
  emit(
    ctx,
    'voucherReception.pageAdded',
    `page ${page.fileName ?? page.id} (${page.contentType}, ${page.size} bytes) attached to booking suggestion "${draft.description}"`,
    { integrationId },
    {
      draftId: id,
      pageId: page.id,
    },
  );
  return page;
}

/** When the draft last changed: sent, a page attached, or posted by the ERP user. */
export function draftLastChanged(draft: ReceptionDraft, postedAt: string | null): string {
  return [draft.submittedAt, ...(draft.pages ?? []).map((p) => p.addedAt), ...(postedAt ? [postedAt] : [])].reduce((a, b) =>
    b > a ? b : a,
  );
}
