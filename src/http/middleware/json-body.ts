import { isUtf8 } from 'buffer';
import getRawBody from 'raw-body';
import type { Middleware } from 'koa';
import {
  DEFAULT_JSON_LIMITS,
  JsonBoundsError,
  type JsonLimits,
  parseBoundedJson,
} from '../../../connectors/common/json-bounds';
import { HttpError } from '../http-error';

/**
 * JSON bodies for the API routes and the H5/MP/track front doors, with a size limit (413), the shared depth,
 * member and duplicate-key bounds checked on the text before JSON.parse (400/413: handlers and validators walk
 * the parsed value recursively), and a clear 400 on malformed JSON or a wrong content type. WeChat callback
 * routes do not use this: they need the raw bytes (signatures cover them).
 */
export function jsonBody(limitBytes: number, limits: Partial<JsonLimits> = {}): Middleware {
  const bounds: JsonLimits = { ...DEFAULT_JSON_LIMITS, maxStringChars: limitBytes, ...limits };
  return async (ctx, next) => {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method)) return next();
    // Uploads (imports) are streamed by their route, never buffered here.
    if (ctx.is('multipart/form-data')) return next();
    const length = Number(ctx.get('content-length') || 0);
    if (length > limitBytes) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `body exceeds ${limitBytes} bytes`);
    let raw: Buffer;
    try {
      raw = await getRawBody(ctx.req, { limit: limitBytes });
    } catch (e) {
      if ((e as { type?: string }).type === 'entity.too.large')
        throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `body exceeds ${limitBytes} bytes`);
      throw new HttpError(400, 'BAD_REQUEST', 'could not read the request body');
    }
    // Invalid bytes are refused, not replaced by U+FFFD: what is stored is what the client sent.
    if (!isUtf8(raw)) throw new HttpError(400, 'MALFORMED_JSON', 'request body is not valid UTF-8');
    const text = raw.toString('utf8');
    if (text.trim() === '') {
      ctx.request.body = undefined;
      return next();
    }
    if (!ctx.is('application/json', '+json'))
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json');
    try {
      ctx.request.body = parseBoundedJson(text, bounds);
    } catch (e) {
      if (e instanceof JsonBoundsError)
        throw new HttpError(e.status, e.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_JSON', e.message);
      throw new HttpError(400, 'MALFORMED_JSON', 'request body is not valid JSON');
    }
    return next();
  };
}

declare module 'koa' {
  interface Request {
    body?: unknown;
    rawBody?: Buffer;
  }
}
