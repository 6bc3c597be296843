import Router from '@koa/router';
import type { Role } from '../../auth/roles';

interface Operation {
  summary: string;
  tags: string[];
  parameters?: { name: string; in: 'path'; required: true; schema: { type: 'string' } }[];
  security: { bearer: [] }[];
  'x-required-role': Role | 'any';
  responses: Record<string, { description: string }>;
}

/**
 * The OpenAPI 3.1 document of `/api/v1`, derived from the router itself (paths, methods, path parameters and the
 * role each route requires), so it cannot drift from what is served. Bodies are described in the README.
 */
export function buildOpenApi(api: Router, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const layer of api.stack) {
    if (layer.methods.length === 0 || typeof layer.path !== 'string') continue;
    const raw = layer.path;
    const path = raw.replace(/:(\w+)/g, '{$1}');
    const params = [...raw.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1]!, in: 'path' as const, required: true as const, schema: { type: 'string' as const } }));
    const gate = layer.stack.find((fn): fn is typeof fn & { requiredRole: Role } => typeof (fn as { requiredRole?: unknown }).requiredRole === 'string');
    const role = gate?.requiredRole ?? 'any';
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
          '200': { description: 'success' },
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
    info: { title: 'Siyu admin API', version, description: 'WeChat private-domain data gateway. Errors are { error: { code, message } }.' },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'siyu api-key create --role admin|operator|viewer' } } },
    paths,
  };
}

/** `GET /api/v1/openapi.json` — public (no key), like most API descriptions. */
export function openApiRouter(api: Router, version: string): Router {
  const router = new Router();
  let doc: Record<string, unknown> | undefined;
  router.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = (doc ??= buildOpenApi(api, version));
  });
  return router;
}
