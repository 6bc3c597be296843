import Router from '@koa/router';
import { z } from 'zod';
import type { EmulatorState } from '../state';
import type { Relation, Staff, WecomCorp } from '../world/wecom-corp';
import { ControlError, notFound, queryInt, queryString, readBody } from './control-body';
import type { Notifier } from './notify';
import { corpOf } from './world-lookup';

/**
 * World changes for WeCom corps (silent: callbacks are triggered through /_emulator/callbacks):
 *   POST /wecom/:corpId/staff {userid?, name?, contactFeature?, departments?, position?, visibleToAgent?, notify?}
 *   PATCH /wecom/:corpId/staff/:userid {name?, newUserid?, departments?, position?, visibleToAgent?, notify?, minimal?}
 *   POST /wecom/:corpId/staff/:userid/leave {notify?}   (the member leaves: gone from the directory, relations kept)
 *   POST /wecom/:corpId/departments {name, parentId?}
 *   GET  /state/wecom/:corpId/staff
 *     notify on staff changes sends change_contact create_user / update_user / delete_user (`minimal`: only
 *     UserID and Department, as for callback URLs set after 2022-08-15)
 *   POST /wecom/:corpId/contacts {personId?, type?, name?, followers?:[{userid, remark?, description?, addWay?, state?, createtime?, tags?}], followerCount?, notify?}
 *   POST /wecom/:corpId/relations/delete {userid, externalUserId, by: member|customer, notify?}
 *     notify: true also sends add_external_contact (per new relation) / del_external_contact / del_follow_user
 *   POST /wecom/:corpId/corp-tags {groupName, groupOrder?, tags:[name | {name, order}]}
 *   POST /wecom/:corpId/oauth-codes {userid? | personId?, scope?}   → { code }
 *   POST /wecom/:corpId/tokens/invalidate {mode?: invalid|expired, app?: contact|agent}
 *   GET  /state/wecom/:corpId/relations?userid=&external_userid=&limit=   (relation tags as actually stored)
 *   GET  /state/wecom/:corpId/corp-tags
 */
const follower = z.object({
  userid: z.string(),
  remark: z.string().max(20).optional(),
  description: z.string().max(150).optional(),
  addWay: z.number().int().min(0).optional(),
  state: z.string().max(30).optional(),
  createtime: z.number().int().optional(),
  byCustomer: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
});

const departmentIds = z.array(z.number().int().positive()).min(1).max(100);

function checkDepartments(corp: WecomCorp, ids: number[] | undefined): void {
  const unknown = (ids ?? []).filter((id) => !corp.department(id));
  if (unknown.length > 0) throw new ControlError(400, 'UNKNOWN_DEPARTMENT', `no department ${unknown.join(', ')}`);
}

function staffView(s: Staff): Record<string, unknown> {
  return {
    userid: s.userid,
    name: s.name,
    contactFeature: s.contactFeature,
    departments: s.departments,
    position: s.position,
    left: s.left,
    visibleToAgent: s.visibleToAgent,
    customers: s.relations.length,
  };
}

function memberFields(s: Staff): { userId: string; name: string; departments: number[]; position: string; status: 1 } {
  return { userId: s.userid, name: s.name, departments: s.departments, position: s.position, status: 1 };
}

function staffOf(corp: WecomCorp, userid: string) {
  const s = corp.staffByUserid.get(userid);
  if (!s) throw notFound('userid', userid);
  return s;
}

export function relationView(corp: WecomCorp, r: Relation): Record<string, unknown> {
  return {
    userid: r.staff.userid,
    externalUserId: corp.externalUserid(r.slot),
    personId: corp.slotPerson.get(r.slot),
    remark: r.remark,
    description: r.description,
    remarkCorpName: r.remarkCorpName,
    remarkMobiles: r.remarkMobiles,
    createtime: r.createtime,
    addWay: r.addWay,
    state: r.state,
    customerDeleted: r.customerDeleted,
    tags: r.tags.flatMap((n) => {
      const t = corp.tags.tag(n);
      return t ? [{ id: t.id, name: t.name, groupId: t.group.id, groupName: t.group.name }] : [];
    }),
  };
}

