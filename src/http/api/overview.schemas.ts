import type { JsonSchema, QueryParameter } from './openapi';

/** JSON Schemas of the overview and segment-run bodies (src/overview/overview.service.ts types), for /api/v1/openapi.json. */
const int: JsonSchema = { type: 'integer', minimum: 0 };
const str: JsonSchema = { type: 'string' };
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });
const time: JsonSchema = { type: 'string', format: 'date-time' };
const obj = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});
const counts = (description: string): JsonSchema => ({ type: 'object', description, additionalProperties: int });
const bucket: JsonSchema = obj({ key: str, min: int, max: nullable(int) });

export const overviewQuery: QueryParameter[] = [
  {
    name: 'days',
    in: 'query',
    description: 'days in `daily`, ending today in server.timezone (default 30)',
    schema: { type: 'integer', minimum: 1, maximum: 365, default: 30 },
  },
];

export const overviewSchema: JsonSchema = obj({
  customers: obj({ total: int, byChannel: obj({ oa: int, mp: int, h5: int, wecom: int, pay: int }) }),
  identities: counts(
    'identity rows per type (unionid, oa_openid, mp_openid, h5_openid, wecom_external_userid, phone, …)',
  ),
  daily: {
    type: 'array',
    description:
      'one entry per local day, oldest first: distinct customers gained (OA subscribe, WeCom add) and lost (OA unsubscribe, WeCom delete by either side)',
    items: obj({ date: { type: 'string', format: 'date' }, new: int, lost: int }),
  },
  dailyBySource: {
    type: 'array',
    description:
      'the same days per channel (distinct customers per channel, so the two channels can add up to more than `daily`)',
    items: obj({
      date: { type: 'string', format: 'date' },
      oaSubscribe: int,
      oaUnsubscribe: int,
      wecomAdd: int,
      wecomDelete: int,
    }),
  },
  tags: obj({
    bindings: {
      type: 'array',
      items: obj({
        tagId: str,
        name: str,
        channel: { enum: ['oa', 'wecom'] },
        account: str,
        desired: int,
        pushed: int,
        pending: int,
        failed: int,
      }),
    },
  }),
  outbox: counts('rows per status: pending, in_flight, done, dead'),
  inbox: counts('rows per status: pending, processing, done, failed'),
  syncs: {
    type: 'array',
    description: 'the newest run of every (account, resource)',
    items: obj({
      id: str,
      accountId: str,
      resource: str,
      status: { enum: ['running', 'paused', 'done', 'failed'] },
      processed: int,
      total: nullable(int),
      startedAt: time,
      finishedAt: nullable(time),
      error: nullable(str),
    }),
  },
  timezone: str,
  accounts: {
    type: 'array',
    items: obj({ id: str, kind: str, name: nullable(str), appId: str, corpId: str, mchId: str }, [
      'appId',
      'corpId',
      'mchId',
    ]),
  },
  generatedAt: time,
});

export const rfmSchema: JsonSchema = obj({
  customers: { ...int, description: 'active customers with at least one purchase' },
  withoutPurchase: int,
  recency: { type: 'array', description: 'days since the last purchase', items: bucket },
  frequency: { type: 'array', description: 'orders', items: bucket },
  heatmap: {
    type: 'array',
    description: 'every recency × frequency cell, recency-major',
    items: obj({ recency: str, frequency: str, customers: int }),
  },
  spend: {
    type: 'array',
    description: 'net spend in fen (paid − refunded)',
    items: obj({ key: str, min: int, max: nullable(int), customers: int }),
  },
  generatedAt: time,
});

export const segmentRunsSchema: JsonSchema = obj({
  items: {
    type: 'array',
    description: 'newest first',
    items: obj({
      id: str,
      segmentId: str,
      status: { enum: ['done', 'failed'] },
      triggeredBy: nullable(str),
      startedAt: time,
      finishedAt: time,
      members: nullable(int),
      added: int,
      removed: int,
      scanned: int,
      error: nullable(str),
    }),
  },
  nextCursor: nullable(str),
});
