import { WxError } from '../../core/wx-error';
import { corpOf, type Call, type Endpoint } from '../../http/endpoint';
import { CONTACT_API } from './contact.api';

/**
 * unionid → external_userid conversion (wechat-api.md §5.8, §13 item 13). The unionid must come from the
 * corp's open platform and the openid from a Mini Program bound to it, both of the same person; otherwise
 * 40058 / 40003. The idconvert variant answers a `pending_id` (stable per person) for someone who is not a
 * customer yet; batch/external_userid_to_pending_id maps customers back to it.
 * https://developer.work.weixin.qq.com/document/path/95900
 */
function personOf(call: Call, b: Record<string, unknown>): number {
  const { corp } = corpOf(call);
  const op = corp.corp.openPlatform;
  if (!op) throw new WxError(48002);
  const person = typeof b.unionid === 'string' ? op.unionCodec.decode(b.unionid) : -1;
  if (person < 0 || !call.world.persons.exists(person)) throw new WxError(40058, 'invalid unionid');
  const mp = call.world.mp.find((m) => m.app.openPlatform === op && m.slotOf(b.openid) >= 0);
  if (!mp || mp.slotPerson.get(mp.slotOf(b.openid)) !== person) throw new WxError(40003, 'invalid openid');
  return person;
}

/** POST /cgi-bin/externalcontact/unionid_to_external_userid {"unionid","openid"} → external_userid, or 84061. */
const legacy: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/unionid_to_external_userid',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const slot = corp.personSlot.get(personOf(call, call.body()));
    if (slot < 0) throw new WxError(84061);
    return { external_userid: corp.externalUserid(slot) };
  },
};

/** POST /cgi-bin/idconvert/unionid_to_external_userid {"unionid","openid","subject_type"} → external_userid | pending_id. */
const idconvert: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/idconvert/unionid_to_external_userid',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const b = call.body();
    if (b.subject_type !== undefined && b.subject_type !== 0 && b.subject_type !== 1) throw new WxError(40058);
    const person = personOf(call, b);
    const slot = corp.personSlot.get(person);
    if (slot >= 0 && corp.relationsBySlot[slot]!.length > 0) return { external_userid: corp.externalUserid(slot) };
    return { pending_id: corp.corp.pendingCodec.encode(person) };
  },
};

/** POST /cgi-bin/idconvert/batch/external_userid_to_pending_id {"external_userid":[…≤100]} → result[]. */
const toPending: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/idconvert/batch/external_userid_to_pending_id',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const ids = call.body().external_userid;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100) throw new WxError(40058);
    const result = ids.flatMap((id: unknown) => {
      const slot = corp.slotOf(id);
      return slot < 0
        ? []
        : [{ external_userid: id as string, pending_id: corp.corp.pendingCodec.encode(corp.slotPerson.get(slot)) }];
    });
    return { result };
  },
};

export const idconvertEndpoints: Endpoint[] = [legacy, idconvert, toPending];
