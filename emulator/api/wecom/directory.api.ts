import { WxError } from '../../core/wx-error';
import { corpOf, type Call, type Endpoint } from '../../http/endpoint';
import type { Department, Staff, WecomCorp } from '../../world/wecom-corp';
import { cursorKey } from './contact.api';
import { decodeCursor, encodeCursor } from './cursor';

/**
 * The staff directory as each secret may read it (wechat-api-wecom-ops.md §6): 通讯录同步 sees everything,
 * the sidebar's self-built app sees its visible range (60011 outside it), the 客户联系 secret reads no member
 * data (48002). Members who left answer 60111, as a deleted userid does.
 * https://developer.work.weixin.qq.com/document/path/96067 (list_id) · 96255 (user/get) · 90208 (department/list)
 */
const DIRECTORY_API = { product: 'wecom', auth: 'wecom' } as const;
const LIST_ID_MAX = 10_000;

type Reader = 'directory' | 'agent';

function readerOf(call: Call): { corp: WecomCorp; reader: Reader } {
  const { corp, token } = corpOf(call);
  if (token.app === corp.corp.directoryApp) return { corp, reader: 'directory' };
  if (token.app === corp.corp.agentApp) return { corp, reader: 'agent' };
  throw new WxError(48002);
}

/** Departments the agent may see: those holding a visible member, with their ancestors. */
function visibleDepartments(corp: WecomCorp, reader: Reader): Department[] {
  if (reader === 'directory') return corp.departments;
  const ids = new Set<number>();
  for (const s of corp.members) {
    if (!s.visibleToAgent) continue;
    for (let id: number | undefined = s.departments[0]; id && !ids.has(id); id = corp.department(id)?.parentId)
      ids.add(id);
    for (const d of s.departments) ids.add(d);
  }
  return corp.departments.filter((d) => ids.has(d.id));
}

/**
 * POST /cgi-bin/user/list_id {cursor, limit 1..10000} — one row per (member, department), members in join
 * order; only the contact-sync secret (48002 for any other). Empty next_cursor at the end.
 */
const listId: Endpoint = {
  ...DIRECTORY_API,
  path: '/cgi-bin/user/list_id',
  method: 'POST',
  handle(call) {
    const { corp, token } = corpOf(call);
    if (token.app !== corp.corp.directoryApp) throw new WxError(48002);
    const b = call.body();
    const limit = b.limit === undefined ? LIST_ID_MAX : b.limit;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > LIST_ID_MAX)
      throw new WxError(40058, 'invalid limit');
    const start = typeof b.cursor === 'string' && b.cursor !== '' ? decodeCursor(cursorKey(call), b.cursor, 1)[0]! : 0;
    const rows = corp.members.flatMap((s) => s.departments.map((department) => ({ userid: s.userid, department })));
    const page = rows.slice(start, start + limit);
    const end = start + page.length;
    return { next_cursor: end < rows.length ? encodeCursor(cursorKey(call), [end]) : '', dept_user: page };
  },
};

function memberView(s: Staff): Record<string, unknown> {
  // A self-built app created after 2022-06-20 gets no avatar, gender, mobile, email or address (§6.3).
  return {
    userid: s.userid,
    name: s.name,
    department: s.departments,
    order: s.departments.map(() => 0),
    position: s.position,
    is_leader_in_dept: s.departments.map(() => (s.index === 0 ? 1 : 0)),
    direct_leader: [],
    main_department: s.departments[0] ?? 1,
    status: 1,
    alias: '',
    telephone: '',
  };
}

/** GET /cgi-bin/user/get?userid — case-insensitive userid; left or unknown 60111, outside the range 60011. */
const getUser: Endpoint = {
  ...DIRECTORY_API,
  path: '/cgi-bin/user/get',
  method: 'ANY',
  handle(call) {
    const { corp, reader } = readerOf(call);
    const userid = call.query.userid;
    if (!userid) throw new WxError(41009);
    const s = corp.staffByUserid.get(userid) ?? corp.staff.find((m) => m.userid.toLowerCase() === userid.toLowerCase());
    if (!s || s.left) throw new WxError(60111);
    if (reader === 'agent' && !s.visibleToAgent) throw new WxError(60011);
    return memberView(s);
  },
};

/** GET /cgi-bin/department/list?id — the subtree of `id` (default the whole visible tree); unknown id 60123. */
const departmentList: Endpoint = {
  ...DIRECTORY_API,
  path: '/cgi-bin/department/list',
  method: 'ANY',
  handle(call) {
    const { corp, reader } = readerOf(call);
    const visible = visibleDepartments(corp, reader);
    let shown = visible;
    if (call.query.id !== undefined && call.query.id !== '') {
      const root = Number(call.query.id);
      if (!visible.some((d) => d.id === root))
        throw new WxError(reader === 'agent' && corp.department(root) ? 60011 : 60123);
      const inTree = (d: Department): boolean =>
        d.id === root ||
        (d.parentId !== 0 && corp.department(d.parentId) !== undefined && inTree(corp.department(d.parentId)!));
      shown = visible.filter(inTree);
    }
    return {
      department: shown.map((d) => ({
        id: d.id,
        name: d.name,
        name_en: d.nameEn,
        department_leader: [],
        parentid: d.parentId,
        order: d.order,
      })),
    };
  },
};

export const directoryEndpoints: Endpoint[] = [listId, getUser, departmentList];
