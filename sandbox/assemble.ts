/**
 * The sandbox without a transport: store, engine, services, scenarios and the dispatcher over every route table.
 * The express server and the msw handlers both wrap this, so they run the same code.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { DEFAULT_DATA_DIR } from './defaults.js';
import { Engine } from './engine.js';
import { MemoryStore } from './storage/memory-store.js';
import { LowdbStore } from './storage/lowdb-store.js';
import type { WorldStore } from './storage/world-store.js';
import { Services } from './http/core/services.js';
import { Dispatcher, type DispatcherOptions } from './http/core/dispatcher.js';
import { allRoutes } from './http/routes.js';
import type { Operation } from './http/core/types.js';
import { Catalogue } from '../scenarios/runner/catalogue.js';
import { ScenarioService } from '../scenarios/runner/service.js';
import { scenarioOperations } from './http/control/scenarios.js';

export interface SandboxOptions {
  /** Folder for lowdb files; ignored with `memory`. Default ./.sandbox-data */
  dataDir?: string;
  /** Keep everything in memory (nothing survives a restart). */
  memory?: boolean;
  /** Check every response against the contract (500 on drift). */
  validateResponses?: boolean;
  /** Check the ledger invariants after every write, and that rejections change nothing. */
  strict?: boolean;
  /** Apply the vendor's rate limits (default on; each client can switch them off in its settings). */
  rateLimits?: boolean;
  /** Protect /_sandbox with this token. */
  adminToken?: string;
  /** Without an admin token: answer /_sandbox only to loopback callers (default true). */
  controlLoopbackOnly?: boolean;
  /** Behind a reverse proxy: well-formed X-Forwarded-Host/-Proto name the public origin in links. */
  trustProxy?: boolean;
  bodyLimit?: string;
  /** More routes (tests, plugins). */
  extraRoutes?: Operation[];
  /** Folder of the scenario catalogue (default: the package's scenarios/). */
  scenarioDir?: string;
  wallClock?: () => number;
  /** Keep agency reads serialised per world revision (default true; off to measure the uncached path). */
  viewCache?: boolean;
  /** Told of every answer the dispatcher gives. */
  observe?: DispatcherOptions['observe'];
}

export interface SandboxCore {
  engine: Engine;
  services: Services;
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

export { DEFAULT_DATA_DIR };

/** The token-signing secret lives beside the data, so tokens survive a restart. */
async function tokenSecret(dir: string): Promise<string> {
  const file = join(dir, 'token-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(32).toString('hex');
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

export async function assembleSandbox(options: SandboxOptions = {}): Promise<SandboxCore> {
  let store: WorldStore;
  let secret: string | undefined;
  if (options.memory) store = new MemoryStore();
  else {
    const dir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
    store = await LowdbStore.open(dir); // makes the folder private (700)
    secret = await tokenSecret(dir);
  }
  const engine = await Engine.create({ store, strict: options.strict ?? false, ...(options.wallClock ? { wallClock: options.wallClock } : {}) });
  const services = new Services({ ...(secret ? { tokenSecret: secret } : {}), ...(options.wallClock ? { wallClock: options.wallClock } : {}) });
  let dispatcher: Dispatcher;
  const scenarios = new ScenarioService(new Catalogue(options.scenarioDir), engine, () => dispatcher, options.adminToken);
  services.scenarios = scenarios;
  dispatcher = new Dispatcher(engine, services, allRoutes([...scenarioOperations(scenarios), ...(options.extraRoutes ?? [])]), {
    validateResponses: options.validateResponses ?? false,
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    controlLoopbackOnly: options.controlLoopbackOnly ?? true,
    trustProxy: options.trustProxy ?? false,
    rateLimits: options.rateLimits ?? true,
    ...(options.viewCache === false ? { viewCache: false } : {}),
    ...(options.observe ? { observe: options.observe } : {}),
  });
  return { engine, services, dispatcher, close: () => engine.close() };
}
