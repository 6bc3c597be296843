import Router from '@koa/router';
import type { IncomingHttpHeaders } from 'http';
import type { Context } from 'koa';
import { parse as parseQuery } from 'querystring';
import getRawBody from 'raw-body';
import type { InboundConnector } from '../../../connectors/common/connector-types';
import type { HttpReply, WebhookRequest } from '../../../connectors/common/webhook-types';
import { inboundConnectors } from '../../../connectors';
import type { Services } from '../../services';
import { rejectionReply, WebhookIntake } from '../../inbox/webhook-intake.service';
import { inboxSignal } from '../../inbox/inbox-signal';

/**
 * WeChat callback URLs (DESIGN §8.2), one route per inbound connector: `/wechat/official-account/:appId`,
 * `/wechat/wecom/:corpId`, `/wechat/mini-program/:appId`, `/wechat/pay/:mchId`.
 *
 * Order matters: the account is looked up before any byte is read (unknown → 404), then Content-Length is
 * checked and the raw body read with a hard limit (413) before anything parses it — signatures cover the raw
 * bytes. The connector verifies and parses; the intake commits the inbox row and only then is the ack sent.
 * While the database node is not synced (NodeReadiness, cached for a second) every callback answers 503.
 */
export function wechatRouter(app: Services, connectors: readonly InboundConnector[] = inboundConnectors): Router {
  const router = new Router();
  const limit = app.config.callbacks.maxBodyBytes;
  const signal = inboxSignal(app.ds);
  const intake = new WebhookIntake({
    accounts: app.config.accounts,
    writer: app.inboxWriter,
    logger: app.logger,
    options: {
      maxSkewSeconds: app.config.callbacks.maxSkewSeconds,
      storeLocation: app.config.privacy.storeLocation,
    },
    committed: (events) => {
      app.welcomes.offer(events);
      app.groupRereads.offer(events);
    },
  });

  for (const connector of connectors) {
    const { path, param, methods, rejectionFormat } = connector.webhook;
    const handle = async (ctx: Context): Promise<void> => {
      signal.enter();
      try {
        await receive(ctx);
      } finally {
        signal.leave();
      }
    };
    const receive = async (ctx: Context): Promise<void> => {
      const key = ctx.params[param] ?? '';
      if (!intake.accountFor(connector, key))
        return send(ctx, rejectionReply(rejectionFormat, 404, 'UNKNOWN_ACCOUNT', 'no such account'));
      // A node out of the cluster cannot store the callback durably: 503 before reading it, so WeChat retries
      // (and a balancer's health check moves traffic to a synced node).
      if (!(await app.readiness.check()).synced)
        return send(
          ctx,
          rejectionReply(rejectionFormat, 503, 'NODE_NOT_SYNCED', 'database node not ready, retry later'),
        );
      let rawBody: Buffer = EMPTY;
      if (ctx.method === 'POST') {
        const declared = Number(ctx.get('content-length') || 0);
        if (declared > limit) return tooLarge(ctx, rejectionFormat, limit);
        try {
          rawBody = await getRawBody(ctx.req, { limit, length: ctx.get('content-length') || undefined });
        } catch (e) {
          if ((e as { type?: string }).type === 'entity.too.large') return tooLarge(ctx, rejectionFormat, limit);
          return send(ctx, rejectionReply(rejectionFormat, 400, 'BAD_BODY', 'could not read the request body'));
        }
      }
      const req: WebhookRequest = {
        method: ctx.method as WebhookRequest['method'],
        // node's querystring: the koa getter builds more than a callback needs, on the hottest path.
        query: flatten(parseQuery(ctx.querystring)),
        headers: headersOf(ctx.req.headers),
        rawBody,
        nowSeconds: Math.floor(app.now() / 1000),
      };
      send(ctx, await intake.receive(connector, key, req));
    };
    for (const method of methods) {
      if (method === 'GET') router.get(path, handle);
      else router.post(path, handle);
    }
  }
  return router;
}

const EMPTY = Buffer.alloc(0);

function tooLarge(ctx: Context, format: InboundConnector['webhook']['rejectionFormat'], limit: number): void {
  // The rest of an oversized body is not read; close the connection instead of draining it.
  ctx.set('Connection', 'close');
  send(ctx, rejectionReply(format, 413, 'PAYLOAD_TOO_LARGE', `body exceeds ${limit} bytes`));
}

function send(ctx: Context, reply: HttpReply): void {
  ctx.status = reply.status;
  if (reply.status === 204) {
    ctx.body = null;
    return;
  }
  setType(ctx, reply.contentType ?? 'text/plain; charset=utf-8');
  ctx.body = reply.body;
}

/** Each reply type as koa normalises it (`text/plain` → `text/plain; charset=utf-8`), learnt once per type. */
const normalizedTypes = new Map<string, string>();

/**
 * Sets Content-Type before the body, so koa skips its own guess for a string body, and without ctx.type's mime
 * lookup on every callback: the first reply of each type goes through ctx.type and its header is remembered.
 */
function setType(ctx: Context, type: string): void {
  const known = normalizedTypes.get(type);
  if (known !== undefined) {
    ctx.set('Content-Type', known);
    return;
  }
  ctx.type = type;
  const header = ctx.response.get('Content-Type');
  if (typeof header === 'string' && header !== '') normalizedTypes.set(type, header);
}

/**
 * Node joins repeated request headers into one string and keeps only `set-cookie` as an array
 * (https://nodejs.org/api/http.html#messageheaders), so the usual request needs no copy; only the Pay
 * connector reads headers at all.
 */
function headersOf(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  return headers['set-cookie'] === undefined ? (headers as Record<string, string | undefined>) : flatten(headers);
}

function flatten(input: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k in input) {
    const v = input[k];
    out[k] = Array.isArray(v) ? v[0] : v;
  }
  return out;
}
