/**
 * The sandbox without a transport: store, engine, services, scenarios and the dispatcher over every route table.
 * The express server and the msw handlers both wrap this, so they run the same code.
 */
import { resolve } from 'node:path';
import { DEFAULT_DATA_DIR } from './defaults.js';
import { Engine, type Logger } from './engine.js';
import { MemoryStore } from './storage/memory-store.js';
import type { WorldStore } from './storage/store.js';
import { Services } from './http/core/services.js';
import { Dispatcher, type DispatcherOptions } from './http/core/dispatcher.js';
import { allRoutes } from './http/routes.js';
import type { Operation } from './http/core/types.js';
import { Catalogue } from './scenarios/catalogue.js';
import { ScenarioService } from './scenarios/service.js';
import { pactOperations } from './http/control/pact.js';

export interface SandboxOptions {
  /** Folder for lowdb files; ignored with `memory`. Default ./.sandbox-data */
  dataDir?: string;
  /** Keep everything in memory (nothing survives a restart). */
  memory?: boolean;
  /** postgres://… : keep everything in PostgreSQL, shared by every sandbox process on that database. */
  databaseUrl?: string;
  /** With databaseUrl: the schema for the tables (default: the connection's search_path). */
  databaseSchema?: string;
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
  /** A client checkpoint after this many log records (default 1000): bounds the replay at start. */
  checkpointRecords?: number;
  /** A checkpoint for a client idle this long (default 5000 ms; 0 never: tests that want the log replayed). */
  checkpointIdleMs?: number;
  /** Keep agency reads serialised per world revision (default true; off to measure the uncached path). */
  viewCache?: boolean;
  /** Told of every answer the dispatcher gives. */
  observe?: DispatcherOptions['observe'];
  /** Where internal errors and failed background checkpoints are reported (default the console; tests pass QUIET_LOGGER). */
  logger?: Logger;
}

export interface SandboxCore {
  engine: Engine;
  services: Services;
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

export { DEFAULT_DATA_DIR };

export async function assembleSandbox(options: SandboxOptions = {}): Promise<SandboxCore> {
  let store: WorldStore;
  // Each store's code (pg, lowdb and the world schema) loads only when that store is chosen.
  if (options.databaseUrl)
    store = await (
      await import('./storage/pg-store.js')
    ).PgStore.open(options.databaseUrl, options.databaseSchema ? { schema: options.databaseSchema } : {});
  else if (options.memory) store = new MemoryStore();
  else {
    const dir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
    store = await (await import('./storage/lowdb-store.js')).LowdbStore.open(dir); // makes the folder private (700)
  }
  // The token-signing secret comes from the store: beside the data files, or in the database for every process.
  const secret = await store.secret();
  const engine = await Engine.create({
    store,
    strict: options.strict ?? false,
    ...(options.checkpointRecords ? { checkpointRecords: options.checkpointRecords } : {}),
    ...(options.checkpointIdleMs !== undefined ? { checkpointIdleMs: options.checkpointIdleMs } : {}),
    ...(options.wallClock ? { wallClock: options.wallClock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const services = new Services({ tokenSecret: secret, ...(options.wallClock ? { wallClock: options.wallClock } : {}) });
  services.scenarios = new ScenarioService(new Catalogue(options.scenarioDir), engine);
  const dispatcher = new Dispatcher(engine, services, allRoutes([...pactOperations, ...(options.extraRoutes ?? [])]), {
    validateResponses: options.validateResponses ?? false,
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    controlLoopbackOnly: options.controlLoopbackOnly ?? true,
    trustProxy: options.trustProxy ?? false,
    rateLimits: options.rateLimits ?? true,
    ...(options.viewCache === false ? { viewCache: false } : {}),
    ...(options.observe ? { observe: options.observe } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { engine, services, dispatcher, close: () => engine.close() };
}
