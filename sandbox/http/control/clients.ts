/** Control API: client worlds, their integrations, settings, clock, snapshots, export and import. */
import type { Operation } from '../core/types.js';
import * as S from '../../../contracts/schemas/control.js';
import { ACTORS } from '../../domain/context.js';
import { reject } from '../../domain/errors.js';
import { addIntegration, integrationFrom, updateIntegration } from '../../domain/commands/integrations.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { controlOp } from './common.js';
import { TAGS, conflictProblem, read, userWrite, userWriteView, applySettings } from './common.js';
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

export const clientOperations: Operation[] = [
  controlOp(R.createClient, {
    summary: 'Create a client world with its own clock (and, by default, one debt-collection integration with keys)',
    tags: TAGS.clients,
    answers: 'the new client, with the keys its integrations authenticate with',
    responses: conflictProblem,
    async handle({ body, request }, ctx) {
      checkTimeZone(body.timeZone);
      if (body.scenario) {
        if (!ctx.services.scenarios)
          throw reject.invalid('scenario', 'cannot be loaded: this sandbox runs without the scenario catalogue');
        if (body.settings || body.integrations || body.timeZone)
          throw reject.invalid('scenario', 'comes with its own settings and integrations; drop settings, integrations and timeZone');
        const { id } = await ctx.services.scenarios.createClient(body.scenario, {
          ...(body.id ? { id: body.id } : {}),
          ...(body.name ? { name: body.name } : {}),
          ...(body.startDate ? { startDate: body.startDate } : {}),
        });
        // The links as this caller addressed the sandbox.
        return read(ctx, id, (w) => clientView(w, endpointsFor(request)));
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
      return clientView(world, endpointsFor(request));
    },
  }),
  controlOp(R.listClients, {
    summary: 'Every client world, and those set aside because their files are damaged',
    tags: TAGS.clients,
    answers: 'clients',
    async handle(_, ctx) {
      const clients = await ctx.engine.listClients();
      const damaged = ctx.engine.damaged.map((d) => ({ id: d.id, file: d.source, reason: d.reason }));
      return { clients: clients.map((c) => ({ id: c.id, name: c.name, createdAt: c.createdAt })), damaged };
    },
  }),
  controlOp(R.importClient, {
    summary: 'Import an exported world as a new client (to share a bug reproduction); integrations get new keys',
    tags: TAGS.clients,
    answers: 'the imported client',
    responses: conflictProblem,
    async handle({ body, request }, ctx) {
      const world = await ctx.engine.importWorld(body.export, {
        ...(body.id ? { id: body.id } : {}),
        ...(body.name ? { name: body.name } : {}),
      });
      return clientView(world, endpointsFor(request));
    },
  }),
  controlOp(R.getClient, {
    summary: 'A client: clock, integrations (with keys), settings, counts',
    tags: TAGS.clients,
    answers: 'the client',
    handle: async ({ params, request }, ctx) => read(ctx, params.clientId, (w) => clientView(w, endpointsFor(request))),
  }),
  controlOp(R.deleteClient, {
    summary: 'Drop a client world and its snapshots',
    tags: TAGS.clients,
    answers: 'deleted',
    async handle({ params }, ctx) {
      await ctx.engine.deleteClient(params.clientId);
      ctx.services.journal.forget(params.clientId);
    },
  }),
  controlOp(R.deleteClientsByPrefix, {
    summary: 'Drop every client whose id starts with a prefix (clean up after a test run)',
    description: 'The prefix is required and may not be empty, so one call cannot drop every client by mistake.',
    tags: TAGS.clients,
    answers: 'the ids deleted',
    async handle({ query }, ctx) {
      const deleted: string[] = [];
      for (const c of await ctx.engine.listClients()) {
        if (!c.id.startsWith(query.prefix)) continue;
        await ctx.engine.deleteClient(c.id);
        ctx.services.journal.forget(c.id);
        deleted.push(c.id);
      }
      return { deleted };
    },
  }),
  controlOp(R.addIntegration, {
    summary: 'Add an integration (debt collection or factoring; the two exclude each other)',
    tags: TAGS.clients,
    answers: 'the integration with its keys',
    responses: conflictProblem,
    async handle({ params, body }, ctx) {
      const keys = ctx.engine.keysFor(body, '');
      const view = await userWrite(ctx, params.clientId, (c) => {
        const i = addIntegration(c, integrationFrom(body, keys));
        return integrationView(c.world, i);
      });
      return view;
    },
  }),
  controlOp(R.changeIntegration, {
    summary: 'Switch "may create new cases" (taking it from the one that had it), privileges, auto-approve',
    tags: TAGS.clients,
    answers: 'the integration',
    responses: conflictProblem,
    handle: async ({ params, body }, ctx) =>
      await userWrite(ctx, params.clientId, (c) =>
        integrationView(c.world, updateIntegration(c, params.integrationId, body, 'integrationId')),
      ),
  }),
  controlOp(R.getSettings, {
    summary: 'Reminder settings, minimum amount, draft delay, rates and the sandbox options',
    tags: TAGS.clients,
    answers: 'settings',
    handle: async ({ params }, ctx) => read(ctx, params.clientId, settingsView),
  }),
  controlOp(R.changeSettings, {
    summary: 'Change settings (send only what changes): reminder steps, minimum amount, draft delay, auto-approve, who may create cases',
    description: 'Every invoice is rescheduled against the new settings; a step or draft day already past happens now.',
    tags: TAGS.clients,
    answers: 'the settings now',
    responses: conflictProblem,
    handle: ({ params, body }, ctx) => userWriteView(ctx, params.clientId, (c) => applySettings(c, body), settingsView),
  }),
  controlOp(R.getClock, {
    summary: "The client's clock (frozen until advanced)",
    tags: TAGS.clock,
    answers: 'now and today',
    handle: async ({ params }, ctx) => read(ctx, params.clientId, clockView),
  }),
  controlOp(R.advanceClock, {
    summary: 'Move the clock forward ({days, hours, minutes} or {to}); every rule due on the way runs, in time order',
    description: '`to` as a date means 08:00 local that day. Forward only: going back is restoring a snapshot.',
    tags: TAGS.clock,
    answers: 'the new time and the events the advance caused (with ?summary=true: counts per type and the first events)',
    responses: conflictProblem,
    handle({ params, query, body }, ctx) {
      const first = query.summary ? (query.first ?? 20) : undefined;
      return ctx.engine.advanceAndView(params.clientId, ACTORS.sandbox, body, (world, result) => {
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
      });
    },
  }),
  controlOp(R.saveSnapshot, {
    summary: 'Save the whole world under a name (saving again under a name replaces it)',
    tags: TAGS.clock,
    answers: 'the snapshot',
    async handle({ params, body }, ctx) {
      const info = await ctx.engine.saveSnapshot(params.clientId, body.name);
      return await read(ctx, params.clientId, (w) => ({ ...info, clock: formatLocalInstant(info.clock, w.timeZone) }));
    },
  }),
  controlOp(R.listSnapshots, {
    summary: "The client's snapshots",
    tags: TAGS.clock,
    answers: 'snapshots',
    async handle({ params }, ctx) {
      const list = await ctx.engine.listSnapshots(params.clientId);
      return await read(ctx, params.clientId, (w) => ({
        snapshots: list.map((s) => ({ ...s, clock: formatLocalInstant(s.clock, w.timeZone) })),
      }));
    },
  }),
  controlOp(R.restoreSnapshot, {
    summary: 'Rewind the whole world to a snapshot (the only way time goes back)',
    tags: TAGS.clock,
    answers: 'the client as restored',
    async handle({ params, request }, ctx) {
      const world = await ctx.engine.restoreSnapshot(params.clientId, params.name);
      return clientView(world, endpointsFor(request));
    },
  }),
  controlOp(R.deleteSnapshot, {
    summary: 'Delete a snapshot',
    tags: TAGS.clock,
    answers: 'deleted',
    async handle({ params }, ctx) {
      await ctx.engine.deleteSnapshot(params.clientId, params.name);
    },
  }),
  controlOp(R.exportClient, {
    summary: 'The whole world as a JSON file with a checksum (import it elsewhere to share a reproduction)',
    tags: TAGS.clients,
    answers: 'the export',
    async respond({ params }, ctx) {
      const file = await ctx.engine.exportWorld(params.clientId);
      return {
        status: 200,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': `attachment; filename="${params.clientId}.world.json"`,
        },
        body: file,
      };
    },
  }),
];
