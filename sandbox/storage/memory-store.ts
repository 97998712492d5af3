/** Worlds in memory: for tests, msw mode and `--memory`. Snapshots are copies that share the frozen journal and vouchers. */
import type { World } from '../domain/model.js';
import { copyWorld } from './world-copy.js';
import { assertSafeName, snapshotInfo, summaryOf, type ClientSummary, type SnapshotInfo, type WorldStore } from './world-store.js';

export class MemoryStore implements WorldStore {
  readonly kind = 'memory';
  readonly location = 'memory';
  private readonly worlds = new Map<string, World>();
  private readonly snapshots = new Map<string, Map<string, { info: SnapshotInfo; world: World }>>();

  async list(): Promise<ClientSummary[]> {
    return [...this.worlds.values()].map(summaryOf);
  }

  async load(id: string): Promise<World | undefined> {
    return this.worlds.get(id);
  }

  async save(world: World): Promise<void> {
    this.worlds.set(assertSafeName(world.id, 'client'), world);
  }

  async delete(id: string): Promise<boolean> {
    this.snapshots.delete(id);
    return this.worlds.delete(id);
  }

  async saveSnapshot(world: World, name: string, savedAt: string): Promise<SnapshotInfo> {
    assertSafeName(world.id, 'client');
    const info = snapshotInfo(world, assertSafeName(name, 'snapshot'), savedAt);
    let forClient = this.snapshots.get(world.id);
    if (!forClient) this.snapshots.set(world.id, (forClient = new Map()));
    forClient.set(name, { info, world: copyWorld(world) });
    return info;
  }

  async loadSnapshot(clientId: string, name: string): Promise<World | undefined> {
    const found = this.snapshots.get(clientId)?.get(name);
    return found ? copyWorld(found.world) : undefined;
  }

  async listSnapshots(clientId: string): Promise<SnapshotInfo[]> {
    return [...(this.snapshots.get(clientId)?.values() ?? [])].map((s) => s.info);
  }

  async deleteSnapshot(clientId: string, name: string): Promise<boolean> {
    return this.snapshots.get(clientId)?.delete(name) ?? false;
  }

  async close(): Promise<void> {}
}
