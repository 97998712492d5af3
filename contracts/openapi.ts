/**
 * The OpenAPI 3.1 document, generated from the route tables: the operations' own schemas are the single source,
 * so the document, the request validation and the response checks cannot disagree. Named models become
 * components (matched by object identity, so nothing is declared twice).
 */
import type { TSchema } from '@sinclair/typebox';
import type { Operation } from '../sandbox/http/core/types.js';
import * as common from './schemas/common.js';
import * as v1 from './schemas/v1.js';
import * as v2 from './schemas/v2.js';
import * as control from './schemas/control.js';
import * as seed from './schemas/seed.js';

type Json = Record<string, unknown>;

function registry(): Map<object, string> {
  const names = new Map<object, string>();
  for (const mod of [common, v1, v2, control, seed] as Array<Record<string, unknown>>) {
    for (const [name, value] of Object.entries(mod)) {
      if (value && typeof value === 'object' && (value as TSchema).type === 'object' && !names.has(value)) names.set(value, name);
    }
  }
  return names;
}

/** Plain JSON Schema with component $refs (TypeBox's symbol keys drop out). */
function convert(schema: unknown, names: Map<object, string>, used: Map<string, unknown>, root = true): unknown {
  if (Array.isArray(schema)) return schema.map((s) => convert(s, names, used, false));
  if (!schema || typeof schema !== 'object') return schema;
  const name = names.get(schema);
  if (name && !root) {
    if (!used.has(name)) {
      used.set(name, null);
      used.set(name, convert(schema, names, used, true));
    }
    return { $ref: `#/components/schemas/${name}` };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(schema))
    out[k] =
      k === 'properties' || k === 'patternProperties'
        ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, convert(s, names, used, false)]))
        : convert(v, names, used, false);
  return out;
}

function parameters(schema: TSchema | undefined, where: 'path' | 'query', names: Map<object, string>, used: Map<string, unknown>): Json[] {
  if (!schema?.properties) return [];
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  return Object.entries(schema.properties as Record<string, TSchema>).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(s.description ? { description: s.description } : {}),
    schema: convert(s, names, used, false),
  }));
}

const SECURITY: Record<Operation['auth'], Json[] | undefined> = {
  agency: [{ bearer: [], subscriptionKey: [] }],
  token: [{ basic: [] }],
  control: [{ adminToken: [] }, {}],
  none: undefined,
};

export interface DocumentInfo {
  version: string;
}

export function openApiDocument(operations: Operation[], info: DocumentInfo): Json {
  const names = registry();
  const used = new Map<string, unknown>();
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    const item = (paths[op.path] ??= {});
    const responses: Json = {};
    for (const [status, r] of Object.entries(op.responses)) {
      const type =
        r.contentType ??
        (op.face === 'control' || op.face === 'v2'
          ? Number(status) >= 400
            ? 'application/problem+json'
            : 'application/json'
          : 'application/json');
      responses[status] = {
        description: r.description,
        ...(r.schema || r.contentType ? { content: { [type]: r.schema ? { schema: convert(r.schema, names, used, false) } : {} } } : {}),
      };
    }
    item[op.method.toLowerCase()] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: op.tags ?? [],
      parameters: [...parameters(op.params, 'path', names, used), ...parameters(op.query, 'query', names, used)],
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: {
                [op.bodyType === 'form'
                  ? 'application/x-www-form-urlencoded'
                  : op.bodyType === 'multipart'
                    ? 'multipart/form-data'
                    : 'application/json']: { schema: convert(op.body, names, used, false) },
              },
            },
          }
        : {}),
      responses,
      ...(SECURITY[op.auth] ? { security: SECURITY[op.auth] } : {}),
      'x-face': op.face,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'inkasso-sandbox',
      version: info.version,
      description:
        "A stateful emulation of PowerOffice Go's debt-collection API (v1 DebtCollection, the v2 subset, OAuth) with a clock you " +
        "control, and the sandbox's own control API under /_sandbox.",
    },
    servers: [{ url: 'http://localhost:4010' }],
    paths,
    components: {
      schemas: Object.fromEntries([...used].sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'access_token from POST /OAuth/Token' },
        basic: { type: 'http', scheme: 'basic', description: 'base64(applicationKey:clientKey)' },
        subscriptionKey: { type: 'apiKey', in: 'header', name: 'Ocp-Apim-Subscription-Key', description: 'required on /v2' },
        adminToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Sandbox-Admin-Token',
          description: 'only when the server runs with --admin-token',
        },
      },
    },
  };
}
