import type { Context } from 'koa';
import getRawBody from 'raw-body';
import type { z } from 'zod';

/** A typed error the control routers turn into `{ error: { code, message } }`. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

/**
 * The control API's JSON body. The host app may already have read it (then `ctx.request.body` or
 * `ctx.request.rawBody` is set and the stream is consumed); otherwise it is read here, so the routers work
 * mounted on any koa app.
 */
async function readJson(ctx: Context): Promise<unknown> {
  const request = ctx.request as { body?: unknown; rawBody?: Buffer };
  if (request.body !== undefined) return request.body;
  let text: string;
  if (request.rawBody) text = request.rawBody.toString('utf8');
  else if (ctx.req.readableEnded) return {};
  else text = await getRawBody(ctx.req, { limit: 1024 * 1024, encoding: 'utf8' });
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ControlError(400, 'MALFORMED_JSON', 'request body is not valid JSON');
  }
}

export async function parseBody<T extends z.ZodType>(ctx: Context, schema: T): Promise<z.infer<T>> {
  const result = schema.safeParse(await readJson(ctx));
  if (!result.success) {
    const message = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new ControlError(400, 'INVALID_BODY', message, result.error.issues);
  }
  return result.data;
}
