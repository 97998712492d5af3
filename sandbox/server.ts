/**
 * The sandbox over HTTP: `createSandbox` wraps the assembled parts in the express app (tests drive it with
 * supertest); `startServer` also listens on a port.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type express from 'express';
import { createApp } from './http/express.js';
import { assembleSandbox, DEFAULT_DATA_DIR, type SandboxCore, type SandboxOptions } from './assemble.js';

export { DEFAULT_DATA_DIR, type SandboxOptions };

export interface Sandbox extends SandboxCore {
  app: express.Express;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const core = await assembleSandbox(options);
  return { ...core, app: createApp(core.dispatcher, options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}) };
}

export interface RunningServer extends Sandbox {
  url: string;
  port: number;
  server: Server;
}

export async function startServer(options: SandboxOptions & { port?: number; host?: string } = {}): Promise<RunningServer> {
  const sandbox = await createSandbox(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((ok, fail) => {
    // Express 5 passes a failed listen (port in use) to the callback.
    const s = sandbox.app.listen(options.port ?? 4010, host, (err?: Error) => (err ? fail(err) : ok(s)));
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    ...sandbox,
    server,
    port,
    url: `http://${shownHost}:${port}`,
    close: async () => {
      await new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections?.();
      await sandbox.close();
    },
  };
}
