/**
 * Path matching for the route tables. Segments match case-insensitively (ASP.NET routes do), static segments win
 * over `{param}` ones (so /DebtCollection/Invoices/AvailableInvoices is not taken for /DebtCollection/{id}), and
 * agency paths also answer under the vendor's /Demo prefix, so a base URL like https://goapi.poweroffice.net/Demo
 * maps onto http://localhost:4010/Demo unchanged.
 */
import type { Operation } from './types.js';
import { editDistance } from '../../../contracts/edit-distance.js';
import { withoutDemo } from './hosts.js';

interface CompiledRoute {
  op: Operation;
  segments: Array<{ literal: string } | { param: string }>;
  /** Lower is more specific: static segments before params. */
  rank: number[];
}

export interface RouteMatch {
  op: Operation;
  params: Record<string, string>;
}

export type RouteLookup = { kind: 'found'; match: RouteMatch } | { kind: 'wrongMethod'; allowed: string[] } | { kind: 'none' };

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(ops: Operation[]) {
    this.routes = ops
      .map((op) => {
        const segments = split(op.path).map((s) =>
          s.startsWith('{') && s.endsWith('}') ? { param: s.slice(1, -1) } : { literal: s.toLowerCase() },
        );
        return { op, segments, rank: segments.map((s) => ('param' in s ? 1 : 0)) };
      })
      .sort((a, b) => {
        for (let i = 0; i < Math.min(a.rank.length, b.rank.length); i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
        return a.rank.length - b.rank.length;
      });
  }

  lookup(method: string, rawPath: string): RouteLookup {
    let candidates: string[][];
    try {
      const bare = withoutDemo(rawPath);
      candidates = (bare === rawPath ? [rawPath] : [rawPath, bare]).map((p) => split(p).map((s) => decodeURIComponent(s)));
    } catch {
      return { kind: 'none' };
    }
    const allowed = new Set<string>();
    for (const [i, segs] of candidates.entries()) {
      for (const route of this.routes) {
        if (i === 1 && (route.op.face === 'control' || route.op.face === 'meta')) continue;
        const params = this.match(route, segs);
        if (!params) continue;
        if (route.op.method === method.toUpperCase()) return { kind: 'found', match: { op: route.op, params } };
        allowed.add(route.op.method);
      }
    }
    return allowed.size ? { kind: 'wrongMethod', allowed: [...allowed] } : { kind: 'none' };
  }

  /**
   * The route closest to a path nothing matched, written with the caller's own values in its parameters, e.g.
   * "GET /v2/Customers" for GET /v2/Customer. Routes for the same method win ties; nothing when all are far.
   */
  suggest(method: string, rawPath: string): string | undefined {
    const parts = split(rawPath);
    const wanted = `/${parts.join('/')}`.toLowerCase();
    if (wanted.length > 200) return undefined; // edit distance is quadratic: no guesses for very long paths
    let best: { text: string; cost: number } | undefined;
    for (const route of this.routes) {
      const template = split(route.op.path);
      const filled = route.segments.map((seg, i) => ('literal' in seg ? template[i]! : (parts[i] ?? `{${seg.param}}`)));
      const path = `/${filled.join('/')}`;
      const cost = editDistance(wanted, path.toLowerCase()) + (route.op.method === method.toUpperCase() ? 0 : 0.5);
      if (!best || cost < best.cost) best = { text: `${route.op.method} ${path}`, cost };
    }
    return best && best.cost <= Math.max(3, wanted.length * 0.25) ? best.text : undefined;
  }

  private match(route: CompiledRoute, parts: string[]): Record<string, string> | undefined {
    if (route.segments.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const seg = route.segments[i]!;
      if ('literal' in seg) {
        if (seg.literal !== parts[i]!.toLowerCase()) return undefined;
      } else params[seg.param] = parts[i]!;
    }
    return params;
  }
}
