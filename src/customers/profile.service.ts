import type { IdentityRef, IdentityType } from '../../connectors/common/identity-types';
import { accountName, scopeName, type SiyuConfig } from '../../config';
import type { Role } from '../auth/roles';
import { MAX_CHAIN, type StoredCustomer, survivorOf, toCustomer } from '../storage/customers/customer.repository';
import type { StoredIdentity } from '../storage/identity/identity.repository';
import { maskPhone, type PhoneCrypto } from '../security/phone-crypto';
import { type Db, fromDbTime, fromJsonText, idString, type Row } from '../storage/sql';
import { bestName, type NameInputs } from './best-name';
import { attributesJson } from '../attributes/attribute-view';
import type { AttributeType } from '../storage/entities/attribute-definition.entity';
import type { AttributeSource } from '../storage/entities/customer-attribute.entity';
import type { CustomerProfile, CustomerSummary } from './customers-api.types';
import { type ProfileRows, readCustomerByIdentity, readProfileRows } from '../storage/customers/profile-query';

/** What `summary` needs of an identity row. */
export type ShownIdentity = Pick<StoredIdentity, 'type' | 'scope' | 'value' | 'valueEnc'>;

/** Name inputs besides the customer row and identities: WeCom and OA remarks. */
export type NameExtras = Pick<NameInputs, 'follows' | 'subscriptions'>;

const NO_EXTRAS: NameExtras = { follows: [], subscriptions: [] };
const truthy = (v: unknown): boolean => Number(v) === 1 || v === true;

const iso = (v: unknown): string | null => fromDbTime(v)?.toISOString() ?? null;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * Builds customer JSON for the admin API (and the sidebar/console). `summary` is the list-row shape
 * (customer + identities); `profile` adds tags, follows, subscriptions, groups, RFM and recent events, all read in one
 * statement (profile-query.ts; DESIGN §9: lookup p99 ≤ 20 ms); `byId` resolves the customer in that statement too.
 */
export class ProfileService {
  constructor(private readonly deps: { config: SiyuConfig; phoneCrypto: PhoneCrypto; now: () => number }) {}

  /** The customer a (possibly merged) id resolves to, or undefined; erased customers are not shown. */
  async resolve(db: Db, id: string): Promise<StoredCustomer | undefined> {
    const c = await survivorOf(db, id);
    return c && c.status !== 'erased' ? c : undefined;
  }

  /**
   * The profile of the customer an id leads to, merges followed, unless erased (as `resolve`) — one statement
   * unless the id was merged.
   */
  async byId(db: Db, id: string, role: Role): Promise<CustomerProfile | undefined> {
    let rows = await readProfileRows(db, id, { withCustomer: true });
    for (let hops = 0; rows.customer?.status === 'merged' && rows.customer.merged_into_id && hops < MAX_CHAIN; hops++) {
      rows = await readProfileRows(db, String(rows.customer.merged_into_id), { withCustomer: true });
    }
    if (!rows.customer) return undefined;
    const c = toCustomer(rows.customer);
    return c.status === 'erased' ? undefined : this.build(c, rows, role);
  }

  /**
   * The profile of the active customer holding a stored identity (as IdentityService.findCustomerId), merges
   * followed — two statements: the customer by the identities unique key, then its profile.
   */
  async byIdentity(db: Db, ref: IdentityRef, role: Role): Promise<CustomerProfile | undefined> {
    const row = await readCustomerByIdentity(db, ref);
    // Merges move identities to the survivor: a merged holder is only a race with a merge in flight.
    const c = row && row.status === 'merged' ? await survivorOf(db, String(row.id)) : row && toCustomer(row);
    return c?.status === 'active' ? this.profile(db, c, role) : undefined;
  }

  summary(
    c: StoredCustomer,
    identities: readonly ShownIdentity[],
    role: Role,
    extras: NameExtras = NO_EXTRAS,
  ): CustomerSummary {
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
    const cfg = this.deps.config;
    const named = bestName({
      id: c.id,
      displayName: c.displayName,
      identities: identities.filter((i) => i.type !== 'phone'),
      ...extras,
    });
    return {
      id: c.id,
      status: c.status,
      name: named.name,
      nameSource: named.nameSource,
      displayName: c.displayName,
      avatarUrl: c.avatarUrl,
      phone: reveal(c.phoneEnc),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      identities: identities.map((i) => ({
        type: i.type,
        scope: i.scope,
        value: i.type === 'phone' ? (reveal(i.valueEnc) ?? '') : i.value,
        scopeName: scopeName(cfg, i.type, i.scope),
      })),
      unionidMissing: this.unionidMissing(identities),
    };
  }

  /** The profile of a customer already resolved (the sidebar's followed customer). */
  async profile(db: Db, c: StoredCustomer, role: Role): Promise<CustomerProfile> {
    return this.build(c, await readProfileRows(db, c.id, { withCustomer: false }), role);
  }

