/**
 * A raw HTTP client for the robustness suites: sends exactly the method, path (no URL normalisation, so
 * '%zz', '%00' and friends arrive as written) and body bytes it is given, over a keep-alive agent, with a
 * timeout on every request. Also starts an in-process sandbox on a loopback port.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server.js';
import { QUIET_LOGGER } from '../../sandbox/engine.js';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: any;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    readonly host: string,
    readonly port: number,
    maxSockets = 64,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(req: RawRequest): Promise<RawResponse> {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (body !== undefined) headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const r = http.request({ host: this.host, port: this.port, method: req.method, path: req.path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
        });
        res.on('error', reject);
      });
      r.setTimeout(req.timeoutMs ?? 120_000, () => r.destroy(new Error(`timeout after ${req.timeoutMs ?? 120_000} ms: ${req.method} ${req.path.slice(0, 200)}`)));
      r.on('error', reject);
      if (body !== undefined) r.write(body);
      r.end();
    });
  }

  json(method: string, path: string, value?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    return this.request({
      method,
      path,
      headers: { ...(value !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(value !== undefined ? { body: JSON.stringify(value) } : {}),
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface ListeningSandbox extends Sandbox {
  server: Server;
  client: HttpClient;
  stop(): Promise<void>;
}

/** A sandbox (strict, contract-checked responses, no rate limits by default) listening on 127.0.0.1:<random>. */
export async function listeningSandbox(options: SandboxOptions = {}): Promise<ListeningSandbox> {
  const sandbox = await createSandbox({ memory: true, strict: true, validateResponses: true, rateLimits: false, logger: QUIET_LOGGER, ...options });
  const server = await new Promise<Server>((ok, fail) => {
    const s = http.createServer(sandbox.app);
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => ok(s));
  });
  const client = new HttpClient('127.0.0.1', (server.address() as AddressInfo).port);
  return {
    ...sandbox,
    server,
    client,
    async stop() {
      client.close();
      await new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections?.();
      await sandbox.close();
    },
  };
}

export function basicAuth(applicationKey: string, clientKey: string): string {
  return `Basic ${Buffer.from(`${applicationKey}:${clientKey}`).toString('base64')}`;
}
