import type Router from '@koa/router';
import { findWecom } from '../../../config';
import type { AppContext } from '../../app-context';
import { requireRole } from '../../auth/api-key.middleware';
import type { StaffPageJson } from '../../staff/staff-api.types';
import { listMembers } from '../../storage/staff/wecom-staff.repository';
import { UnknownAccountError } from '../../tokens/unknown-account.error';
import { badRequest } from '../http-error';

/**
 * `GET /api/v1/staff?corpId=` (DESIGN §10.3, §13) → `{ items: [{ corpId, userid, name, departments, status,
 * customerCount, position, updatedAt }] }`, members by userid, `customerCount` their live follow relations.
 * Without corpId every configured corp's members are listed; a corp that is not configured is a 404.
 */
export function registerStaffRoutes(router: Router, app: AppContext): void {
  router.get('/staff', requireRole('viewer'), async (ctx) => {
    const corpId = ctx.query.corpId;
    if (corpId !== undefined && typeof corpId !== 'string') throw badRequest('corpId is a single value');
    if (corpId && !findWecom(app.config, corpId)) throw new UnknownAccountError('WeCom', corpId);
    const body: StaffPageJson = { items: await listMembers(app.ds, corpId || undefined) };
    ctx.body = body;
  });
}
