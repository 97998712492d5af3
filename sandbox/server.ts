/**
 * The sandbox over HTTP: `createSandbox` wraps the assembled parts in the express app (tests drive it with
 * supertest); `startServer` also listens on a port.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createListener } from './http/listener.js';
import { assembleSandbox, DEFAULT_DATA_DIR, type SandboxCore, type SandboxOptions } from './assemble.js';

export { DEFAULT_DATA_DIR, type SandboxOptions };

export interface Sandbox extends SandboxCore {
  /** The request listener: give it to http.createServer, or to supertest. */
  app: RequestListener;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const core = await assembleSandbox(options);
  return { ...core, app: createListener(core.dispatcher, options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}) };
}

export interface ShutdownReport {
  /** Requests that had not finished when the grace ran out; their connections were closed. */
  cut: number;
}

export interface RunningServer extends Sandbox {
  url: string;
  port: number;
  server: Server;
  /** Requests being answered now. */
  inFlight(): number;
  /**
   * Stop accepting at once, let requests in flight finish for up to `graceMs` (default 5 s), then close every
   * connection and the store. Without a deadline one slow request (a 60 s latency fault) would hold shutdown.
   */
  shutdown(graceMs?: number): Promise<ShutdownReport>;
}

export async function startServer(options: SandboxOptions & { port?: number; host?: string } = {}): Promise<RunningServer> {
  const sandbox = await createSandbox(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((ok, fail) => {
    const s = createServer(sandbox.app);
    s.once('error', fail);
    s.listen(options.port ?? 4010, host, () => {
      s.off('error', fail);
      ok(s);
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const busy = new Set<ServerResponse>();
  server.on('request', (_req, res) => {
    busy.add(res);
    res.on('close', () => busy.delete(res));
  });
  const shutdown = async (graceMs = 5000): Promise<ShutdownReport> => {
    const closed = new Promise<void>((ok) => server.close(() => ok()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'late'>((ok) => (timer = setTimeout(() => ok('late'), graceMs)));
    const outcome = await Promise.race([closed.then(() => 'done' as const), graceOver]);
    clearTimeout(timer);
    const cut = outcome === 'late' ? busy.size : 0;
    server.closeAllConnections();
    await closed;
    await sandbox.close();
    return { cut };
  };
  return {
    ...sandbox,
    server,
    port,
    url: `http://${shownHost}:${port}`,
    inFlight: () => busy.size,
    shutdown,
    close: async () => {
      await shutdown(0);
    },
  };
}
