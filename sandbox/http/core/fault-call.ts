/**
 * The HTTP side of fault matching: a fault's match names an API face, a method and a path prefix, which only the
 * face serving the request can read. The domain matches the operation id and asks this for the rest.
 */
import type { CallInfo } from '../../domain/commands/faults.js';
import type { Operation, SandboxRequest } from './types.js';
import { withoutDemo } from './hosts.js';

export function faultCall(op: Operation, req: SandboxRequest): CallInfo {
  // The path as the route table sees it (no host prefix, no /Demo), and as sent (a prefix may name the host).
  const paths = [req.host?.routePath ?? req.path, req.path].map((p) => withoutDemo(p).toLowerCase());
  return {
    operationId: op.operationId,
    label: `${req.method} ${req.path}`,
    wireMatches: (m) =>
      (!m.face || m.face === op.face) &&
      (!m.method || m.method.toUpperCase() === req.method.toUpperCase()) &&
      (!m.path || paths.some((p) => p.startsWith(m.path!.toLowerCase()))),
  };
}
