import type { NormalizedEvent, StaffChanged } from '../../connectors/common/normalized-event';
import type { ApplyContext } from '../inbox/event-applier';
import type { EventHook } from '../inbox/event-hooks';
import type { Db } from '../storage/sql';
import {
  departmentsOf,
  renameMember,
  saveMembers,
  type MemberWrite,
  type StaffDepartment,
} from '../storage/staff/wecom-staff.repository';

/**
 * The staff directory's part of inbound events (DESIGN §10.3): change_contact keeps `wecom_staff` current
 * between staff syncs, inside the inbox transaction. A member who left keeps the row as `left`; a renamed
 * member's row moves to the new userid. Fields the callback left out (newer callback URLs send only UserID and
 * Department) keep their stored values until the member's re-read (refresh-hints.hook.ts) fills them in.
 */
export const staffEventHook: EventHook = {
  name: 'staff',
  kinds: ['staff.changed'],
  async apply(ctx: ApplyContext, e: NormalizedEvent): Promise<void> {
    if (e.kind !== 'staff.changed') return;
    const corpId = e.account;
    if (e.change === 'deleted') {
      await saveMembers(ctx.em, corpId, [{ userid: e.userId, status: 'left' }], ctx.now);
      return;
    }
    let userid = e.userId;
    if (e.newUserId && e.newUserId !== e.userId) {
      await renameMember(ctx.em, corpId, e.userId, e.newUserId, ctx.now);
      userid = e.newUserId;
    }
    await saveMembers(ctx.em, corpId, [await memberOf(ctx.em, corpId, userid, e)], ctx.now);
  },
};

async function memberOf(db: Db, corpId: string, userid: string, e: StaffChanged): Promise<MemberWrite> {
  const m: MemberWrite = { userid, status: 'active' };
  if (e.name !== undefined) m.name = e.name;
  if (e.position !== undefined) m.position = e.position;
  if (e.departments !== undefined) {
    const known = new Map<number, string | null>();
    for (const d of (await departmentsOf(db, corpId, [userid])).get(userid) ?? []) known.set(d.id, d.name);
    m.departments = e.departments.map((id): StaffDepartment => ({ id, name: known.get(id) ?? null }));
  }
  return m;
}
