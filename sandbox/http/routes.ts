/** Every route table the server mounts, in one list. */
import type { Operation } from './core/types.js';
import { tokenOperation } from './auth/token-endpoint.js';
import { v1Operations } from './agency-v1/operations.js';
import { v2Operations } from './agency-v2/operations.js';
import { v2ReversalOperations } from './agency-v2/reversals.js';
import { v2JournalEntryVoucherOperations } from './agency-v2/journal-entry-vouchers.js';
import { clientOperations } from './control/clients.js';
import { erpOperations } from './control/erp.js';
import { ledgerOperations } from './control/ledger.js';
import { faultOperations } from './control/faults.js';
import { fidelityOperations } from './control/fidelity.js';
import { metaOperations } from './meta.js';
import { inspectorOperations } from './inspector/operations.js';

export const agencyRoutes: Operation[] = [tokenOperation, ...v1Operations, ...v2Operations, ...v2ReversalOperations, ...v2JournalEntryVoucherOperations];
export const controlRoutes: Operation[] = [...clientOperations, ...erpOperations, ...ledgerOperations, ...faultOperations, ...fidelityOperations];

export function allRoutes(extra: Operation[] = []): Operation[] {
  const routes: Operation[] = [...agencyRoutes, ...controlRoutes, ...inspectorOperations, ...extra];
  const all: Operation[] = [...routes, ...metaOperations(() => all)];
  return all;
}
