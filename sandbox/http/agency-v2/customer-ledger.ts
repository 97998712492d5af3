/** The filters and the page that v2 Customerledger/OpenItems and Customerledger/Statement share. */
import type { Integration, World } from '../../domain/model.js';
import type { LedgerItem } from '../../domain/queries/ledger.js';
import type { RequestContext, SandboxRequest, SandboxResponse } from '../core/types.js';
import * as S from '../../../contracts/schemas/v2.js';
import { page, type PageQuery } from './paging.js';
import { numberRanges, textList, voucherTypesIn } from './filters.js';
import { ledgerEntryDto, ledgerItemLastChanged, ledgerItemMatchingReference } from './mappers.js';
import { after, byIntegration, cutOffIn } from './surface-common.js';

export interface CustomerLedgerQuery {
  customerNos?: string;
  invoiceNos?: string;
  createdDateTimeOffsetGreaterThan?: string;
  lastChangedDateTimeOffsetGreaterThan?: string;
  voucherTypes?: string;
  customMatchingReferences?: string;
  onlyCreatedByCurrentIntegration?: boolean;
}

/** Does a ledger item pass the query's customer, invoice, time, voucher-type, reference and creator filters? */
export function customerLedgerFilter(
  ctx: RequestContext,
  world: World,
  integration: Integration,
  query: CustomerLedgerQuery,
): (item: LedgerItem) => boolean {
  const customerIn = numberRanges(query.customerNos);
  const invoiceIn = numberRanges(query.invoiceNos);
  const createdSince = cutOffIn(ctx, query.createdDateTimeOffsetGreaterThan, world.timeZone, 'createdDateTimeOffsetGreaterThan');
  const since = cutOffIn(ctx, query.lastChangedDateTimeOffsetGreaterThan, world.timeZone, 'lastChangedDateTimeOffsetGreaterThan');
  const types = voucherTypesIn(query.voucherTypes);
  const references = textList(query.customMatchingReferences);
  return (item) =>
    customerIn(world.customers[String(item.line.customerId)]?.number) &&
    invoiceIn(item.invoice?.invoiceNo) &&
    after(createdSince, item.voucher.postedAt) &&
    after(since, ledgerItemLastChanged(item)) &&
    (!types || types.has(item.voucher.type)) &&
    (!references || references.includes(ledgerItemMatchingReference(item) ?? '')) &&
    (!query.onlyCreatedByCurrentIntegration || byIntegration(item.voucher, integration.id));
}

/** One page of ledger items as CustomerLedgerEntryDto. */
export function customerLedgerPage(
  world: World,
  rows: LedgerItem[],
  query: PageQuery,
  request: SandboxRequest,
  ctx: RequestContext,
): SandboxResponse {
  return page(
    rows.map((item) => ledgerEntryDto(world, item)),
    query,
    request,
    ctx,
    Object.keys(S.CustomerLedgerEntryDto.properties),
  );
}
