import { z } from 'zod';
import { officialAccountConfig } from '../connectors/official-account/config';
import { miniProgramConfig } from '../connectors/mini-program/config';
import { wecomConfig } from '../connectors/wecom/config';
import { wechatPayConfig } from '../connectors/wechat-pay/config';
import { httpUrl, nonEmpty } from '../connectors/common/config-fields';

/**
 * The whole configuration (DESIGN §8.1). Every key has a default except account credentials.
 * The README's "Configuration" section documents each key; keep the two in step.
 */
function isTimeZone(v: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return true;
  } catch {
    return false;
  }
}

const port = z.coerce.number({ message: 'must be a port number' }).int('must be an integer').min(0).max(65535);

const days = z.union([
  z.null(),
  z.coerce.number({ message: 'must be a number of days or null' }).int('must be a whole number of days').min(0),
]);

/** What screens call the account (DESIGN §8.1 `name: "品牌服务号"`); ids are shown where it is absent. */
const accountName = {
  name: z.string().trim().min(1, 'must be a non-empty string').max(64, 'must be at most 64 characters').optional(),
};

export const accountConfig = z.discriminatedUnion(
  'kind',
  [
    officialAccountConfig.extend(accountName),
    miniProgramConfig.extend(accountName),
    wecomConfig.extend(accountName),
    wechatPayConfig.extend(accountName),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'kind must be one of official-account, mini-program, wecom, wechat-pay'
        : undefined,
  },
);

/**
 * A third-party system whose own customer ids are `external_id` identities scoped by `id` (DESIGN §11);
 * `verifiedPhone` lets its phone numbers link customers like a verified phone, otherwise they are an attribute.
 */
export const sourceConfig = z
  .object({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be 1-32 characters: a lowercase letter, then a-z, 0-9, _ or -'),
    name: z.string().trim().min(1, 'must be a non-empty string').max(64, 'must be at most 64 characters'),
    verifiedPhone: z.boolean().default(false),
  })
  .strict();

