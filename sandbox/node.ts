/** inkasso-sandbox/node: the HTTP server, the lowdb store and the in-process fetch. */
export { startServer, createSandbox, type Sandbox, type RunningServer, type SandboxOptions } from './server.js';
export { assembleSandbox } from './assemble.js';
export { LowdbStore } from './storage/lowdb-store.js';
export { PgStore } from './storage/pg-store.js';
export { dispatcherFetch } from './http/fetch.js';
