/**
 * Shared pieces of the stores: client summaries, snapshot summaries and safe names. The contract every adapter
 * (memory, file, PostgreSQL) keeps is in store.ts; one contract test suite runs against every adapter.
 */
import type { World } from '../domain/model.js';

export interface CredentialSummary {
  integrationId: string;
  applicationKey: string;
  clientKey: string;
  subscriptionKey: string;
}

export interface ClientSummary {
  id: string;
  name: string;
  createdAt: string;
  credentials: CredentialSummary[];
}

export interface SnapshotInfo {
  name: string;
  /** The client's sandbox time when the snapshot was taken. */
  clock: string;
  /** Journal length at the snapshot. */
  events: number;
  invoices: number;
  savedAt: string;
}

export type { WorldStore } from './store.js';

export function summaryOf(world: World): ClientSummary {
  return {
    id: world.id,
    name: world.name,
    createdAt: world.createdAt,
    credentials: world.integrations.map((i) => ({
      integrationId: i.id,
      applicationKey: i.applicationKey,
      clientKey: i.clientKey,
      subscriptionKey: i.subscriptionKey,
    })),
  };
}

export function snapshotInfo(world: World, name: string, savedAt: string): SnapshotInfo {
  return { name, clock: world.clock.now, events: world.events.length, invoices: Object.keys(world.invoices).length, savedAt };
}

/** Client ids and snapshot names become file names: keep them to a safe alphabet (no path traversal). */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name) && !name.includes('..');
}

/** Refuse an unsafe client id or snapshot name (every adapter, so they keep one contract). */
export function assertSafeName(name: string, what: string): string {
  if (!isSafeName(name)) throw new Error(`unsafe ${what} name: ${JSON.stringify(name)}`);
  return name;
}
