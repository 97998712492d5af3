/** Control API: client worlds, their integrations, settings, clock, snapshots, export and import. */
import { Type } from '@sinclair/typebox';
import { operation, type Operation } from '../core/types.js';
import * as S from '../../../contracts/schemas/control.js';
import { ACTORS } from '../../domain/context.js';
import { reject } from '../../domain/errors.js';
import { addIntegration, updateIntegration } from '../../domain/commands/integrations.js';
import { TAGS, problems, conflictProblem, ok, noContent, read, userWrite, applySettings } from './common.js';
import { clientView, clockView, eventView, integrationView, settingsView } from './views.js';
import { formatLocalInstant } from '../../domain/time.js';
import { localDate } from '../../domain/time.js';
import { endpointsFor } from '../core/hosts.js';

function checkTimeZone(tz: string | undefined): void {
  if (tz === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw reject.invalid('timeZone', `'${tz}' is not an IANA time zone (e.g. Europe/Oslo)`);
  }
}

const ExportView = Type.Object({ format: Type.Literal('inkasso-sandbox.world'), formatVersion: Type.Literal(1), exportedAt: Type.String(), checksum: Type.String(), world: Type.Unknown() });

export const clientOperations: Operation[] = [
  operation({
    operationId: 'createClient',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients',
    summary: 'Create a client world with its own clock (and, by default, one debt-collection integration with keys)',
    tags: TAGS.clients,
    auth: 'control',
    body: S.ClientInput,
    responses: { 201: { description: 'the new client, with the keys its integrations authenticate with', schema: S.ClientView }, ...problems, ...conflictProblem },
    async handle({ body, request }, ctx) {
      checkTimeZone(body.timeZone);
      if (body.scenario) {
        if (!ctx.services.scenarios) throw reject.invalid('scenario', 'cannot be loaded: this sandbox runs without the scenario catalogue');
        if (body.settings || body.integrations || body.timeZone) throw reject.invalid('scenario', 'comes with its own settings and integrations; drop settings, integrations and timeZone');
        const view = await ctx.services.scenarios.createClient(body.scenario, { ...(body.id ? { id: body.id } : {}), ...(body.name ? { name: body.name } : {}), ...(body.startDate ? { startDate: body.startDate } : {}) });
        return ok(S.ClientView, { ...view, endpoints: endpointsFor(request) }, 201);
      }
      const world = await ctx.engine.createClient({
        ...(body.id ? { id: body.id } : {}),
        ...(body.name ? { name: body.name } : {}),
        ...(body.startDate ? { startDate: body.startDate } : {}),
        ...(body.timeZone ? { timeZone: body.timeZone } : {}),
        ...(body.integrations ? { integrations: body.integrations } : {}),
        setup: (c) => {
          if (body.settings) applySettings(c, body.settings);
        },
      });
      return ok(S.ClientView, clientView(world, endpointsFor(request)), 201);
    },
  }),
  operation({
    operationId: 'listClients',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients',
    summary: 'Every client world, and those set aside because their files are damaged',
    tags: TAGS.clients,
    auth: 'control',
    responses: { 200: { description: 'clients', schema: S.ClientListView }, ...problems },
    async handle(_, ctx) {
      const clients = await ctx.engine.listClients();
      const damaged = ctx.engine.damaged.map((d) => ({ id: d.id, file: d.source, reason: d.reason }));
      return ok(S.ClientListView, { clients: clients.map((c) => ({ id: c.id, name: c.name, createdAt: c.createdAt })), damaged });
    },
  }),
  operation({
    operationId: 'importClient',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/import',
    summary: 'Import an exported world as a new client (to share a bug reproduction); integrations get new keys',
    tags: TAGS.clients,
    auth: 'control',
    body: S.ImportInput,
    responses: { 201: { description: 'the imported client', schema: S.ClientView }, ...problems, ...conflictProblem },
    async handle({ body, request }, ctx) {
      const world = await ctx.engine.importWorld(body.export, { ...(body.id ? { id: body.id } : {}), ...(body.name ? { name: body.name } : {}) });
      return ok(S.ClientView, clientView(world, endpointsFor(request)), 201);
    },
  }),
  operation({
    operationId: 'getClient',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}',
    summary: 'A client: clock, integrations (with keys), settings, counts',
    tags: TAGS.clients,
    auth: 'control',
    params: S.ClientParams,
    responses: { 200: { description: 'the client', schema: S.ClientView }, ...problems },
    handle: async ({ params, request }, ctx) => ok(S.ClientView, await read(ctx, params.clientId, (w) => clientView(w, endpointsFor(request)))),
  }),
  operation({
    operationId: 'deleteClient',
    face: 'control',
    method: 'DELETE',
    path: '/_sandbox/clients/{clientId}',
    summary: 'Drop a client world and its snapshots',
    tags: TAGS.clients,
    auth: 'control',
    params: S.ClientParams,
    responses: { 204: { description: 'deleted' }, ...problems },
    async handle({ params }, ctx) {
      await ctx.engine.deleteClient(params.clientId);
      ctx.services.journal.forget(params.clientId);
      return noContent();
    },
  }),
  operation({
    operationId: 'deleteClientsByPrefix',
    face: 'control',
    method: 'DELETE',
    path: '/_sandbox/clients',
    summary: 'Drop every client whose id starts with a prefix (clean up after a test run)',
    description: 'The prefix is required and may not be empty, so one call cannot drop every client by mistake.',
    tags: TAGS.clients,
    auth: 'control',
    query: S.DeleteClientsQuery,
    responses: { 200: { description: 'the ids deleted', schema: S.DeletedClientsView }, ...problems },
    async handle({ query }, ctx) {
      const deleted: string[] = [];
      for (const c of await ctx.engine.listClients()) {
        if (!c.id.startsWith(query.prefix)) continue;
        await ctx.engine.deleteClient(c.id);
        ctx.services.journal.forget(c.id);
        deleted.push(c.id);
      }
      return ok(S.DeletedClientsView, { deleted });
    },
  }),
  operation({
    operationId: 'addIntegration',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/integrations',
    summary: 'Add an integration (debt collection or factoring; the two exclude each other)',
    tags: TAGS.clients,
    auth: 'control',
    params: S.ClientParams,
    body: S.IntegrationInput,
    responses: { 201: { description: 'the integration with its keys', schema: S.IntegrationView }, ...problems, ...conflictProblem },
    async handle({ params, body }, ctx) {
      const keys = ctx.engine.keysFor(body, '');
      const view = await userWrite(ctx, params.clientId, (c) => {
        const i = addIntegration(c, {
          name: body.name,
          kind: body.kind ?? 'debtCollection',
          keys,
          ...(body.canCreateNewCases !== undefined ? { canCreateNewCases: body.canCreateNewCases } : {}),
          ...(body.rights ? { rights: body.rights } : {}),
        });
        return integrationView(c.world, i);
      });
      return ok(S.IntegrationView, view, 201);
    },
  }),
  operation({
    operationId: 'changeIntegration',
    face: 'control',
    method: 'PATCH',
    path: '/_sandbox/clients/{clientId}/integrations/{integrationId}',
    summary: 'Switch "may create new cases" (taking it from the one that had it), privileges, auto-approve',
    tags: TAGS.clients,
    auth: 'control',
    params: S.withClient({ integrationId: Type.String({ maxLength: 64 }) }),
    body: S.IntegrationChangeInput,
    responses: { 200: { description: 'the integration', schema: S.IntegrationView }, ...problems, ...conflictProblem },
    handle: async ({ params, body }, ctx) =>
      ok(S.IntegrationView, await userWrite(ctx, params.clientId, (c) => integrationView(c.world, updateIntegration(c, params.integrationId, body, 'integrationId')))),
  }),
  operation({
    operationId: 'getSettings',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}/settings',
    summary: 'Reminder settings, minimum amount, draft delay, rates and the sandbox options',
    tags: TAGS.clients,
    auth: 'control',
    params: S.ClientParams,
    responses: { 200: { description: 'settings', schema: S.SettingsView }, ...problems },
    handle: async ({ params }, ctx) => ok(S.SettingsView, await read(ctx, params.clientId, settingsView)),
  }),
  operation({
    operationId: 'changeSettings',
    face: 'control',
    method: 'PUT',
    path: '/_sandbox/clients/{clientId}/settings',
    summary: 'Change settings (send only what changes): reminder steps, minimum amount, draft delay, auto-approve, who may create cases',
    description: 'Every invoice is rescheduled against the new settings; a step or draft day already past happens now.',
    tags: TAGS.clients,
    auth: 'control',
    params: S.ClientParams,
    body: S.SettingsInput,
    responses: { 200: { description: 'the settings now', schema: S.SettingsView }, ...problems, ...conflictProblem },
    handle: async ({ params, body }, ctx) =>
      ok(S.SettingsView, await userWrite(ctx, params.clientId, (c) => (applySettings(c, body), c.world)).then(settingsView)),
  }),
  operation({
    operationId: 'getClock',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}/clock',
    summary: "The client's clock (frozen until advanced)",
    tags: TAGS.clock,
    auth: 'control',
    params: S.ClientParams,
    responses: { 200: { description: 'now and today', schema: S.ClockView }, ...problems },
    handle: async ({ params }, ctx) => ok(S.ClockView, await read(ctx, params.clientId, clockView)),
  }),
  operation({
    operationId: 'advanceClock',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/clock/advance',
    summary: 'Move the clock forward ({days, hours, minutes} or {to}); every rule due on the way runs, in time order',
    description: '`to` as a date means 08:00 local that day. Forward only: going back is restoring a snapshot.',
    tags: TAGS.clock,
    auth: 'control',
    params: S.ClientParams,
    query: S.AdvanceQuery,
    body: S.AdvanceInput,
    responses: { 200: { description: 'the new time and the events the advance caused (with ?summary=true: counts per type and the first events)', schema: S.AdvanceView }, ...problems, ...conflictProblem },
    async handle({ params, query, body }, ctx) {
      const result = await ctx.engine.advance(params.clientId, ACTORS.sandbox, body);
      const first = query.summary ? (query.first ?? 20) : undefined;
      return ok(
        S.AdvanceView,
        await read(ctx, params.clientId, (world) => {
          const shown = first === undefined ? result.events : result.events.slice(0, first);
          const view = {
            from: formatLocalInstant(result.from, world.timeZone),
            now: formatLocalInstant(result.to, world.timeZone),
            today: localDate(result.to, world.timeZone),
            events: shown.map((e) => eventView(world, e)),
          };
          if (first === undefined) return view;
          const byType: Record<string, number> = {};
          for (const e of result.events) byType[e.type] = (byType[e.type] ?? 0) + 1;
          return { ...view, summary: { eventCount: result.events.length, byType, firstEvents: shown.length } };
        }),
      );
    },
  }),
  operation({
    operationId: 'saveSnapshot',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/snapshots',
    summary: 'Save the whole world under a name (saving again under a name replaces it)',
    tags: TAGS.clock,
    auth: 'control',
    params: S.ClientParams,
    body: S.SnapshotInput,
    responses: { 201: { description: 'the snapshot', schema: S.SnapshotView }, ...problems },
    async handle({ params, body }, ctx) {
      const info = await ctx.engine.saveSnapshot(params.clientId, body.name);
      return ok(S.SnapshotView, await read(ctx, params.clientId, (w) => ({ ...info, clock: formatLocalInstant(info.clock, w.timeZone) })), 201);
    },
  }),
  operation({
    operationId: 'listSnapshots',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}/snapshots',
    summary: "The client's snapshots",
    tags: TAGS.clock,
    auth: 'control',
    params: S.ClientParams,
    responses: { 200: { description: 'snapshots', schema: S.SnapshotListView }, ...problems },
    async handle({ params }, ctx) {
      const list = await ctx.engine.listSnapshots(params.clientId);
      return ok(S.SnapshotListView, await read(ctx, params.clientId, (w) => ({ snapshots: list.map((s) => ({ ...s, clock: formatLocalInstant(s.clock, w.timeZone) })) })));
    },
  }),
  operation({
    operationId: 'restoreSnapshot',
    face: 'control',
    method: 'POST',
    path: '/_sandbox/clients/{clientId}/snapshots/{name}/restore',
    summary: 'Rewind the whole world to a snapshot (the only way time goes back)',
    tags: TAGS.clock,
    auth: 'control',
    params: S.SnapshotParams,
    responses: { 200: { description: 'the client as restored', schema: S.ClientView }, ...problems },
    async handle({ params, request }, ctx) {
      const world = await ctx.engine.restoreSnapshot(params.clientId, params.name);
      return ok(S.ClientView, clientView(world, endpointsFor(request)));
    },
  }),
  operation({
    operationId: 'deleteSnapshot',
    face: 'control',
    method: 'DELETE',
    path: '/_sandbox/clients/{clientId}/snapshots/{name}',
    summary: 'Delete a snapshot',
    tags: TAGS.clock,
    auth: 'control',
    params: S.SnapshotParams,
    responses: { 204: { description: 'deleted' }, ...problems },
    async handle({ params }, ctx) {
      await ctx.engine.deleteSnapshot(params.clientId, params.name);
      return noContent();
    },
  }),
  operation({
    operationId: 'exportClient',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/clients/{clientId}/export',
    summary: 'The whole world as a JSON file with a checksum (import it elsewhere to share a reproduction)',
    tags: TAGS.clients,
    auth: 'control',
    params: S.ClientParams,
    responses: { 200: { description: 'the export', schema: ExportView }, ...problems },
    async handle({ params }, ctx) {
      const file = await ctx.engine.exportWorld(params.clientId);
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${params.clientId}.world.json"` }, body: file };
    },
  }),
];