export function wecomRoutes(router: Router, state: EmulatorState, notifier: Notifier): void {
  router.post('/wecom/:corpId/staff', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const b = await readBody(
      ctx,
      z.object({
        userid: z
          .string()
          .regex(/^[\w.@-]{1,64}$/)
          .optional(),
        name: z.string().min(1).max(64).optional(),
        contactFeature: z.boolean().default(true),
        departments: departmentIds.optional(),
        position: z.string().max(128).optional(),
        visibleToAgent: z.boolean().default(true),
        notify: z.boolean().default(false),
        minimal: z.boolean().default(false),
      }),
    );
    checkDepartments(corp, b.departments);
    const s = corp.addStaff(b.userid, b.name, b.contactFeature, b.departments);
    if (b.position !== undefined) s.position = b.position;
    s.visibleToAgent = b.visibleToAgent;
    const delivery = b.notify
      ? await notifier.member(corp.corp.corpId, { changeType: 'create_user', ...memberFields(s), minimal: b.minimal })
      : undefined;
    ctx.body = { ...staffView(s), ...(delivery ? { delivery } : {}) };
  });

  router.patch('/wecom/:corpId/staff/:userid', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const s = staffOf(corp, ctx.params.userid!);
    const b = await readBody(
      ctx,
      z.object({
        name: z.string().min(1).max(64).optional(),
        newUserid: z
          .string()
          .regex(/^[\w.@-]{1,64}$/)
          .optional(),
        departments: departmentIds.optional(),
        position: z.string().max(128).optional(),
        visibleToAgent: z.boolean().optional(),
        notify: z.boolean().default(false),
        minimal: z.boolean().default(false),
      }),
    );
    if (s.left) throw new ControlError(409, 'MEMBER_LEFT', `${s.userid} has left the corp`);
    checkDepartments(corp, b.departments);
    if (b.newUserid !== undefined && b.newUserid !== s.userid && corp.staffByUserid.has(b.newUserid))
      throw new ControlError(409, 'USERID_TAKEN', `userid ${b.newUserid} already exists`);
    const oldUserid = s.userid;
    if (b.name !== undefined) s.name = b.name;
    if (b.departments !== undefined) s.departments = b.departments;
    if (b.position !== undefined) s.position = b.position;
    if (b.visibleToAgent !== undefined) s.visibleToAgent = b.visibleToAgent;
    const renamed = b.newUserid !== undefined && b.newUserid !== oldUserid;
    if (renamed) corp.renameStaff(s, b.newUserid!);
    const delivery = b.notify
      ? await notifier.member(corp.corp.corpId, {
          changeType: 'update_user',
          ...memberFields(s),
          userId: oldUserid,
          ...(renamed ? { newUserId: s.userid } : {}),
          minimal: b.minimal,
        })
      : undefined;
    ctx.body = { ...staffView(s), ...(delivery ? { delivery } : {}) };
  });

  router.post('/wecom/:corpId/staff/:userid/leave', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const s = staffOf(corp, ctx.params.userid!);
    const b = await readBody(ctx, z.object({ notify: z.boolean().default(false) }));
    if (!s.left) s.leftAt = state.now();
    s.left = true;
    const delivery = b.notify
      ? await notifier.member(corp.corp.corpId, { changeType: 'delete_user', userId: s.userid })
      : undefined;
    ctx.body = { ...staffView(s), ...(delivery ? { delivery } : {}) };
  });

  router.post('/wecom/:corpId/departments', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const b = await readBody(
      ctx,
      z.object({ name: z.string().min(1).max(64), parentId: z.number().int().positive().default(1) }),
    );
    checkDepartments(corp, [b.parentId]);
    const d = corp.addDepartment(b.name, b.parentId);
    ctx.body = { id: d.id, name: d.name, parentId: d.parentId };
  });

  router.get('/state/wecom/:corpId/staff', (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    ctx.body = {
      staff: corp.staff.map(staffView),
      departments: corp.departments.map((d) => ({ id: d.id, name: d.name, parentId: d.parentId })),
    };
  });

  router.post('/wecom/:corpId/contacts', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const b = await readBody(
      ctx,
      z.object({
        personId: z.number().int().min(0).optional(),
        type: z.union([z.literal(1), z.literal(2)]).default(1),
        name: z.string().optional(),
        followers: z.array(follower).default([]),
        followerCount: z.number().int().min(0).max(100_000).default(0),
        notify: z.boolean().default(false),
      }),
    );
    const w = state.world;
    if (b.personId !== undefined && !w.persons.exists(b.personId)) throw notFound('person', String(b.personId));
    const person = b.personId ?? w.addPerson();
    let slot = corp.personSlot.get(person);
    if (slot < 0) slot = corp.addCustomer(person, b.type);
    if (b.name) corp.names.set(slot, b.name);
    const specs = [...b.followers];
    for (const s of corp.staff) {
      if (specs.length >= b.followers.length + b.followerCount) break;
      if (s.contactFeature && !specs.some((f) => f.userid === s.userid)) specs.push({ userid: s.userid });
    }
    if (specs.length < b.followers.length + b.followerCount)
      throw new ControlError(400, 'NOT_ENOUGH_STAFF', 'not enough members with the customer-contact feature');
    const added: Relation[] = [];
    for (const f of specs) {
      const staff = staffOf(corp, f.userid);
      if (corp.relation(staff, slot)) continue;
      const tags = (f.tags ?? []).map((id) => corp.tags.liveTag(id).num);
      added.push(corp.addRelation(staff, slot, { ...f, createtime: f.createtime ?? state.now(), tags }));
    }
    const externalUserId = corp.externalUserid(slot);
    const deliveries = [];
    if (b.notify)
      for (const r of added)
        deliveries.push(
          await notifier.relation(corp.corp.corpId, 'add_external_contact', r.staff.userid, externalUserId, r.state),
        );
    ctx.body = {
      personId: person,
      externalUserId,
      followers: corp.relationsBySlot[slot]!.map((r) => r.staff.userid),
      ...(b.notify ? { deliveries } : {}),
    };
  });

  router.post('/wecom/:corpId/relations/delete', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const b = await readBody(
      ctx,
      z.object({
        userid: z.string(),
        externalUserId: z.string(),
        by: z.enum(['member', 'customer']),
        notify: z.boolean().default(false),
      }),
    );
    const slot = corp.slotOf(b.externalUserId);
    const rel = slot < 0 ? undefined : corp.relation(staffOf(corp, b.userid), slot);
    if (!rel) throw notFound('relation', `${b.userid}/${b.externalUserId}`);
    if (b.by === 'member') corp.removeRelation(rel);
    else rel.customerDeleted = true;
    const changeType = b.by === 'member' ? 'del_external_contact' : 'del_follow_user';
    ctx.body = b.notify
      ? { deleted: b.by, delivery: await notifier.relation(corp.corp.corpId, changeType, b.userid, b.externalUserId) }
      : { deleted: b.by };
  });

  router.post('/wecom/:corpId/corp-tags', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const b = await readBody(
      ctx,
      z.object({
        groupName: z.string(),
        groupOrder: z.number().int().min(0).optional(),
        tags: z
          .array(z.union([z.string(), z.object({ name: z.string(), order: z.number().int().min(0).optional() })]))
          .min(1),
      }),
    );
    const { group, created } = corp.tags.add(
      { groupName: b.groupName, groupOrder: b.groupOrder },
      b.tags.map((t) => (typeof t === 'string' ? { name: t } : t)),
      state.now(),
    );
    ctx.body = { groupId: group.id, groupName: group.name, tags: created.map((t) => ({ id: t.id, name: t.name })) };
  });

  router.post('/wecom/:corpId/oauth-codes', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const b = await readBody(
      ctx,
      z.object({
        userid: z.string().optional(),
        personId: z.number().int().min(0).optional(),
        scope: z.enum(['snsapi_base', 'snsapi_privateinfo']).default('snsapi_base'),
      }),
    );
    const privateInfo = b.scope === 'snsapi_privateinfo';
    const corpId = corp.corp.corpId;
    if (b.personId !== undefined) {
      if (!state.world.persons.exists(b.personId)) throw notFound('person', String(b.personId));
      ctx.body = state.wecomCodes.mint({ corpId, person: b.personId, privateInfo }, state.now());
      return;
    }
    if (!b.userid) throw new ControlError(400, 'INVALID_BODY', 'userid or personId is required');
    staffOf(corp, b.userid);
    ctx.body = state.wecomCodes.mint({ corpId, userid: b.userid, privateInfo }, state.now());
  });

  router.post('/wecom/:corpId/tokens/invalidate', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const b = await readBody(
      ctx,
      z.object({
        mode: z.enum(['invalid', 'expired']).default('invalid'),
        app: z.enum(['contact', 'agent']).optional(),
      }),
    );
    const app = b.app === undefined ? undefined : b.app === 'contact' ? corp.corp.contactApp : corp.corp.agentApp;
    ctx.body = { invalidated: state.wecomTokens.invalidate(corp.corp.corpId, b.mode, state.now(), app), mode: b.mode };
  });

  router.get('/state/wecom/:corpId/relations', (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const userid = queryString(ctx, 'userid');
    const ext = queryString(ctx, 'external_userid');
    const limit = queryInt(ctx, 'limit', 10_000);
    let rels: Relation[];
    if (ext !== undefined) {
      const slot = corp.slotOf(ext);
      rels = slot < 0 ? [] : corp.relationsBySlot[slot]!;
      if (userid !== undefined) rels = rels.filter((r) => r.staff.userid === userid);
    } else if (userid !== undefined) {
      rels = staffOf(corp, userid).relations;
    } else {
      rels = corp.staff.flatMap((s) => s.relations);
    }
    ctx.body = { relations: rels.slice(0, limit).map((r) => relationView(corp, r)), total: rels.length };
  });

  router.get('/state/wecom/:corpId/corp-tags', (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    ctx.body = {
      groups: corp.tags.groups().map((g) => ({
        id: g.id,
        name: g.name,
        order: g.order,
        tags: g.tags.map((t) => ({ id: t.id, name: t.name, order: t.order })),
      })),
      liveTags: corp.tags.liveTags,
      limit: corp.tags.limit,
    };
  });
}
