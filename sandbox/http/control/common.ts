/** Shared pieces of the control API: running ERP-user commands, converting inputs, answering JSON. */
import type { Static } from '@sinclair/typebox';
import type { CommandContext } from '../../domain/context.js';
import { ACTORS } from '../../domain/context.js';
import type { World } from '../../domain/model.js';
import type { RequestContext } from '../core/types.js';
import { opFactory } from '../core/route-op.js';
import type { SettingsChange } from '../../domain/commands/settings.js';
import { changeSettings } from '../../domain/commands/settings.js';
import { toOre } from '../../domain/money.js';
import { ProblemDetails } from '../../../contracts/schemas/common.js';
import type { SettingsInput } from '../../../contracts/schemas/control.js';

export const TAGS = {
  clients: ['Control: clients'],
  clock: ['Control: clock and time travel'],
  erp: ['Control: ERP user'],
  collection: ['Control: Inkasso menu'],
  ledger: ['Control: ledger'],
  journal: ['Control: journal'],
};

/** Error responses every control operation may give. */
export const problems = {
  400: { description: 'Invalid request: `errors` names each field and why', schema: ProblemDetails },
  401: { description: 'Admin token required', schema: ProblemDetails },
  403: { description: 'Not allowed from this address', schema: ProblemDetails },
  404: { description: 'Unknown client or id', schema: ProblemDetails },
  500: { description: 'Internal error', schema: ProblemDetails },
};
export const conflictProblem = {
  409: { description: 'Not allowed in the current state: `currentState` and `allowed` say why', schema: ProblemDetails },
};

/** A control operation: admin-token auth and the standard problems; method, path and schemas from the route table. */
export const controlOp = opFactory({ face: 'control', auth: 'control', problems });

/** Run an ERP-user action on a client and answer from the world it leaves. */
export async function userWrite<T>(ctx: RequestContext, clientId: string, command: (c: CommandContext) => T): Promise<T> {
  return (await ctx.engine.write(clientId, ACTORS.erpUser, command)).result;
}

/** Run an ERP-user action and answer from the world it leaves, read under the same lock. */
export function userWriteView<T, V>(
  ctx: RequestContext,
  clientId: string,
  command: (c: CommandContext) => T,
  view: (world: World, result: T) => V,
): Promise<V> {
  return ctx.engine.writeAndView(clientId, ACTORS.erpUser, command, view);
}

export function read<T>(ctx: RequestContext, clientId: string, query: (world: World) => T): Promise<T> {
  return ctx.engine.read(clientId, query);
}

/** A handle that runs an ERP-user action on the client its path names and answers what the action returns. */
export const writing =
  <I extends { params: { clientId: string } }, T>(act: (c: CommandContext, input: I) => T) =>
  (input: I, ctx: RequestContext): Promise<T> =>
    userWrite(ctx, input.params.clientId, (c) => act(c, input));

/** A handle that answers from a read of the world of the client its path names. */
export const reading =
  <I extends { params: { clientId: string } }, T>(view: (world: World, input: I) => T) =>
  (input: I, ctx: RequestContext): Promise<T> =>
    read(ctx, input.params.clientId, (w) => view(w, input));

/** Øre from a control-API NOK amount (the one conversion, in domain/money.ts). */
export const ore = (nok: number) => toOre(nok);

/** Control-API settings -> the domain's change (øre, basis points). */
export function settingsChange(input: Static<typeof SettingsInput>): SettingsChange {
  const change: SettingsChange = {};
  const steps = input.reminderSteps;
  if (steps) {
    change.reminderSteps = {};
    if (steps.friendlyReminder) change.reminderSteps.friendlyReminder = { ...steps.friendlyReminder };
    for (const k of ['paymentReminder', 'collectionNotice'] as const) {
      const s = steps[k];
      if (s) {
        const { fee, ...rest } = s;
        change.reminderSteps[k] = { ...rest, ...(fee !== undefined ? { fee: ore(fee) } : {}) };
      }
    }
  }
  if (input.minimumAmount !== undefined) change.minimumAmount = ore(input.minimumAmount);
  if (input.draftDaysWithoutReminders !== undefined) change.draftDaysWithoutReminders = input.draftDaysWithoutReminders;
  if (input.enumFormat !== undefined) change.enumFormat = input.enumFormat;
  if (input.v1ErrorStatuses !== undefined) change.v1ErrorStatuses = input.v1ErrorStatuses;
  if (input.v1StatusTextCloses !== undefined) change.v1StatusTextCloses = input.v1StatusTextCloses;
  if (input.v1DeleteBody !== undefined) change.v1DeleteBody = input.v1DeleteBody;
  if (input.v1MergeCasesId !== undefined) change.v1MergeCasesId = input.v1MergeCasesId;
  if (input.tokenLifetimeSeconds !== undefined) change.tokenLifetimeSeconds = input.tokenLifetimeSeconds;
  if (input.v1TokenLifetimeSeconds !== undefined) change.v1TokenLifetimeSeconds = input.v1TokenLifetimeSeconds;
  if (input.v1RefreshTokens !== undefined) change.v1RefreshTokens = input.v1RefreshTokens;
  if (input.lateInterestRates)
    change.lateInterestRates = input.lateInterestRates.map((r) => ({
      from: r.from,
      basisPoints: Math.round(r.percent * 100),
      source: r.source ?? 'client override',
      verified: false,
    }));
  if (input.inkassosats)
    change.inkassosats = input.inkassosats.map((r) => ({
      from: r.from,
      ore: ore(r.amount),
      source: r.source ?? 'client override',
      verified: false,
    }));
  if (input.rateLimits) change.rateLimits = input.rateLimits as NonNullable<SettingsChange['rateLimits']>;
  if (input.v2Wire) change.v2Wire = input.v2Wire as NonNullable<SettingsChange['v2Wire']>;
  if (input.paymentMatching) change.paymentMatching = input.paymentMatching as NonNullable<SettingsChange['paymentMatching']>;
  return change;
}

/** Apply a settings request: the client's settings plus the integration switches it names (the domain checks all first). */
export function applySettings(c: CommandContext, input: Static<typeof SettingsInput>): void {
  changeSettings(c, settingsChange(input), {
    ...(input.caseCreatingIntegrationId ? { caseCreatingIntegrationId: input.caseCreatingIntegrationId } : {}),
    ...(input.autoApprove ? { autoApprove: input.autoApprove } : {}),
  });
}