export const configSchema = z
  .object({
    server: z
      .object({
        port: port.default(3000),
        host: z.string().default('0.0.0.0'),
        publicUrl: httpUrl.default('http://localhost:3000'),
        /** Admin/API request bodies (JSON), bytes. */
        maxJsonBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(1024 * 1024),
        /** Origins H5 redirects and JS-SDK URLs may point at (no open redirects). */
        allowedOrigins: z.array(httpUrl).default([]),
        /** IANA zone the overview's days (and the console's dates) are counted in. */
        timezone: z
          .string()
          .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai')
          .default('Asia/Shanghai'),
      })
      .strict()
      .prefault({}),
    database: z
      .object({
        url: z
          .string()
          .regex(/^(sqlite:.+|mysql:\/\/.+)$/, 'must be sqlite:<path> or mysql://user:pass@host:port/db')
          .default('sqlite:./data/siyu.db'),
        migrate: z.boolean().default(true),
        /** Connection pool size (MySQL). */
        poolSize: z.coerce.number().int().positive().default(10),
        /**
         * How workers claim queue rows (src/storage/claim.ts): `skipLocked` (SELECT … FOR UPDATE SKIP LOCKED),
         * `portable` (one atomic UPDATE … LIMIT with a claim token, for servers without SKIP LOCKED such as
         * TiDB), or `auto` (skipLocked where the server supports it).
         */
        claim: z.enum(['auto', 'skipLocked', 'portable']).default('auto'),
      })
      .strict()
      .prefault({}),
    callbacks: z
      .object({
        maxSkewSeconds: z.coerce.number().int().min(0).default(300),
        maxBodyBytes: z.coerce.number().int().positive().default(262144),
      })
      .strict()
      .prefault({}),
    security: z
      .object({
        /** AES-256-GCM key for phone numbers at rest and the keyed hash: 32 bytes as 64 hex chars or base64. */
        dataKey: z.string().optional(),
        /** HMAC secret for session cookies and MP tokens. */
        sessionSecret: z.string().optional(),
      })
      .strict()
      .prefault({}),
    identity: z
      .object({ mergeByPhone: z.boolean().default(true) })
      .strict()
      .prefault({}),
    tags: z
      .object({ wecomFanout: z.enum(['all', 'newest']).default('all') })
      .strict()
      .prefault({}),
    jobs: z
      .object({ enabled: z.boolean().default(true) })
      .strict()
      .prefault({}),
    /** DESIGN §11 outbound webhooks: the delivery worker of this instance. */
    webhooks: z
      .object({
        /** Deliver on this instance (every instance may: they claim disjoint deliveries). */
        deliver: z.boolean().default(true),
        /** POSTs in flight per subscription on this instance. */
        concurrency: z.coerce.number().int().min(1).max(256).default(16),
        /** A receiver must answer 2xx within this (DESIGN §11: 10 s). */
        timeoutMs: z.coerce.number().int().min(100).max(60_000).default(10_000),
        /** First retry after about this many seconds, doubling (with jitter) up to `backoffMaxSeconds`. */
        backoffBaseSeconds: z.coerce.number().min(0.01).default(10),
        backoffMaxSeconds: z.coerce.number().min(0.01).default(3600),
      })
      .strict()
      .prefault({}),
    /** DESIGN §12: how long personal data is kept; null = keep. */
    retention: z
      .object({
        /** Processed inbox rows lose their raw and parsed bodies after this many days (dedupe key and metadata stay). */
        inboxDays: days.default(7),
        /** Timeline events older than this many days are deleted. */
        eventsDays: days.default(null),
        /** Visitors never identified (only an anonymous_id, DESIGN §11) and quiet this long are removed. */
        anonymousDays: days.default(90),
      })
      .strict()
      .prefault({}),
    /** DESIGN §12: what WeChat's privacy events lead to, and whether OA LOCATION events are kept. */
    privacy: z
      .object({
        /** user_authorization_cancellation: `unlink` removes that identity and what came through it; `erase` also the person when nothing else is left. */
        onCancellation: z.enum(['erase', 'unlink']).default('unlink'),
        /** OA LOCATION events are stored on the timeline only when true. */
        storeLocation: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .prefault({}),
    sources: z.array(sourceConfig).default([]),
    accounts: z.array(accountConfig).default([]),
  })
  .strict()
  .strict();

/**
 * Duplicate appId / corpId / mchId / id across accounts. Checked on the raw input so it is reported together
 * with every other problem (zod skips refinements when any field inside failed).
 */
export function duplicateAccountProblems(accounts: unknown): { path: string; message: string }[] {
  if (!Array.isArray(accounts)) return [];
  const problems: { path: string; message: string }[] = [];
  const seen = new Map<string, number>();
  accounts.forEach((a: Record<string, unknown> | null, i) => {
    if (!a || typeof a !== 'object') return;
    const keys: string[] = [];
    for (const f of ['appId', 'corpId', 'mchId', 'id'] as const) {
      if (typeof a[f] === 'string' && a[f]) keys.push(`${f === 'id' ? 'account id' : f} ${String(a[f])}`);
    }
    for (const key of keys) {
      const prev = seen.get(key);
      if (prev !== undefined && prev !== i)
        problems.push({ path: `accounts.${i}`, message: `duplicate ${key} (also accounts.${prev})` });
      else seen.set(key, i);
    }
  });
  return problems;
}

/**
 * Duplicate source ids, and a source id equal to a WeChat Pay mchId: imported orders are keyed by (source,
 * orderNo) in the same unique key as Pay's (mchId, out_trade_no), so the two id spaces must not meet.
 */
export function sourceProblems(sources: unknown, accounts: unknown): { path: string; message: string }[] {
  if (!Array.isArray(sources)) return [];
  const mchIds = new Set(
    (Array.isArray(accounts) ? accounts : []).flatMap((a: Record<string, unknown> | null) =>
      a && typeof a === 'object' && typeof a.mchId === 'string' ? [a.mchId] : [],
    ),
  );
  const problems: { path: string; message: string }[] = [];
  const seen = new Map<string, number>();
  sources.forEach((s: Record<string, unknown> | null, i) => {
    if (!s || typeof s !== 'object' || typeof s.id !== 'string') return;
    const prev = seen.get(s.id);
    if (prev !== undefined)
      problems.push({ path: `sources.${i}.id`, message: `duplicate source id (also sources.${prev})` });
    else seen.set(s.id, i);
    if (mchIds.has(s.id))
      problems.push({ path: `sources.${i}.id`, message: 'must differ from every WeChat Pay mchId' });
  });
  return problems;
}

export type SiyuConfigInput = z.input<typeof configSchema>;
export type AccountConfig = z.infer<typeof accountConfig>;
export type SourceConfig = z.infer<typeof sourceConfig>;
export { nonEmpty };
