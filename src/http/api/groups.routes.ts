import type Router from '@koa/router';
import { findWecom } from '../../../config';
import type { AppContext } from '../../app-context';
import { requireRole } from '../../auth/api-key.middleware';
import {
  groupById,
  groupMemberViews,
  pageGroups,
  type GroupFilter,
  type GroupMemberView,
  type GroupSummary,
} from '../../storage/groups/group-list.repository';
import { UnknownAccountError } from '../../tokens/unknown-account.error';
import { notFound, validationFailed } from '../http-error';
import { parseIdCursor, parseLimit } from './paging';

/** One optional single-valued query parameter of 1..max characters, else 422 naming it. */
function textParam(query: Record<string, unknown>, name: string, max: number): string | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || v.length > max)
    throw validationFailed(`${name} must be one value of at most ${max} characters`, { field: name });
  return v;
}

const summaryJson = (g: GroupSummary) => ({ ...g, createdAt: g.createdAt.toISOString() });

/** DESIGN §13: staff members carry `userid`, external ones `externalUserId` and the customer; `leftAt` once left. */
const memberJson = (m: GroupMemberView) => ({
  type: m.type,
  ...(m.type === 'staff' ? { userid: m.userid } : { externalUserId: m.userid, customerId: m.customerId }),
  name: m.name,
  joinedAt: m.joinedAt?.toISOString() ?? null,
  joinScene: m.joinScene,
  ...(m.leftAt ? { leftAt: m.leftAt.toISOString() } : {}),
});

/**
 * `GET /api/v1/groups?corpId=&owner=&q=&limit=&cursor=` and `GET /api/v1/groups/:id` (DESIGN §10.1, §13): customer
 * groups newest first, `q` a name prefix, owner and staff names from the staff directory; one group adds its
 * members, current and left. A corp that is not configured is a 404.
 */
export function registerGroupRoutes(router: Router, app: AppContext): void {
  router.get('/groups', requireRole('viewer'), async (ctx) => {
    const limit = parseLimit(ctx.query.limit);
    const filter: GroupFilter = {};
    const corpId = textParam(ctx.query, 'corpId', 64);
    if (corpId !== undefined) {
      if (!findWecom(app.config, corpId)) throw new UnknownAccountError('WeCom', corpId);
      filter.corpId = corpId;
    }
    const owner = textParam(ctx.query, 'owner', 64);
    if (owner !== undefined) filter.ownerUserid = owner;
    const q = textParam(ctx.query, 'q', 128);
    if (q !== undefined) filter.namePrefix = q;
    const cursor = parseIdCursor(ctx.query.cursor);
    if (cursor !== undefined) filter.beforeId = cursor;
    const rows = await pageGroups(app.ds, filter, limit + 1);
    const page = rows.slice(0, limit);
    ctx.body = { items: page.map(summaryJson), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  });

  router.get('/groups/:id', requireRole('viewer'), async (ctx) => {
    const id = ctx.params.id ?? '';
    const group = /^\d{1,20}$/.test(id) ? await groupById(app.ds, id) : undefined;
    if (!group) throw notFound('group');
    const members = await groupMemberViews(app.ds, group.corpId, group.chatId);
    ctx.body = { ...summaryJson(group), members: members.map(memberJson) };
  });
}
