import type { DataSource } from '../storage';
import type { CustomerProfile } from '../customers/customers-api.types';
import type { ProfileService } from '../customers/profile.service';
import type { StoredCustomer } from '../storage/customers/customer.repository';
import type { AssignmentService } from '../tags/assignments/assignment.service';
import type { TagCatalogService } from '../tags/catalog/tag-catalog.service';
import { tagsBoundTo, type TagRecord } from '../storage/tags/tag.repository';
import type { Actor } from '../tags/tags-deps';
import { findFollowedCustomer } from '../storage/sidebar/followed-customer.repository';
import { recentOrders, type RecentOrder } from '../storage/events/transaction.repository';
import { accountName, type SiyuConfig } from '../../config';
import { memberName } from '../storage/staff/wecom-staff.repository';
import { accountNamesOf } from './sidebar-account-names';
import type {
  SidebarCustomerJson,
  SidebarOrderJson,
  SidebarSessionJson,
  SidebarTagChangeJson,
  SidebarTagGroupJson,
  SidebarTagPageJson,
} from './sidebar-api.types';
import { SidebarError } from './sidebar.errors';
import type { AttributeDefinitionService } from '../attributes/attribute-definition.service';
import type { CustomerAttributeService } from '../attributes/customer-attribute.service';
import type { CustomerNoteService } from '../attributes/customer-note.service';
import type { FollowRemarkService, RemarkQueuedJson } from '../attributes/follow-remark.service';
import type { CustomerAttributesJson, CustomerNoteJson } from '../attributes/attributes-api.types';
import { attributeInvalid } from '../attributes/attribute.errors';
import type { StaffSession } from './staff-session';

export interface SidebarCustomersDeps {
  ds: DataSource;
  config: SiyuConfig;
  profiles: ProfileService;
  assignments: AssignmentService;
  catalog: TagCatalogService;
  attributes: {
    definitions: AttributeDefinitionService;
    values: CustomerAttributeService;
    notes: CustomerNoteService;
    remarks: FollowRemarkService;
  };
}

function groupTags(tags: readonly TagRecord[]): SidebarTagGroupJson[] {
  const groups = new Map<string | null, SidebarTagGroupJson>();
  for (const t of tags) {
    let g = groups.get(t.groupId);
    if (!g) groups.set(t.groupId, (g = { id: t.groupId, name: t.groupName, tags: [] }));
    g.tags.push({ id: t.id, name: t.name });
  }
  return [...groups.values()];
}

/** Enough for a chat: the rep sees the latest orders; the console has the rest. */
const RECENT_ORDERS = 10;

const EXTERNAL_USERID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * What a staff member may see and change from the sidebar: only customers they follow in `wecom_follows`
 * (DESIGN §7), as the admin API's `Customer` JSON with phones masked (staff are not admins). Tag changes are
 * the admin API's manual assignments (same audit and outbox), made in the staff member's name.
 */
export class SidebarCustomersService {
  constructor(private readonly deps: SidebarCustomersDeps) {}

  /** Who is signed in, by name: the page says it at the top and on a refusal. */
  async session(staff: StaffSession): Promise<SidebarSessionJson> {
    const name = await memberName(this.deps.ds, staff.corpId, staff.userid);
    return {
      corpId: staff.corpId,
      userid: staff.userid,
      name: name ?? staff.userid,
      corpName: accountName(this.deps.config, staff.corpId),
    };
  }

  /** The admin API's profile (phone masked), with the latest orders and the names of the accounts it mentions. */
  async profile(staff: StaffSession, externalUserid: string): Promise<SidebarCustomerJson> {
    const customer = await this.followed(staff, externalUserid);
    const [p, orders, defs] = await Promise.all([
      this.deps.profiles.profile(this.deps.ds, customer, 'viewer'),
      recentOrders(this.deps.ds, customer.id, RECENT_ORDERS),
      this.deps.attributes.definitions.list(),
    ]);
    return {
      ...p,
      name: bestName(p),
      follows: p.follows,
      subscriptions: p.subscriptions,
      groups: p.groups,
      consents: p.consents,
      firstChannel: p.channels[0]
        ? { id: p.channels[0].id, name: p.channels[0].name, firstAt: p.channels[0].firstAt }
        : null,
      orders: orders.map(orderJson),
      accountNames: accountNamesOf(this.deps.config),
      fields: defs.items
        .filter((d) => d.editableBy.includes('staff'))
        .map((d) => ({
          key: d.key,
          label: d.label,
          type: d.type,
          ...(d.options ? { options: d.options } : {}),
          pii: d.pii,
        })),
    };
  }

