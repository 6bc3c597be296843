import type { DataSource } from 'typeorm';
import type { CustomerProfile, ProfileService } from '../customers/profile.service';
import type { StoredCustomer } from '../identity/customer.repository';
import type { AssignmentService } from '../tags/assignments/assignment.service';
import type { CustomerTagView } from '../tags/assignments/customer-tag.repository';
import type { TagCatalogService } from '../tags/catalog/tag-catalog.service';
import { tagsBoundTo, type TagRecord } from '../tags/catalog/tag.repository';
import type { Actor } from '../tags/tags-deps';
import { findFollowedCustomer } from './followed-customer.repository';
import { SidebarError } from './sidebar.errors';
import type { StaffSession } from './staff-session';

export interface SidebarCustomersDeps {
  ds: DataSource;
  profiles: ProfileService;
  assignments: AssignmentService;
  catalog: TagCatalogService;
}

/** A tag of the picker: the catalog entry, and whether it is bound to a corp tag of the staff member's corp. */
export interface PickerTag {
  id: string;
  name: string;
  groupId: string | null;
  groupName: string | null;
  boundToCorp: boolean;
}

/** One tag group of the picker with the corp's tags in it (`id`/`name` null: tags in no group). */
export interface PickerGroup {
  id: string | null;
  name: string | null;
  tags: { id: string; name: string }[];
}

function groupTags(tags: readonly TagRecord[]): PickerGroup[] {
  const groups = new Map<string | null, PickerGroup>();
  for (const t of tags) {
    let g = groups.get(t.groupId);
    if (!g) groups.set(t.groupId, (g = { id: t.groupId, name: t.groupName, tags: [] }));
    g.tags.push({ id: t.id, name: t.name });
  }
  return [...groups.values()];
}

const EXTERNAL_USERID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * What a staff member may see and change from the sidebar: only customers they follow in `wecom_follows`
 * (DESIGN §7), as the admin API's `Customer` JSON with phones masked (staff are not admins). Tag changes are
 * the admin API's manual assignments (same audit and outbox), made in the staff member's name.
 */
export class SidebarCustomersService {
  constructor(private readonly deps: SidebarCustomersDeps) {}

  async profile(staff: StaffSession, externalUserid: string): Promise<CustomerProfile> {
    return this.deps.profiles.profile(this.deps.ds, await this.followed(staff, externalUserid), 'viewer');
  }

  async addTags(staff: StaffSession, externalUserid: string, tagIds: readonly string[]): Promise<{ customerId: string; tags: CustomerTagView[] }> {
    const c = await this.followed(staff, externalUserid);
    return this.deps.assignments.addToCustomer(c.id, tagIds, actorOf(staff));
  }

  /** `keptBy` names the sources still holding the tag (a segment's `rule`), as in the admin API. */
  async removeTag(staff: StaffSession, externalUserid: string, tagId: string): Promise<{ customerId: string; tags: CustomerTagView[]; keptBy: string[] }> {
    const c = await this.followed(staff, externalUserid);
    return this.deps.assignments.removeFromCustomer(c.id, tagId, actorOf(staff));
  }

  /**
   * The picker: `groups` are the catalog tags bound to the staff member's corp (its corp tag library and tags
   * pushed there) by tag group, what a rep toggles; `items` pages the whole catalog as before.
   */
  async tags(staff: StaffSession, opts: { q?: string; cursor?: string; limit: number }): Promise<{ groups: PickerGroup[]; items: PickerTag[]; nextCursor: string | null }> {
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
    if (!EXTERNAL_USERID.test(externalUserid)) throw notYours();
    const found = await findFollowedCustomer(this.deps.ds, staff.corpId, staff.userid, externalUserid);
    if (!found || found.customer.status === 'erased' || !found.followed) throw notYours();
    if (found.customer.status !== 'merged') return found.customer;
    // Merges move identities to the survivor, so this is only a race with a merge in flight.
    const survivor = await this.deps.profiles.resolve(this.deps.ds, found.customer.id);
    if (!survivor) throw notYours();
    return survivor;
  }
}

/** `wecom:<userid>` as for tags a staff member changes in WeCom itself (src/tags/tags-deps.ts). */
function actorOf(staff: StaffSession): Actor {
  return { name: `wecom:${staff.userid}`, role: 'staff' };
}

function notYours(): SidebarError {
  return new SidebarError('NOT_YOUR_CUSTOMER', 'no customer you follow in WeCom has this external_userid');
}
