/** Running agency requests against the caller's own client world, with its privileges checked. */
import type { Integration, World } from '../../domain/model.js';
import type { CommandContext } from '../../domain/context.js';
import { ACTORS } from '../../domain/context.js';
import { reject } from '../../domain/errors.js';
import type { RequestContext } from '../core/types.js';
import type { ClientAccess, Engine } from '../../engine.js';

export function callerOf(ctx: RequestContext) {
  if (!ctx.caller) throw new Error('internal: agency operation without a caller');
  return ctx.caller;
}

/** The integration an agency call acts as, with its DebtCollection privilege checked. */
export function integrationIn(world: World, integrationId: string): Integration {
  const integration = world.integrations.find((i) => i.id === integrationId);
  if (!integration) throw reject.forbidden('the integration of this token no longer exists', { privilege: true });
  if (!integration.rights.read)
    throw reject.forbidden('Unauthorized access: the integration lacks the DebtCollection privilege', { privilege: true });
  return integration;
}

/** The caller's world: through the request's hold of it (the dispatcher's one access per request), else the engine. */
function accessOf(ctx: RequestContext, clientId: string): Pick<ClientAccess, 'read' | 'write'> {
  if (ctx.access?.clientId === clientId) return ctx.access;
  return {
    read: (query) => ctx.engine.read(clientId, query),
    write: (actor, command) => ctx.engine.write(clientId, actor, command),
  };
}

export function agencyRead<T>(ctx: RequestContext, query: (world: World, integration: Integration) => T): Promise<T> {
  const caller = callerOf(ctx);
  return accessOf(ctx, caller.clientId).read((world) => query(world, integrationIn(world, caller.integrationId)));
}

export function agencyWrite<T>(ctx: RequestContext, command: (c: CommandContext, integration: Integration) => T): Promise<T> {
  const caller = callerOf(ctx);
  return writeThrough(accessOf(ctx, caller.clientId), caller.integrationId, command);
}

/** An agency write as an integration, with its DebtCollection_Full privilege checked (the faces and the scenario runner). */
export function writeAsAgency<T>(
  engine: Engine,
  clientId: string,
  integrationId: string,
  command: (c: CommandContext, integration: Integration) => T,
): Promise<T> {
  return writeThrough({ write: (actor, c) => engine.write(clientId, actor, c) }, integrationId, command);
}

async function writeThrough<T>(
  access: Pick<ClientAccess, 'write'>,
  integrationId: string,
  command: (c: CommandContext, integration: Integration) => T,
): Promise<T> {
  const { result } = await access.write(ACTORS.agency(integrationId), (c) => {
    const integration = integrationIn(c.world, integrationId);
    if (!integration.rights.write)
      throw reject.forbidden('Unauthorized access: the integration lacks the DebtCollection_Full privilege', { privilege: true });
    return command(c, integration);
  });
  return result;
}