  private build(c: StoredCustomer, rows: ProfileRows, role: Role): CustomerProfile {
    const identities: ShownIdentity[] = rows.identities.map((i) => ({
      type: i.type as IdentityType,
      scope: String(i.scope),
      value: String(i.value),
      valueEnc: str(i.value_enc),
    }));
    const r: Row = rows.rfm ?? {};
    const last = fromDbTime(r.last_at);
    const cfg = this.deps.config;
    const extras: NameExtras = {
      follows: rows.follows.map((f) => ({ remark: f.remark, deleted: truthy(f.deleted) })),
      subscriptions: rows.subscriptions.map((s) => ({ remark: s.remark })),
    };
    return {
      ...this.summary(c, identities, role, extras),
      tags: rows.tags.map((t) => ({
        id: idString(t.id),
        name: String(t.name),
        source: String(t.source),
        groupName: str(t.group_name),
      })),
      follows: rows.follows.map((f) => ({
        corpId: String(f.corp_id),
        corpName: accountName(cfg, String(f.corp_id)),
        staffUserId: String(f.staff_userid),
        staffName: str(f.staff_name),
        externalUserId: String(f.external_userid),
        remark: str(f.remark),
        description: str(f.description),
        addWay: f.add_way === null || f.add_way === undefined ? null : Number(f.add_way),
        state: str(f.state),
        createdTime: iso(f.created_time),
        deleted: truthy(f.deleted),
        deletedAt: iso(f.deleted_at),
      })),
      subscriptions: rows.subscriptions.map((s) => ({
        appId: String(s.app_id),
        accountName: accountName(cfg, String(s.app_id)),
        openid: String(s.openid),
        subscribed: truthy(s.subscribed),
        subscribeTime: iso(s.subscribe_time),
        unsubscribeTime: iso(s.unsubscribe_time),
        scene: str(s.scene),
        qrScene: str(s.qr_scene ?? s.qr_scene_str),
        remark: str(s.remark),
      })),
      groups: rows.groups.map((g) => ({
        id: idString(g.id),
        corpId: String(g.corp_id),
        chatId: String(g.chat_id),
        name: str(g.name),
        joinedAt: iso(g.joined_at),
      })),
      channels: rows.channels.map((c) => ({
        id: idString(c.id),
        name: String(c.name),
        firstAt: iso(c.first_at)!,
        lastAt: iso(c.last_at)!,
      })),
      ...attributesJson(
        rows.attributes.map((a) => ({
          key: String(a.attr_key),
          type: a.type as AttributeType,
          pii: truthy(a.pii),
          valueText: str(a.value_text),
          valueNum: a.value_num === null || a.value_num === undefined ? null : Number(a.value_num),
          valueEnc: str(a.value_enc),
          source: a.source as AttributeSource,
          updatedBy: str(a.updated_by),
          updatedAt: fromDbTime(a.updated_at)!,
        })),
        role === 'ingest' ? 'viewer' : role,
        this.deps.phoneCrypto,
      ),
      consents: rows.consents.map((c) => ({
        purpose: String(c.purpose),
        channel: c.channel === '' || c.channel === null || c.channel === undefined ? null : String(c.channel),
        granted: Number(c.granted) === 1,
        source: String(c.source),
        at: iso(c.at)!,
      })),
      notes: rows.notes.map((n) => ({
        id: idString(n.id),
        text: String(n.text),
        author: String(n.author),
        authorKind: n.author_kind === 'staff' ? 'staff' : 'operator',
        createdAt: iso(n.created_at)!,
      })),
      rfm: {
        orders: Number(r.orders ?? 0),
        totalSpent: Number(r.paid ?? 0) - Number(r.refunded ?? 0),
        totalRefunded: Number(r.refunded ?? 0),
        firstPurchaseAt: iso(r.first_at),
        lastPurchaseAt: last?.toISOString() ?? null,
        daysSinceLastPurchase: last ? Math.floor((this.deps.now() - last.getTime()) / 86_400_000) : null,
      },
      recentEvents: rows.events.map((e) => ({
        id: idString(e.id),
        source: String(e.source),
        account: String(e.account),
        type: String(e.type),
        occurredAt: iso(e.occurred_at)!,
        payload: fromJsonText(e.payload),
      })),
    };
  }

  private unionidMissing(identities: readonly ShownIdentity[]): { type: IdentityType; scope: string }[] {
    const unionScopes = new Set(identities.filter((i) => i.type === 'unionid').map((i) => i.scope));
    const out: { type: IdentityType; scope: string }[] = [];
    for (const i of identities) {
      if (i.type === 'unionid' || i.type === 'phone') continue;
      const account = this.deps.config.accounts.find(
        (a) => ('appId' in a && a.appId === i.scope) || ('corpId' in a && a.corpId === i.scope),
      );
      const platform = account && 'openPlatformId' in account ? account.openPlatformId : 'default';
      if (!unionScopes.has(platform)) out.push({ type: i.type, scope: i.scope });
    }
    return out;
  }
}
