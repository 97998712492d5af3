/**
 * Operations from the route table: a face's factory (controlOp, v1Op, v2Op) takes an operationId, finds its method,
 * path and schemas in contracts/routes.ts, and adds the face's defaults (auth, standard problems, the form of the
 * success answer). The success schema is stated once, in the route, and types what `handle` returns.
 */
import type { TSchema } from '@sinclair/typebox';
import {
  ROUTES,
  type BodyOf,
  type OperationId,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
  type Route,
} from '../../../contracts/routes.js';
import type { Operation, OperationInput, RequestContext, ResponseSpec, SandboxResponse } from './types.js';

const IDS = new Map<Route, OperationId>(Object.entries(ROUTES).map(([id, route]) => [route, id as OperationId]));

/** A route's operationId: its key in the table. */
export function idOf(route: Route): OperationId {
  const id = IDS.get(route);
  if (!id) throw new Error(`internal: ${route.method} ${route.path} is not in the route table`);
  return id;
}
export type InputOf<R extends Route> = OperationInput<ParamsOf<R>, QueryOf<R>, BodyOf<R>>;
type Maybe<T> = Promise<T> | T;

interface SpecBase {
  summary: string;
  description?: string;
  tags: string[];
  /** What the success answer holds, for the docs. */
  answers: string;
  /** Answers beyond the face's standard ones (a 409, another success status). */
  responses?: Record<number, ResponseSpec>;
  /** The success answer's media type when it is not JSON (a PDF). */
  contentType?: string;
  bodyFor?: Operation['bodyFor'];
  bodyType?: Operation['bodyType'];
  bodyQuery?: Operation['bodyQuery'];
}

/** `handle` answers the route's success body (JSON, the route's status); `respond` builds the whole answer itself. */
export interface OpSpec<R extends Route> extends SpecBase {
  handle?(input: InputOf<R>, ctx: RequestContext): Maybe<ResponseOf<R>>;
  respond?(input: InputOf<R>, ctx: RequestContext): Maybe<SandboxResponse>;
}

interface Loose {
  handle?: (input: InputOf<Route>, ctx: RequestContext) => Maybe<unknown>;
  respond?: (input: InputOf<Route>, ctx: RequestContext) => Maybe<SandboxResponse>;
}

export interface FaceDefaults {
  face: Route['face'];
  auth: Operation['auth'];
  /** The error answers every operation of the face may give. */
  problems: Record<number, ResponseSpec>;
  /** The documented success answers for a route (default: its status with its schema). */
  success?: (route: Route, answers: string, contentType: string | undefined) => Record<number, ResponseSpec>;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/** A JSON answer. */
export function json(status: number, body: unknown): SandboxResponse {
  return body === undefined ? { status } : { status, headers: { ...JSON_TYPE }, body };
}

/** The route's status with its schema; a bodiless answer other than 204 says it has no body (`empty`). */
export function plainSuccess(route: Route, answers: string, contentType: string | undefined): Record<number, ResponseSpec> {
  const empty = !route.response && !contentType && route.status !== 204;
  return {
    [route.status]: {
      description: answers,
      ...(route.response ? { schema: route.response } : {}),
      ...(contentType ? { contentType } : {}),
      ...(empty ? { empty: true } : {}),
    },
  };
}

export function opFactory(defaults: FaceDefaults) {
  return <P extends TSchema | undefined, Q extends TSchema | undefined, B extends TSchema | undefined, A extends TSchema | undefined>(
    route: Route<P, Q, B, A>,
    spec: OpSpec<Route<P, Q, B, A>>,
  ): Operation => {
    const operationId = idOf(route);
    if (route.face !== defaults.face) throw new Error(`internal: ${operationId} is a ${route.face} route, not ${defaults.face}`);
    const { summary, description, tags, answers, responses, contentType, bodyFor, bodyType, bodyQuery } = spec;
    const success = (defaults.success ?? plainSuccess)(route, answers, contentType);
    // The spec was checked against its route above; from here on one shape serves every route.
    const { handle: answer, respond } = spec as unknown as Loose;
    if (!answer === !respond) throw new Error(`internal: ${operationId} needs handle or respond, not both`);
    const handle = respond ?? (async (input: InputOf<Route>, ctx: RequestContext) => json(route.status, await answer!(input, ctx)));
    return {
      operationId,
      face: route.face,
      method: route.method,
      path: route.path,
      summary,
      ...(description ? { description } : {}),
      tags,
      auth: defaults.auth,
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body ? { body: route.body } : {}),
      ...(bodyFor ? { bodyFor } : {}),
      ...(bodyType ? { bodyType } : {}),
      ...(bodyQuery ? { bodyQuery } : {}),
      responses: { ...success, ...defaults.problems, ...responses },
      handle,
    };
  };
}
