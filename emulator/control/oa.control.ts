import Router from '@koa/router';
import { z } from 'zod';
import { userInfo } from '../api/oa/user-view';
import type { EmulatorState } from '../state';
import { SUBSCRIBE_SCENES, type OaAudience } from '../world/oa-audience';
import { notFound, queryInt, readBody } from './control-body';
import type { Notifier } from './notify';
import { oaAudienceOf } from './world-lookup';

/**
 * World changes for Official Accounts (never emitting callbacks; trigger those through /_emulator/callbacks):
 *   POST /persons {count?, phone?}                                → { persons:[{personId, phone}] }
 *   POST /oa/:appId/users {personId?, count?, subscribed?, subscribeTime?, scene?, qrScene?, qrSceneStr?, remark?, tagIds?}
 *   POST /oa/:appId/users/:openid/subscribe {subscribeTime?, scene?, qrScene?, qrSceneStr?, notify?} · …/unsubscribe {notify?}
 *     notify: true also sends the subscribe / unsubscribe callback (answer: { user, delivery })
 *   POST /oa/:appId/tags {name, openids?} · POST /oa/:appId/tags/:tagId/members {openids?, allFollowers?}
 *   GET  /state/oa/:appId/tags?tagId=&limit=                       → tags with member openids
 *   GET  /state/oa/:appId/users/:openid                            → user/info view + personId
 */
const sceneSchema = z.enum(SUBSCRIBE_SCENES);
const subscribeFields = {
  subscribeTime: z.number().int().min(0).optional(),
  scene: sceneSchema.optional(),
  qrScene: z.number().int().min(0).optional(),
  qrSceneStr: z.string().max(64).optional(),
};

function slotOf(aud: OaAudience, openid: string): number {
  const slot = aud.slotOf(openid);
  if (slot < 0) throw notFound('openid', openid);
  return slot;
}

function subscribeSlot(
  state: EmulatorState,
  aud: OaAudience,
  slot: number,
  b: { subscribeTime?: number; scene?: string; qrScene?: number; qrSceneStr?: string },
): void {
  const scene = SUBSCRIBE_SCENES.indexOf(
    (b.scene ??
      (b.qrScene || b.qrSceneStr ? 'ADD_SCENE_QR_CODE' : 'ADD_SCENE_SEARCH')) as (typeof SUBSCRIBE_SCENES)[number],
  );
  const qr =
    b.qrScene !== undefined || b.qrSceneStr !== undefined
      ? { scene: b.qrScene ?? 0, sceneStr: b.qrSceneStr ?? '' }
      : undefined;
  aud.subscribe(slot, b.subscribeTime ?? state.now(), scene, qr ?? { scene: 0, sceneStr: '' });
}

