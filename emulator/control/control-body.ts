import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import type { z } from 'zod';
import { WxError } from '../core/wx-error';

/**
 * Control API plumbing: typed errors answered as `{ error: { code, message } }` with a 4xx status, and zod-checked
 * JSON bodies. A WeChat rule broken through the control API (say a 21st tag) is a 400 carrying the errcode.
 */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export async function controlErrorHandler(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (e) {
    if (e instanceof ControlError) {
      ctx.status = e.status;
      ctx.body = { error: { code: e.code, message: e.message } };
    } else if (e instanceof WxError) {
      ctx.status = 400;
      ctx.body = { error: { code: 'WECHAT_RULE', message: e.message, errcode: e.errcode } };
    } else if (e instanceof RangeError) {
      ctx.status = 409;
      ctx.body = { error: { code: 'CONFLICT', message: e.message } };
    } else throw e;
  }
}

export async function readBody<T extends z.ZodType>(ctx: Context, schema: T): Promise<z.output<T>> {
  const text = ctx.method === 'GET' ? '' : await getRawBody(ctx.req, { limit: '1mb', encoding: 'utf8' });
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new ControlError(400, 'MALFORMED_JSON', 'request body is not valid JSON');
    }
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ControlError(
      400,
      'INVALID_BODY',
      r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    );
  }
  return r.data;
}

export function notFound(what: string, id: string): ControlError {
  return new ControlError(404, 'NOT_FOUND', `no ${what} ${id}`);
}

export function queryString(ctx: Context, name: string): string | undefined {
  const v = ctx.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function queryInt(ctx: Context, name: string, def: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = queryString(ctx, name);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new ControlError(400, 'INVALID_QUERY', `${name} must be a non-negative integer`);
  return Math.min(n, max);
}
