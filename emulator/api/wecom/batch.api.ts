import { WxError } from '../../core/wx-error';
import { corpOf, type Endpoint } from '../../http/endpoint';
import type { Relation } from '../../world/wecom-corp';
import { CONTACT_API, cursorKey, staffOrThrow } from './contact.api';
import { externalContact, followInfo } from './contact-view';
import { decodeCursor, encodeCursor, firstAfter } from './cursor';

/**
 * POST /cgi-bin/externalcontact/batch/get_by_user {"userid_list","cursor","limit"} — 1..100 members (40058),
 * limit default 50 and clamped to 100; one element per (member, customer) relation, members in list order and
 * relations in creation order; next_cursor "" when done; bad cursor → 50100 (wechat-api.md §5.4).
 * https://developer.work.weixin.qq.com/document/path/93010
 */
const batchGetByUser: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/batch/get_by_user',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    corp.transfers.settle(call.now);
    const b = call.body();
    const ids = b.userid_list;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100) throw new WxError(40058);
    const staff = ids.map((id: unknown) => staffOrThrow(corp, id));
    let limit = typeof b.limit === 'number' && Number.isInteger(b.limit) && b.limit > 0 ? b.limit : 50;
    limit = Math.min(limit, 100);
    let member = 0;
    let after = 0;
    if (typeof b.cursor === 'string' && b.cursor !== '') {
      const [m, seq] = decodeCursor(cursorKey(call), b.cursor, 2);
      if (m! >= staff.length) throw new WxError(50100);
      [member, after] = [m!, seq!];
    } else if (b.cursor !== undefined && typeof b.cursor !== 'string') {
      throw new WxError(47001);
    }
    const picked: Relation[] = [];
    let last: [number, number] | undefined;
    for (; member < staff.length && picked.length < limit; member++, after = 0) {
      const rels = staff[member]!.relations;
      for (let i = firstAfter(rels, after); i < rels.length && picked.length < limit; i++) {
        picked.push(rels[i]!);
        last = [member, rels[i]!.seq];
      }
      if (picked.length >= limit) break;
    }
    const more =
      last !== undefined &&
      hasMore(
        staff.map((s) => s.relations),
        last,
      );
    return {
      external_contact_list: picked.map((r) => ({
        external_contact: externalContact(corp, r.slot, false),
        follow_info: followInfo(corp, r),
      })),
      next_cursor: more && last ? encodeCursor(cursorKey(call), last) : '',
    };
  },
};

function hasMore(lists: Relation[][], [member, seq]: [number, number]): boolean {
  if (firstAfter(lists[member]!, seq) < lists[member]!.length) return true;
  return lists.slice(member + 1).some((l) => l.length > 0);
}

export const batchEndpoints: Endpoint[] = [batchGetByUser];