export function oaRoutes(router: Router, state: EmulatorState, notifier: Notifier): void {
  router.post('/persons', async (ctx) => {
    const b = await readBody(
      ctx,
      z.object({
        count: z.number().int().min(1).max(100_000).default(1),
        phone: z
          .string()
          .regex(/^1\d{10}$/)
          .optional(),
      }),
    );
    const w = state.world;
    const persons = Array.from({ length: b.count }, () => {
      const p = w.addPerson();
      if (b.phone && b.count === 1) w.persons.assignPhone(p, b.phone);
      return { personId: p, phone: w.persons.phoneOf(p) ?? null };
    });
    ctx.body = { persons };
  });

  router.post('/oa/:appId/users', async (ctx) => {
    const aud = oaAudienceOf(state, ctx.params.appId!);
    const b = await readBody(
      ctx,
      z.object({
        personId: z.number().int().min(0).optional(),
        count: z.number().int().min(1).max(1_000_000).default(1),
        subscribed: z.boolean().default(true),
        remark: z.string().max(30).optional(),
        tagIds: z.array(z.number().int()).default([]),
        ...subscribeFields,
      }),
    );
    const w = state.world;
    if (b.personId !== undefined && !w.persons.exists(b.personId)) throw notFound('person', String(b.personId));
    const users = [];
    for (let i = 0; i < (b.personId === undefined ? b.count : 1); i++) {
      const person = b.personId ?? w.addPerson();
      const slot = aud.ensureSlot(person, state.now());
      if (b.subscribed) subscribeSlot(state, aud, slot, b);
      else aud.unsubscribe(slot);
      if (b.remark) aud.remarks.set(slot, b.remark);
      for (const id of b.tagIds) aud.tags.tagSlots(id, [slot]);
      users.push({ personId: person, openid: aud.openid(slot) });
    }
    ctx.body = { users };
  });

  router.post('/oa/:appId/users/:openid/subscribe', async (ctx) => {
    const aud = oaAudienceOf(state, ctx.params.appId!);
    const slot = slotOf(aud, ctx.params.openid!);
    const b = await readBody(ctx, z.object({ ...subscribeFields, notify: z.boolean().default(false) }));
    subscribeSlot(state, aud, slot, b);
    const user = userInfo(aud, slot);
    if (!b.notify) ctx.body = user;
    else {
      const qr = aud.qr(slot);
      const sceneValue = qr.sceneStr || (qr.scene ? String(qr.scene) : undefined);
      ctx.body = { user, delivery: await notifier.oaFollow(aud.app.appId, aud.openid(slot), true, sceneValue) };
    }
  });
  router.post('/oa/:appId/users/:openid/unsubscribe', async (ctx) => {
    const aud = oaAudienceOf(state, ctx.params.appId!);
    const slot = slotOf(aud, ctx.params.openid!);
    const b = await readBody(ctx, z.object({ notify: z.boolean().default(false) }));
    aud.unsubscribe(slot);
    const user = userInfo(aud, slot);
    ctx.body = b.notify
      ? { user, delivery: await notifier.oaFollow(aud.app.appId, aud.openid(slot), false, undefined) }
      : user;
  });

  router.post('/oa/:appId/tags', async (ctx) => {
    const aud = oaAudienceOf(state, ctx.params.appId!);
    const b = await readBody(ctx, z.object({ name: z.string(), openids: z.array(z.string()).default([]) }));
    const slots = b.openids.map((o) => slotOf(aud, o));
    const tag = aud.tags.create(b.name);
    aud.tags.tagSlots(tag.id, slots);
    ctx.body = { id: tag.id, name: tag.name, count: tag.members.count };
  });
  router.post('/oa/:appId/tags/:tagId/members', async (ctx) => {
    const aud = oaAudienceOf(state, ctx.params.appId!);
    const b = await readBody(
      ctx,
      z.object({ openids: z.array(z.string()).default([]), allFollowers: z.boolean().default(false) }),
    );
    const tagId = Number(ctx.params.tagId);
    const slots = b.openids.map((o) => slotOf(aud, o));
    if (b.allFollowers) for (let s = 0; s < aud.size; s++) if (aud.isFollower(s)) slots.push(s);
    aud.tags.tagSlots(tagId, slots);
    ctx.body = { id: tagId, count: aud.tags.get(tagId).members.count };
  });

  router.get('/state/oa/:appId/tags', (ctx) => {
    const aud = oaAudienceOf(state, ctx.params.appId!);
    const only = ctx.query.tagId === undefined ? undefined : Number(ctx.query.tagId);
    const limit = queryInt(ctx, 'limit', 100_000);
    const tags = [...aud.tags.tags.values()]
      .filter((t) => only === undefined || t.id === only)
      .map((t) => {
        const openids: string[] = [];
        for (let s = t.members.nextSet(0); s >= 0 && openids.length < limit; s = t.members.nextSet(s + 1))
          openids.push(aud.openid(s));
        return { id: t.id, name: t.name, count: t.members.count, openids, truncated: openids.length < t.members.count };
      });
    ctx.body = { tags };
  });
  router.get('/state/oa/:appId/users/:openid', (ctx) => {
    const aud = oaAudienceOf(state, ctx.params.appId!);
    const slot = slotOf(aud, ctx.params.openid!);
    ctx.body = { personId: aud.slotPerson.get(slot), ...userInfo(aud, slot) };
  });
}
