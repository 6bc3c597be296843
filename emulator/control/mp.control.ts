import Router from '@koa/router';
import { z } from 'zod';
import type { EmulatorState } from '../state';
import type { MpAudience } from '../world/mp-audience';
import { notFound, readBody } from './control-body';

/**
 * Mini Program users and the codes the client side would produce (wx.login, getPhoneNumber button):
 *   POST /mp/:appId/users {personId?}                         → { personId, openid }
 *   POST /mp/:appId/js-codes {personId? | openid?, blocked?}  → { code, openid, personId, expiresAt }
 *   POST /mp/:appId/phone-codes {personId? | openid?, phone?} → { code, phoneNumber, personId, expiresAt }
 * Without personId/openid a new person is created. Codes are single use and live 5 minutes.
 */
const who = z.object({ personId: z.number().int().min(0).optional(), openid: z.string().optional() });

function audience(state: EmulatorState, appId: string): MpAudience {
  const aud = state.world.mpApp(appId);
  if (!aud) throw notFound('mini program', appId);
  return aud;
}

function slotFor(state: EmulatorState, aud: MpAudience, b: z.infer<typeof who>): number {
  if (b.openid !== undefined) {
    const slot = aud.slotOf(b.openid);
    if (slot < 0) throw notFound('openid', b.openid);
    return slot;
  }
  const w = state.world;
  if (b.personId !== undefined && !w.persons.exists(b.personId)) throw notFound('person', String(b.personId));
  return aud.ensureSlot(b.personId ?? w.addPerson());
}

export function mpRoutes(router: Router, state: EmulatorState): void {
  router.post('/mp/:appId/users', async (ctx) => {
    const aud = audience(state, ctx.params.appId!);
    const slot = slotFor(state, aud, await readBody(ctx, who));
    ctx.body = { personId: aud.slotPerson.get(slot), openid: aud.openid(slot) };
  });

  router.post('/mp/:appId/js-codes', async (ctx) => {
    const aud = audience(state, ctx.params.appId!);
    const b = await readBody(ctx, who.extend({ blocked: z.boolean().default(false) }));
    const slot = slotFor(state, aud, b);
    const { code, expiresAt } = state.jsCodes.mint({ appId: aud.app.appId, slot, blocked: b.blocked }, state.now());
    ctx.body = { code, openid: aud.openid(slot), personId: aud.slotPerson.get(slot), expiresAt };
  });

  router.post('/mp/:appId/phone-codes', async (ctx) => {
    const aud = audience(state, ctx.params.appId!);
    const b = await readBody(
      ctx,
      who.extend({
        phone: z
          .string()
          .regex(/^1\d{10}$/)
          .optional(),
      }),
    );
    const slot = slotFor(state, aud, b);
    const person = aud.slotPerson.get(slot);
    const persons = state.world.persons;
    const phone = b.phone
      ? persons.assignPhone(person, b.phone)
      : (persons.phoneOf(person) ?? persons.assignPhone(person));
    const { code, expiresAt } = state.phoneCodes.mint({ appId: aud.app.appId, phone, slot }, state.now());
    ctx.body = { code, phoneNumber: phone, personId: person, openid: aud.openid(slot), expiresAt };
  });
}
