import type { IdentityType } from '../../connectors/common/identity-types';
import type { SiyuConfig } from '../../config';
import type { Role } from '../auth/roles';
import { type StoredCustomer, survivorOf } from '../identity/customer.repository';
import { identitiesOfCustomers, type StoredIdentity } from '../identity/identity.repository';
import { maskPhone, type PhoneCrypto } from '../security/phone-crypto';
import { type Db, fromDbTime, fromJsonText, idString, select } from '../storage/sql';

/** The `Customer` JSON of DESIGN §8.3. Phone numbers are masked unless the caller is an admin (DESIGN §7). */
export interface CustomerSummary {
  id: string;
  status: string;
  displayName: string | null;
  avatarUrl: string | null;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  identities: { type: IdentityType; scope: string; value: string }[];
  /** Openid / external_userid identities whose open platform has no unionid on this customer yet (DESIGN §4). */
  unionidMissing: { type: IdentityType; scope: string }[];
}

export interface CustomerProfile extends CustomerSummary {
  tags: { id: string; name: string; source: string }[];
  follows: Record<string, unknown>[];
  subscriptions: Record<string, unknown>[];
  rfm: { orders: number; totalSpent: number; totalRefunded: number; firstPurchaseAt: string | null; lastPurchaseAt: string | null; daysSinceLastPurchase: number | null };
  recentEvents: { id: string; source: string; account: string; type: string; occurredAt: string; payload: unknown }[];
}

const iso = (v: unknown): string | null => fromDbTime(v)?.toISOString() ?? null;
const RECENT_EVENTS = 20;

/**
 * Builds customer JSON for the admin API (and the sidebar/console). `summary` is the list-row shape
 * (customer + identities); `profile` adds tags, follows, subscriptions, RFM and recent events. Independent
 * reads run concurrently (the MySQL pool serves them in parallel).
 */
export class ProfileService {
  constructor(
    private readonly deps: { config: SiyuConfig; phoneCrypto: PhoneCrypto; now: () => number },
  ) {}

  /** The customer a (possibly merged) id resolves to, or undefined; erased customers are not shown. */
  async resolve(db: Db, id: string): Promise<StoredCustomer | undefined> {
    const c = await survivorOf(db, id);
    return c && c.status !== 'erased' ? c : undefined;
  }

  summary(c: StoredCustomer, identities: StoredIdentity[], role: Role): CustomerSummary {
    const admin = role === 'admin';
    const reveal = (enc: string | null): string | null => {
      if (!enc) return null;
      try {
        const plain = this.deps.phoneCrypto.decrypt(enc);
        return admin ? plain : maskPhone(plain);
      } catch {
        return null;
      }
    };
    return {
      id: c.id,
      status: c.status,
      displayName: c.displayName,
      avatarUrl: c.avatarUrl,
      phone: reveal(c.phoneEnc),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      identities: identities.map((i) => ({ type: i.type, scope: i.scope, value: i.type === 'phone' ? (reveal(i.valueEnc) ?? '') : i.value })),
      unionidMissing: this.unionidMissing(identities),
    };
  }

  async profile(db: Db, c: StoredCustomer, role: Role): Promise<CustomerProfile> {
    const [identities, tags, follows, subscriptions, rfm, events] = await Promise.all([
      identitiesOfCustomers(db, [c.id]),
      select<{ id: unknown; name: string; source: string }>(
        db,
        'SELECT t.id, t.name, ct.source FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = ? AND t.deleted_at IS NULL ORDER BY t.name, ct.source',
        [c.id],
      ),
      select<Record<string, unknown>>(
        db,
        'SELECT corp_id, staff_userid, external_userid, remark, description, add_way, state, created_time, deleted, deleted_at FROM wecom_follows WHERE customer_id = ? ORDER BY id',
        [c.id],
      ),
      select<Record<string, unknown>>(
        db,
        'SELECT app_id, openid, subscribed, subscribe_time, unsubscribe_time, scene, qr_scene, qr_scene_str, remark FROM oa_subscriptions WHERE customer_id = ? ORDER BY id',
        [c.id],
      ),
      select<Record<string, unknown>>(
        db,
        `SELECT COUNT(*) AS orders, COALESCE(SUM(amount_total), 0) AS paid, COALESCE(SUM(refunded_total), 0) AS refunded, MIN(success_time) AS first_at, MAX(success_time) AS last_at
           FROM transactions WHERE customer_id = ? AND state IN ('SUCCESS', 'REFUND')`,
        [c.id],
      ),
      select<Record<string, unknown>>(
        db,
        `SELECT id, source, account, type, occurred_at, payload FROM events WHERE customer_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ${RECENT_EVENTS}`,
        [c.id],
      ),
    ]);
    const r = rfm[0] ?? {};
    const last = fromDbTime(r.last_at);
    return {
      ...this.summary(c, identities, role),
      tags: tags.map((t) => ({ id: idString(t.id), name: t.name, source: t.source })),
      follows: follows.map((f) => ({
        corpId: f.corp_id,
        staffUserId: f.staff_userid,
        externalUserId: f.external_userid,
        remark: f.remark ?? null,
        description: f.description ?? null,
        addWay: f.add_way === null || f.add_way === undefined ? null : Number(f.add_way),
        state: f.state ?? null,
        createdTime: iso(f.created_time),
        deleted: Number(f.deleted) === 1 || f.deleted === true,
        deletedAt: iso(f.deleted_at),
      })),
      subscriptions: subscriptions.map((s) => ({
        appId: s.app_id,
        openid: s.openid,
        subscribed: Number(s.subscribed) === 1 || s.subscribed === true,
        subscribeTime: iso(s.subscribe_time),
        unsubscribeTime: iso(s.unsubscribe_time),
        scene: s.scene ?? null,
        qrScene: s.qr_scene ?? s.qr_scene_str ?? null,
        remark: s.remark ?? null,
      })),
      rfm: {
        orders: Number(r.orders ?? 0),
        totalSpent: Number(r.paid ?? 0) - Number(r.refunded ?? 0),
        totalRefunded: Number(r.refunded ?? 0),
        firstPurchaseAt: iso(r.first_at),
        lastPurchaseAt: last?.toISOString() ?? null,
        daysSinceLastPurchase: last ? Math.floor((this.deps.now() - last.getTime()) / 86_400_000) : null,
      },
      recentEvents: events.map((e) => ({
        id: idString(e.id),
        source: String(e.source),
        account: String(e.account),
        type: String(e.type),
        occurredAt: iso(e.occurred_at)!,
        payload: fromJsonText(e.payload),
      })),
    };
  }

  private unionidMissing(identities: StoredIdentity[]): { type: IdentityType; scope: string }[] {
    const unionScopes = new Set(identities.filter((i) => i.type === 'unionid').map((i) => i.scope));
    const out: { type: IdentityType; scope: string }[] = [];
    for (const i of identities) {
      if (i.type === 'unionid' || i.type === 'phone') continue;
      const account = this.deps.config.accounts.find((a) => ('appId' in a && a.appId === i.scope) || ('corpId' in a && a.corpId === i.scope));
      const platform = account && 'openPlatformId' in account ? account.openPlatformId : 'default';
      if (!unionScopes.has(platform)) out.push({ type: i.type, scope: i.scope });
    }
    return out;
  }
}
