import type Router from '@koa/router';
import { z } from 'zod';
import { contactWayView, wayMembers } from '../api/wecom/contact-way.api';
import { ID_ALPHABET } from '../core/hash';
import type { EmulatorState } from '../state';
import { ContactWayStore } from '../world/contact-ways';
import { ControlError, notFound, readBody } from './control-body';
import type { Notifier } from './notify';
import { corpOf } from './world-lookup';

/**
 * Contact ways (created through add_contact_way) and customers adding members through them:
 *   POST /wecom/:corpId/contact-ways/:configId/add {personId? | externalUserId?, userid?, welcomeCode?, notify?}
 *     → { personId, externalUserId, userid, state, welcomeCode, delivery? }
 *     the customer (a new person unless given) adds the named member, else the way's next member in turn: the
 *     relation is created with the way's state and add_way 1, and add_external_contact goes out with State and a
 *     WelcomeCode (good once, for 20 s on the emulator clock; welcomeCode: false leaves it out, as WeChat does when a
 *     console welcome message is configured). Already a contact of that member: 409.
 *   GET /state/wecom/:corpId/contact-ways         → { contactWays:[get_contact_way view + adds] }
 *   GET /state/wecom/:corpId/welcome-messages     → { sent:[{welcomeCode, userid, externalUserId, text, attachments, sentAt, eventAtMs, sentAtMs}] }
 */
export function contactWayRoutes(router: Router, state: EmulatorState, notifier: Notifier): void {
  router.post('/wecom/:corpId/contact-ways/:configId/add', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const way = corp.contactWays.ways.get(ctx.params.configId!);
    if (!way) throw notFound('contact way', ctx.params.configId!);
    const b = await readBody(
      ctx,
      z.object({
        personId: z.number().int().min(0).optional(),
        externalUserId: z.string().optional(),
        userid: z.string().optional(),
        welcomeCode: z.boolean().default(true),
        notify: z.boolean().default(true),
      }),
    );
    const members = wayMembers(corp, way);
    const staff =
      b.userid !== undefined ? members.find((s) => s.userid === b.userid) : ContactWayStore.pick(way, members);
    if (!staff)
      throw new ControlError(
        409,
        'NOT_ON_CONTACT_WAY',
        b.userid !== undefined ? `${b.userid} is not on this contact way` : 'the contact way reaches no member',
      );
    const w = state.world;
    let slot: number;
    if (b.externalUserId !== undefined) {
      slot = corp.slotOf(b.externalUserId);
      if (slot < 0) throw notFound('external_userid', b.externalUserId);
    } else {
      if (b.personId !== undefined && !w.persons.exists(b.personId)) throw notFound('person', String(b.personId));
      const person = b.personId ?? w.addPerson();
      slot = corp.personSlot.get(person);
      if (slot < 0) slot = corp.addCustomer(person, 1);
    }
    if (corp.relation(staff, slot))
      throw new ControlError(409, 'ALREADY_CONTACT', `already a contact of ${staff.userid}`);
    const now = state.now();
    corp.addRelation(staff, slot, { createtime: now, addWay: 1, byCustomer: true, state: way.state });
    way.adds++;
    const externalUserId = corp.externalUserid(slot);
    let welcomeCode: string | undefined;
    if (b.welcomeCode) {
      welcomeCode = state.rng.chars(43, ID_ALPHABET);
      corp.contactWays.welcomeCodes.set(welcomeCode, {
        code: welcomeCode,
        userid: staff.userid,
        externalUserId,
        issuedAt: now,
        issuedAtMs: state.clock.nowMs(),
        used: false,
      });
    }
    const out = {
      personId: corp.slotPerson.get(slot),
      externalUserId,
      userid: staff.userid,
      state: way.state,
      welcomeCode: welcomeCode ?? null,
    };
    ctx.body = b.notify
      ? {
          ...out,
          delivery: await notifier.contactWayAdd(
            corp.corp.corpId,
            staff.userid,
            externalUserId,
            way.state,
            welcomeCode,
          ),
        }
      : out;
  });

  router.get('/state/wecom/:corpId/contact-ways', (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    ctx.body = {
      contactWays: [...corp.contactWays.ways.values()].map((w) => ({ ...contactWayView(w), adds: w.adds })),
    };
  });

  router.get('/state/wecom/:corpId/welcome-messages', (ctx) => {
    ctx.body = { sent: corpOf(state, ctx.params.corpId!).contactWays.welcomesSent };
  });
}
