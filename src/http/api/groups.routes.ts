import type Router from '@koa/router';
import { accountName, findWecom, type SiyuConfig } from '../../../config';
import type { AppContext } from '../../app-context';
import { requireRole } from '../../auth/api-key.middleware';
import type {
  GroupActivityJson,
  GroupDetailJson,
  GroupMemberJson,
  GroupPageJson,
  GroupSummaryJson,
} from '../../groups/groups-api.types';
import { localDate, rangeWindow } from '../../overview/local-days';
import {
  groupActivity,
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

const ACTIVITY_DAYS_DEFAULT = 30;
const ACTIVITY_DAYS_MAX = 366;

/** An optional `YYYY-MM-DD` query parameter that is a real calendar date, else 422 naming it. */
function dateParam(query: Record<string, unknown>, name: string): string | undefined {
  const v = textParam(query, name, 10);
  if (v === undefined) return undefined;
  const ms = /^\d{4}-\d\d-\d\d$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== v)
    throw validationFailed(`${name} must be a date YYYY-MM-DD`, { field: name });
  return v;
}

const addDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const summaryJson = (config: SiyuConfig, g: GroupSummary): GroupSummaryJson => ({
  ...g,
  corpName: accountName(config, g.corpId),
  createdAt: g.createdAt.toISOString(),
});

/** DESIGN §13: staff members carry `userid`, external ones `externalUserId` and the customer; `leftAt` once left. */
const memberJson = (m: GroupMemberView): GroupMemberJson => ({
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
 * members, current and left. A corp that is not configured is a 404. `GET /api/v1/groups/:id/activity?from=&to=`:
 * members joined and left per local day (`server.timezone`), the last 30 days unless given.
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
    const body: GroupPageJson = {
      items: page.map((g) => summaryJson(app.config, g)),
      nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
    };
    ctx.body = body;
  });

  const groupOf = async (id: string | undefined): Promise<GroupSummary> => {
    const group = id && /^\d{1,20}$/.test(id) ? await groupById(app.ds, id) : undefined;
    if (!group) throw notFound('group');
    return group;
  };

  router.get('/groups/:id', requireRole('viewer'), async (ctx) => {
    const group = await groupOf(ctx.params.id);
    const members = await groupMemberViews(app.ds, group.corpId, group.chatId);
    const body: GroupDetailJson = { ...summaryJson(app.config, group), members: members.map(memberJson) };
    ctx.body = body;
  });

  router.get('/groups/:id/activity', requireRole('viewer'), async (ctx) => {
    const zone = app.config.server.timezone;
    const to = dateParam(ctx.query, 'to') ?? localDate(Date.now(), zone);
    const from = dateParam(ctx.query, 'from') ?? addDays(to, 1 - ACTIVITY_DAYS_DEFAULT);
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    if (days < 1 || days > ACTIVITY_DAYS_MAX)
      throw validationFailed(`from..to must be 1 to ${ACTIVITY_DAYS_MAX} days, from not after to`, { field: 'from' });
    const group = await groupOf(ctx.params.id);
    const window = rangeWindow(from, to, zone);
    const byDate = new Map(window.dates.map((date) => [date, { date, joined: 0, left: 0 }]));
    for (const c of await groupActivity(app.ds, group.corpId, group.chatId, window.spans)) {
      const day = byDate.get(c.date);
      if (day) day[c.kind] += c.n;
    }
    const body: GroupActivityJson = { from, to, days: [...byDate.values()] };
    ctx.body = body;
  });
}
