/**
 * Every operation the server mounts, in one list: the route table's operations (contracts/routes.ts) with their
 * handlers, plus the sandbox's own pages. Static values: nothing here needs the engine or the services to exist.
 */
import type { Operation } from './core/types.js';
import { tokenOperation } from './auth/token-endpoint.js';
import { v1Operations } from './agency-v1/operations.js';
import { v1OutgoingInvoiceOperations } from './agency-v1/outgoing-invoices.js';
import { v2Operations } from './agency-v2/operations.js';
import { v2ReversalOperations } from './agency-v2/reversals.js';
import { v2JournalEntryVoucherOperations } from './agency-v2/journal-entry-vouchers.js';
import { v2StatementOperations } from './agency-v2/statement.js';
import { clientOperations } from './control/clients.js';
import { erpOperations } from './control/erp.js';
import { ledgerOperations } from './control/ledger.js';
import { faultOperations } from './control/faults.js';
import { fidelityOperations } from './control/fidelity.js';
import { scenarioOperations } from './control/scenarios.js';
import { metaOperations } from './meta.js';
import { inspectorOperations } from './inspector/operations.js';

const agencyRoutes: Operation[] = [
  tokenOperation,
  ...v1Operations,
  ...v1OutgoingInvoiceOperations,
  ...v2Operations,
  ...v2ReversalOperations,
  ...v2JournalEntryVoucherOperations,
  ...v2StatementOperations,
];
const controlRoutes: Operation[] = [...clientOperations, ...erpOperations, ...ledgerOperations, ...faultOperations, ...fidelityOperations];

export function allRoutes(extra: Operation[] = []): Operation[] {
  const routes: Operation[] = [...agencyRoutes, ...controlRoutes, ...inspectorOperations, ...scenarioOperations, ...extra];
  const all: Operation[] = [...routes, ...metaOperations(() => all)];
  return all;
}