  /** Fills in fields marked for `staff` (DESIGN §10.4): source `staff`, in the rep's name, audited as in the API. */
  async setAttributes(staff: StaffSession, externalUserid: string, body: unknown): Promise<CustomerAttributesJson> {
    const c = await this.followed(staff, externalUserid);
    await this.deps.attributes.values.patch(c.id, body, { actor: actorOf(staff), editor: 'staff', source: 'staff' });
    return this.deps.attributes.values.valuesOf(c.id, 'viewer');
  }

  async addNote(staff: StaffSession, externalUserid: string, body: unknown): Promise<CustomerNoteJson> {
    const c = await this.followed(staff, externalUserid);
    return this.deps.attributes.notes.add(c.id, body, actorOf(staff), 'staff');
  }

  /** The remark and description of the rep's own relation with the customer, written back to WeCom. */
  async setRemark(staff: StaffSession, externalUserid: string, body: unknown): Promise<RemarkQueuedJson> {
    const c = await this.followed(staff, externalUserid);
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b !== 'object' || Object.keys(b).some((k) => k !== 'remark' && k !== 'description'))
      throw attributeInvalid([{ field: 'body', message: 'a rep changes only remark and description' }]);
    return this.deps.attributes.remarks.change(c.id, staff.corpId, staff.userid, b, actorOf(staff));
  }

  async addTags(staff: StaffSession, externalUserid: string, tagIds: readonly string[]): Promise<SidebarTagChangeJson> {
    const c = await this.followed(staff, externalUserid);
    return this.deps.assignments.addToCustomer(c.id, tagIds, actorOf(staff));
  }

  /** `keptBy` names the sources still holding the tag (a segment's `rule`), as in the admin API. */
  async removeTag(staff: StaffSession, externalUserid: string, tagId: string): Promise<SidebarTagChangeJson> {
    const c = await this.followed(staff, externalUserid);
    return this.deps.assignments.removeFromCustomer(c.id, tagId, actorOf(staff));
  }

  async tags(staff: StaffSession, opts: { q?: string; cursor?: string; limit: number }): Promise<SidebarTagPageJson> {
    const page = await this.deps.catalog.list(opts);
    return {
      groups: groupTags(await tagsBoundTo(this.deps.ds, 'wecom', staff.corpId, opts.q)),
      items: page.items.map((t) => ({
        id: t.id,
        name: t.name,
        groupId: t.groupId,
        groupName: t.groupName,
        boundToCorp: t.bindings.some((b) => b.channel === 'wecom' && b.account === staff.corpId),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * One answer (403 NOT_YOUR_CUSTOMER) for a customer this staff member does not follow and for one nobody
   * holds: different answers would let a rep probe which external_userids are customers of the corp.
   */
  private async followed(staff: StaffSession, externalUserid: string): Promise<StoredCustomer> {
    if (!EXTERNAL_USERID.test(externalUserid)) throw notYours(staff);
    const found = await findFollowedCustomer(this.deps.ds, staff.corpId, staff.userid, externalUserid);
    if (!found || found.customer.status === 'erased' || !found.followed) throw notYours(staff);
    if (found.customer.status !== 'merged') return found.customer;
    // Merges move identities to the survivor, so this is only a race with a merge in flight.
    const survivor = await this.deps.profiles.resolve(this.deps.ds, found.customer.id);
    if (!survivor) throw notYours(staff);
    return survivor;
  }
}

/** `wecom:<userid>` as for tags a staff member changes in WeCom itself (src/tags/tags-deps.ts). */
function orderJson(o: RecentOrder): SidebarOrderJson {
  return {
    outTradeNo: o.outTradeNo,
    amountFen: o.amountTotal,
    refundedFen: o.refundedTotal,
    state: o.state,
    paidAt: o.successTime?.toISOString() ?? null,
    createdAt: o.createdAt.toISOString(),
  };
}

function actorOf(staff: StaffSession): Actor {
  return { name: `wecom:${staff.userid}`, role: 'staff' };
}

/** The profile's best-known `name` where the profile has one, else the display name. */
function bestName(p: CustomerProfile): string | null {
  const named = 'name' in p && typeof p.name === 'string' && p.name !== '' ? p.name : null;
  return named ?? p.displayName;
}

/**
 * One answer for a customer this staff member does not follow and for one nobody holds: different answers would
 * let a rep probe which external_userids are customers of the corp. It names who is signed in (the page says so).
 */
function notYours(staff: StaffSession): SidebarError {
  return new SidebarError(
    'NOT_YOUR_CUSTOMER',
    `${staff.userid} follows no customer with this external_userid in WeCom`,
  );
}
