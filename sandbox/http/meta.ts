/** The sandbox's own front door: what it is and where things are, and the OpenAPI document. */
import { Type } from '@sinclair/typebox';
import { metaOperation, type Operation } from './core/types.js';
import { openApiDocument } from '../../contracts/openapi.js';
import { SANDBOX_VERSION } from '../version.js';

const Info = Type.Object({
  name: Type.String(),
  version: Type.String(),
  store: Type.String(),
  clients: Type.Integer(),
  links: Type.Record(Type.String(), Type.String()),
});

export function metaOperations(all: () => Operation[]): Operation[] {
  let document: unknown;
  const info = metaOperation({
    operationId: 'sandboxInfo',
    path: '/_sandbox',
    summary: 'What this sandbox is, and where to start',
    responses: { 200: { description: 'info', schema: Info } },
    async handle(_, ctx) {
      return {
        status: 200,
        body: {
          name: 'inkasso-sandbox',
          version: SANDBOX_VERSION,
          store: ctx.engine.store.location,
          clients: (await ctx.engine.listClients()).length,
          links: {
            openapi: '/openapi.json',
            clients: '/_sandbox/clients',
            scenarios: '/_sandbox/scenarios',
            v1: '/api.poweroffice.net',
            v1Token: '/api.poweroffice.net/OAuth/Token',
            v2: '/goapi.poweroffice.net/v2',
            v2Token: '/goapi.poweroffice.net/OAuth/Token',
          },
        },
      };
    },
  });
  return [
    info,
    { ...info, operationId: 'root', path: '/', summary: 'Same as /_sandbox' },
    metaOperation({
      operationId: 'openApi',
      path: '/openapi.json',
      summary: 'The OpenAPI 3.1 document of every endpoint',
      responses: { 200: { description: 'OpenAPI 3.1' } },
      handle: () => ({ status: 200, body: (document ??= openApiDocument(all(), { version: SANDBOX_VERSION })) }),
    }),
  ];
}
