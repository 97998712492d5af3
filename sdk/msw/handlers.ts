/**
 * msw mode: the whole sandbox (agency API and control API) in-process behind msw, so an agency's unit tests need
 * no port and no process. It is the same engine and dispatcher as the server, not a second implementation.
 *
 *   const sandbox = await sandboxHandlers();
 *   const server = setupServer(...sandbox.handlers);
 *   server.listen();
 *   const control = createSandbox({ baseUrl: sandbox.baseUrl });
 *
 * The handlers answer the sandbox's own URL (its control API and the host prefixes it lists in a client's
 * `endpoints`) and, unless `vendorHosts: false`, PowerOffice's hosts themselves (https://api.poweroffice.net,
 * https://api-demo.poweroffice.net, https://goapi.poweroffice.net): agency code configured with the production
 * URLs reaches the sandbox unchanged.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { assembleSandbox, type SandboxCore, type SandboxOptions } from '../../sandbox/assemble.js';
import { handleRequest } from '../../sandbox/http/fetch.js';
import { VENDOR } from '../../contracts/routes.js';

export interface SandboxHandlersOptions extends Omit<SandboxOptions, 'memory' | 'dataDir' | 'bodyLimit'> {
  /** The base URL your code calls; requests to it are answered by the sandbox (default http://inkasso-sandbox.test). */
  baseUrl?: string;
  /** Also answer https://api.poweroffice.net, https://api-demo.poweroffice.net and https://goapi.poweroffice.net (default true). */
  vendorHosts?: boolean;
}

export interface SandboxHandlers extends SandboxCore {
  /** Put these in setupServer(...) or server.use(...). */
  handlers: HttpHandler[];
  baseUrl: string;
}

export const DEFAULT_MSW_BASE_URL = 'http://inkasso-sandbox.test';
/** The vendor's hosts (from the route table's VENDOR), answered unless `vendorHosts: false`. */
export const VENDOR_URLS: readonly string[] = [...new Set([VENDOR.v1.host, VENDOR.v1.demoHost, VENDOR.v2.host])].map(
  (host) => `https://${host}`,
);

export async function sandboxHandlers(options: SandboxHandlersOptions = {}): Promise<SandboxHandlers> {
  const baseUrl = (options.baseUrl ?? DEFAULT_MSW_BASE_URL).replace(/\/+$/, '');
  const core = await assembleSandbox({ ...options, memory: true });
  const answer = async ({ request }: { request: Request }) => {
    try {
      // The URL's host reaches the dispatcher as the Host header: a vendor host routes like its prefix.
      return await handleRequest(core.dispatcher, request);
    } catch (e) {
      // A dropped connection (an injected fault) is a network error to the caller.
      if (e instanceof TypeError) return HttpResponse.error();
      throw e;
    }
  };
  const urls = [baseUrl, ...(options.vendorHosts === false ? [] : VENDOR_URLS)];
  return { ...core, handlers: urls.map((url) => http.all(`${url}/*`, answer)), baseUrl };
}
