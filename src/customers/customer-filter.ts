import type { IdentityType } from '../../connectors/common/identity-types';
import type { SiyuConfig } from '../../config';
import type { PhoneCrypto } from '../security/phone-crypto';

/** Channels of `GET /api/v1/customers?channel=` (DESIGN §8.3). `pay` = has a WeChat Pay transaction. */
export const CUSTOMER_CHANNELS = ['oa', 'mp', 'h5', 'wecom', 'pay'] as const;
export type CustomerChannel = (typeof CUSTOMER_CHANNELS)[number];

const CHANNEL_IDENTITY: Record<Exclude<CustomerChannel, 'pay'>, IdentityType> = {
  oa: 'oa_openid',
  mp: 'mp_openid',
  h5: 'h5_openid',
  wecom: 'wecom_external_userid',
};

/**
 * Which active customers a list, search or bulk tag assignment is about. `q` matches by prefix (so every part
 * is an index range at a million customers): display name, a WeCom follow remark, any identity value (openid,
 * unionid, external_userid) of a configured account, and — when it looks like a phone number and the caller may
 * see phones — the phone's keyed hash exactly.
 */
export interface CustomerFilter {
  q?: string;
  tagId?: string;
  channel?: CustomerChannel;
}

export function isCustomerChannel(v: unknown): v is CustomerChannel {
  return typeof v === 'string' && (CUSTOMER_CHANNELS as readonly string[]).includes(v);
}

/** LIKE pattern for a prefix, with `!` as the escape character (the same on MySQL and SQLite). */
export function prefixPattern(q: string): string {
  return `${q.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export interface IdentityScope {
  type: IdentityType;
  scope: string;
}

/**
 * Every (type, scope) an identity of a configured account can have: q searches identity values per scope
 * through the unique (type, scope, value) key, so no second index on `value` is needed.
 */
export function identityScopes(config: SiyuConfig): IdentityScope[] {
  const out = new Map<string, IdentityScope>();
  const add = (type: IdentityType, scope: string) => out.set(`${type}|${scope}`, { type, scope });
  for (const a of config.accounts) {
    if (a.kind === 'official-account') {
      add('oa_openid', a.appId);
      add('h5_openid', a.appId);
      add('unionid', a.openPlatformId);
    }
    if (a.kind === 'mini-program') {
      add('mp_openid', a.appId);
      add('unionid', a.openPlatformId);
    }
    if (a.kind === 'wecom') {
      add('wecom_external_userid', a.corpId);
      add('unionid', a.openPlatformId);
    }
  }
  return [...out.values()];
}

export interface FilterSql {
  /** `FROM …` clause: the customers table, joined to the q matches when there is a q. */
  from: string;
  where: string[];
  params: unknown[];
}

/**
 * SQL pieces for a filter over `customers c`. The q matches are a derived table (a UNION of three index range
 * scans) joined to customers, so a search touches only matching rows instead of testing every customer.
 */
export function filterSql(f: CustomerFilter, scopes: readonly IdentityScope[], phoneCrypto?: PhoneCrypto): FilterSql {
  const where = ["c.status = 'active'"];
  const params: unknown[] = [];
  let from = 'customers c';
  const q = f.q?.trim();
  if (q) {
    const like = prefixPattern(q);
    const parts = [
      "SELECT id AS customer_id FROM customers WHERE display_name LIKE ? ESCAPE '!'",
      "SELECT customer_id FROM wecom_follows WHERE remark LIKE ? ESCAPE '!' AND customer_id IS NOT NULL",
      ...scopes.map(
        () => "SELECT customer_id FROM identities WHERE type = ? AND scope = ? AND value LIKE ? ESCAPE '!'",
      ),
    ];
    const qParams: unknown[] = [like, like, ...scopes.flatMap((s) => [s.type, s.scope, like])];
    const digits = q.replace(/[\s+()-]/g, '');
    if (phoneCrypto && /^\d{7,15}$/.test(digits)) {
      parts.push("SELECT customer_id FROM identities WHERE type = 'phone' AND value = ?");
      qParams.push(phoneCrypto.hash(q));
    }
    from = `(${parts.join(' UNION ')}) m JOIN customers c ON c.id = m.customer_id`;
    params.push(...qParams);
  }
  if (f.tagId) {
    where.push('c.id IN (SELECT ct.customer_id FROM customer_tags ct WHERE ct.tag_id = ?)');
    params.push(f.tagId);
  }
  if (f.channel === 'pay') {
    where.push('EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = c.id)');
  } else if (f.channel) {
    where.push('EXISTS (SELECT 1 FROM identities ci WHERE ci.customer_id = c.id AND ci.type = ?)');
    params.push(CHANNEL_IDENTITY[f.channel]);
  }
  return { from, where, params };
}
