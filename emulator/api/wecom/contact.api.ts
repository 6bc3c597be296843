import { hashString } from '../../core/hash';
import { WxError } from '../../core/wx-error';
import { corpOf, type Call, type Endpoint } from '../../http/endpoint';
import type { Staff, WecomCorp } from '../../world/wecom-corp';
import { externalContact, followUser } from './contact-view';
import { decodeCursor, encodeCursor, firstAfter } from './cursor';

export const CONTACT_API = { product: 'wecom', auth: 'wecom', externalContact: true } as const;
const FOLLOW_PAGE = 500;

export function staffOrThrow(corp: WecomCorp, userid: unknown): Staff {
  const s = typeof userid === 'string' ? corp.staffByUserid.get(userid) : undefined;
  if (!s) throw new WxError(40003);
  return s;
}

/** Slot of an external_userid: missing → 41035, not this corp's → 40096. */
export function customerOrThrow(corp: WecomCorp, externalUserid: unknown): number {
  if (typeof externalUserid !== 'string' || externalUserid === '') throw new WxError(41035);
  const slot = corp.slotOf(externalUserid);
  if (slot < 0) throw new WxError(40096);
  return slot;
}

/** Cursors are keyed per corp, so one corp's cursor is refused by another. */
export function cursorKey(call: Call): number {
  return hashString(corpOf(call).corp.corp.corpId) ^ 0xc0c0;
}

/**
 * GET /cgi-bin/externalcontact/get_follow_user_list — members with the customer-contact feature.
 * https://developer.work.weixin.qq.com/document/path/92571
 */
const followUserList: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/get_follow_user_list',
  method: 'ANY',
  handle(call) {
    return {
      follow_user: corpOf(call)
        .corp.staff.filter((s) => s.contactFeature)
        .map((s) => s.userid),
    };
  },
};

/**
 * GET /cgi-bin/externalcontact/list?userid — every customer of one member, unpaged; none → 84061.
 * https://developer.work.weixin.qq.com/document/path/92113
 */
const list: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/list',
  method: 'ANY',
  handle(call) {
    const { corp } = corpOf(call);
    corp.transfers.settle(call.now);
    const staff = staffOrThrow(corp, call.query.userid);
    if (staff.relations.length === 0) throw new WxError(84061);
    return { external_userid: staff.relations.map((r) => corp.externalUserid(r.slot)) };
  },
};

/**
 * GET /cgi-bin/externalcontact/get?external_userid&cursor — follow_user paged at 500 through an opaque
 * next_cursor (returned only while more remain); no relation left → 84061; bad cursor → 50100.
 * https://developer.work.weixin.qq.com/document/path/92114
 */
const get: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/get',
  method: 'ANY',
  handle(call) {
    const { corp } = corpOf(call);
    corp.transfers.settle(call.now);
    const slot = customerOrThrow(corp, call.query.external_userid);
    const relations = corp.relationsBySlot[slot]!;
    if (relations.length === 0) throw new WxError(84061);
    let after = 0;
    if (call.query.cursor) {
      const [cSlot, cSeq] = decodeCursor(cursorKey(call), call.query.cursor, 2);
      if (cSlot !== slot) throw new WxError(50100);
      after = cSeq!;
    }
    const start = firstAfter(relations, after);
    const page = relations.slice(start, start + FOLLOW_PAGE);
    const out: Record<string, unknown> = {
      external_contact: externalContact(corp, slot, true),
      follow_user: page.map((r) => followUser(corp, r)),
    };
    if (start + FOLLOW_PAGE < relations.length)
      out.next_cursor = encodeCursor(cursorKey(call), [slot, page[page.length - 1]!.seq]);
    return out;
  },
};

export const contactEndpoints: Endpoint[] = [followUserList, list, get];
