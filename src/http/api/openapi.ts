import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Role } from '../../auth/roles';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses) of a route's 200 body. */
export type JsonSchema = Record<string, unknown>;

/**
 * A pass-through middleware that carries the route's response schema, so the document below is derived from
 * the router like the role is: `router.get(path, requireRole(r), responds(schema), handler)`.
 */
export function responds(
  schema: JsonSchema,
  query: QueryParameter[] = [],
): Middleware & { responseSchema: JsonSchema; queryParameters: QueryParameter[] } {
  return Object.assign((async (_ctx, next) => next()) as Middleware, {
    responseSchema: schema,
    queryParameters: query,
  });
}

export interface QueryParameter {
  name: string;
  in: 'query';
  description: string;
  schema: JsonSchema;
}

interface PathParameter {
  name: string;
  in: 'path';
  required: true;
  schema: { type: 'string' };
}

interface Operation {
  summary: string;
  tags: string[];
  parameters?: (PathParameter | QueryParameter)[];
  security: { bearer: [] }[];
  'x-required-role': Role | 'any';
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

/**
 * The OpenAPI 3.1 document of `/api/v1`, derived from the router itself (paths, methods, path parameters and the
 * role each route requires, and the response schema where a route declares one with `responds`), so it cannot
 * drift from what is served. Other bodies are described in the README.
 */
export function buildOpenApi(api: Router, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const layer of api.stack) {
    if (layer.methods.length === 0 || typeof layer.path !== 'string') continue;
    const raw = layer.path;
    const path = raw.replace(/:(\w+)/g, '{$1}');
    const pathParams = [...raw.matchAll(/:(\w+)/g)].map((m): PathParameter => ({
      name: m[1]!,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const gate = layer.stack.find(
      (fn): fn is typeof fn & { requiredRole: Role } =>
        typeof (fn as { requiredRole?: unknown }).requiredRole === 'string',
    );
    const role = gate?.requiredRole ?? 'any';
    const described = layer.stack.find(
      (fn): fn is typeof fn & { responseSchema: JsonSchema; queryParameters: QueryParameter[] } =>
        typeof (fn as { responseSchema?: unknown }).responseSchema === 'object',
    );
    const params: (PathParameter | QueryParameter)[] = [...pathParams, ...(described?.queryParameters ?? [])];
    const tag = path.split('/')[3] ?? 'api';
    for (const method of layer.methods) {
      if (method === 'HEAD') continue;
      (paths[path] ??= {})[method.toLowerCase()] = {
        summary: `${method} ${path}`,
        tags: [tag],
        ...(params.length ? { parameters: params } : {}),
        security: [{ bearer: [] }],
        'x-required-role': role,
        responses: {
          '200': {
            description: 'success',
            ...(described ? { content: { 'application/json': { schema: described.responseSchema } } } : {}),
          },
          '400': { description: 'bad request: { error: { code, message } }' },
          '401': { description: 'missing, invalid or revoked api key' },
          '403': { description: `role below ${role}` },
          '404': { description: 'not found' },
          '422': { description: 'validation failed' },
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Siyu admin API',
      version,
      description: 'WeChat private-domain data gateway. Errors are { error: { code, message } }.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'siyu api-key create --role admin|operator|viewer|ingest',
        },
      },
    },
    paths,
  };
}

/** `GET /api/v1/openapi.json` — public (no key), like most API descriptions. */
export function openApiRouter(api: Router, version: string): Router {
  const router = new Router();
  let doc: Record<string, unknown> | undefined;
  router.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = doc ??= buildOpenApi(api, version);
  });
  return router;
}
