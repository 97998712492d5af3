/**
 * inkasso-sandbox: the engine and the domain, with no HTTP and no file system. For the server use
 * inkasso-sandbox/node; for tests, inkasso-sandbox/sdk and inkasso-sandbox/msw.
 */
export { Engine, QUIET_LOGGER, type EngineOptions, type Logger, type NewClient, type WorldExport } from './engine.js';
export { MemoryStore } from './storage/memory-store.js';
export type { WorldStore, ClientSummary, SnapshotInfo } from './storage/world-store.js';
export type * from './domain/model.js';
export { ACTORS } from './domain/context.js';
export { DomainRejection } from './domain/errors.js';
export { invariantBreaches } from './domain/invariants.js';
export { SANDBOX_VERSION } from './version.js';
