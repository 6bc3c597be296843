import type { DataSource } from '../../storage';
import type { WecomClient } from '../../../connectors/wecom/client';
import type { MemberWire } from '../../../connectors/wecom/client-types';
import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import {
  countSeen,
  departmentsOf,
  markUnseenLeft,
  saveMembers,
  seenUserids,
  type MemberWrite,
  type StaffDepartment,
} from '../../storage/staff/wecom-staff.repository';
import { throwIfAborted, type SyncTask, type SyncTaskContext } from '../sync-types';

/**
 * Resume point: which phase, which member list the run read (`list_id` is the whole corp; the customer-contact
 * member list is only staff with the feature), the list_id cursor, and the last userid whose user/get was saved.
 */
interface StaffCheckpoint {
  phase: 'list' | 'names' | 'done';
  source: 'list_id' | 'follow_users' | null;
  cursor: string;
  after: string;
}

/** user/get calls per saved page. */
const NAMES_PAGE = 20;

const denied = (err: unknown): boolean => isWechatApiError(err) && err.category === 'PERMISSION_DENIED';
const gone = (err: unknown): boolean => isWechatApiError(err) && err.category === 'NOT_FOUND';

/**
 * Full WeCom staff sync (DESIGN §10.3): the member list — `user/list_id` with the contact-sync secret, else (no
 * such secret, or 48002) the members with the customer-contact feature — then `user/get` per member for name,
 * departments and position, with department names from `department/list`. A member the app may not read (60011,
 * 48002) keeps what is stored; one WeCom no longer knows (60111) or reports as left (status 5) is `left`. Only a
 * list_id read is complete, so only then are members the run did not see marked `left`.
 * https://developer.work.weixin.qq.com/document/path/96067 · https://developer.work.weixin.qq.com/document/path/96255
 */
export function staffSync(ds: DataSource, client: (corpId: string) => WecomClient): SyncTask {
  return {
    async run(ctx: SyncTaskContext) {
      if (ctx.account.kind !== 'wecom') throw new Error('staff needs a wecom account');
      const corpId = ctx.account.corpId;
      const wecom = client(corpId);
      const departmentNames = await readDepartmentNames(wecom);
      let cp: StaffCheckpoint = (ctx.checkpoint as StaffCheckpoint | null) ?? {
        phase: 'list',
        source: null,
        cursor: '',
        after: '',
      };

      if (cp.phase === 'list') {
        let source = cp.source ?? (wecom.directory.hasDirectorySecret ? 'list_id' : 'follow_users');
        if (source === 'list_id') {
          const completed = await listAll(ds, wecom, corpId, cp.cursor, departmentNames, ctx);
          if (!completed) source = 'follow_users';
        }
        if (source === 'follow_users') {
          const userids = [...new Set(await wecom.contacts.getFollowUserList())];
          await saveMembers(
            ds,
            corpId,
            userids.map((userid) => ({ userid, status: 'active' as const })),
            ctx.now(),
            ctx.now(),
          );
        }
        cp = { phase: 'names', source, cursor: '', after: '' };
        await ctx.setTotal(await countSeen(ds, corpId, ctx.startedAt));
        await ctx.savePage(cp, {});
      }

      while (cp.phase === 'names') {
        throwIfAborted(ctx.signal);
        const userids = await seenUserids(ds, corpId, ctx.startedAt, cp.after, NAMES_PAGE);
        if (userids.length === 0) {
          cp = { ...cp, phase: 'done' };
          break;
        }
        const read = await Promise.all(userids.map((u) => readMember(wecom, u, departmentNames)));
        const members = read.filter((m): m is MemberWrite => m !== undefined);
        await saveMembers(ds, corpId, members, ctx.now(), ctx.now());
        cp = { ...cp, after: userids[userids.length - 1]! };
        await ctx.savePage(cp, { processed: userids.length, updated: members.length });
      }

      const left = cp.source === 'list_id' ? await markUnseenLeft(ds, corpId, ctx.startedAt, ctx.now()) : 0;
      if (left > 0) ctx.logger.info({ left }, 'members the directory no longer lists marked left');
      await ctx.savePage({ ...cp, phase: 'done' }, { updated: left });
    },
  };
}

/** Department id → name; empty when the secret may not read departments (names then stay null). */
export async function readDepartmentNames(wecom: WecomClient): Promise<Map<number, string>> {
  try {
    return new Map((await wecom.directory.listDepartments()).flatMap((d) => (d.name ? [[d.id, d.name] as const] : [])));
  } catch (err) {
    if (denied(err)) return new Map();
    throw err;
  }
}

/**
 * Pages list_id from `cursor`, saving each page's members (a member's departments gathered across pages) and
 * the next cursor. False when the secret may not call it (48002) before any page was read.
 */
async function listAll(
  ds: DataSource,
  wecom: WecomClient,
  corpId: string,
  cursor: string,
  names: Map<number, string>,
  ctx: SyncTaskContext,
): Promise<boolean> {
  let next = cursor;
  for (;;) {
    throwIfAborted(ctx.signal);
    let page;
    try {
      page = await wecom.directory.listIds(next);
    } catch (err) {
      if (next === '' && denied(err)) {
        ctx.logger.info(
          'user/list_id not permitted for the configured secrets; reading the customer-contact members instead',
        );
        return false;
      }
      throw err;
    }
    const byUser = new Map<string, number[]>();
    for (const r of page.rows) byUser.set(r.userid, [...(byUser.get(r.userid) ?? []), r.department]);
    const earlier = await departmentsOf(ds, corpId, [...byUser.keys()], ctx.startedAt);
    const members: MemberWrite[] = [...byUser].map(([userid, ids]) => {
      const seen = new Set((earlier.get(userid) ?? []).map((d) => d.id));
      const merged = [
        ...(earlier.get(userid) ?? []),
        ...ids.filter((id) => !seen.has(id)).map((id) => department(id, names)),
      ];
      return { userid, departments: merged, status: 'active' };
    });
    await saveMembers(ds, corpId, members, ctx.now(), ctx.now());
    const more = page.nextCursor !== '' && page.nextCursor !== next;
    await ctx.savePage(
      { phase: 'list', source: 'list_id', cursor: more ? page.nextCursor : '', after: '' } satisfies StaffCheckpoint,
      {},
    );
    if (!more) return true;
    next = page.nextCursor;
  }
}

function department(id: number, names: Map<number, string>): StaffDepartment {
  return { id, name: names.get(id) ?? null };
}

/** One member by user/get: left when WeCom no longer knows them, undefined when the secret may not read them. */
export async function readMember(
  wecom: WecomClient,
  userid: string,
  names: Map<number, string>,
): Promise<MemberWrite | undefined> {
  let m: MemberWire;
  try {
    m = await wecom.directory.getUser(userid);
  } catch (err) {
    if (gone(err)) return { userid, status: 'left' };
    if (denied(err)) return undefined;
    throw err;
  }
  return {
    userid,
    ...(m.name ? { name: m.name } : {}),
    ...(m.department ? { departments: m.department.map((id) => department(id, names)) } : {}),
    ...(m.position !== undefined ? { position: m.position || null } : {}),
    status: m.status === 5 ? 'left' : 'active',
  };
}
