import { WxError } from '../../core/wx-error';
import { corpOf, type Call, type Endpoint } from '../../http/endpoint';
import type { Staff, WecomCorp } from '../../world/wecom-corp';
import { ONJOB_MAX_IN_WINDOW, type TransferKind } from '../../world/transfers';
import { CONTACT_API, cursorKey } from './contact.api';
import { decodeCursor, encodeCursor } from './cursor';

/**
 * Customer transfers (wechat-api-wecom-ops.md §5): in-service `transfer_customer` / `transfer_result` and, for
 * members who left, `get_unassigned_list`, `resigned/transfer_customer` / `resigned/transfer_result`. The top
 * level answers 0 with per-customer errcodes; 0 there means the 24 h wait started.
 * https://developer.work.weixin.qq.com/document/path/96325 · 96331 · 96333
 */
const TRANSFER_MAX = 100;
const RESULT_PAGE = 1000;
const UNASSIGNED_MAX = 1000;

function member(corp: WecomCorp, userid: unknown): Staff {
  if (typeof userid !== 'string' || userid === '') throw new WxError(41009);
  const s = corp.staffByUserid.get(userid);
  if (!s) throw new WxError(60111);
  return s;
}

function externalIds(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0) throw new WxError(41035);
  if (v.length > TRANSFER_MAX) throw new WxError(40058, 'invalid parameter, external_userid exceed 100');
  return v.map((x) => (typeof x === 'string' ? x : ''));
}

/** The corp, the body and the two members a transfer call names, each checked by member(). */
function pairOf(call: Call) {
  const { corp } = corpOf(call);
  const b = call.body();
  return { corp, b, handover: member(corp, b.handover_userid), takeover: member(corp, b.takeover_userid) };
}

function transferCustomer(kind: TransferKind, path: string): Endpoint {
  return {
    ...CONTACT_API,
    path,
    method: 'POST',
    handle(call) {
      const { corp, b, handover, takeover } = pairOf(call);
      if (takeover.left) throw new WxError(60111);
      if (kind === 'resigned' && !handover.left) throw new WxError(40097);
      if (kind === 'onjob' && handover.left) throw new WxError(60111);
      if (b.transfer_success_msg !== undefined) {
        if (kind === 'resigned') throw new WxError(40058, 'invalid parameter, transfer_success_msg');
        if (typeof b.transfer_success_msg !== 'string' || [...b.transfer_success_msg].length > 200)
          throw new WxError(40058, 'invalid parameter, transfer_success_msg');
      }
      const ids = externalIds(b.external_userid);
      corp.transfers.settle(call.now);
      return {
        customer: ids.map((id) => ({ external_userid: id, errcode: startOne(call, kind, handover, takeover, id) })),
      };
    },
  };
}

function startOne(call: Call, kind: TransferKind, handover: Staff, takeover: Staff, id: string): number {
  const { corp } = corpOf(call);
  const slot = corp.slotOf(id);
  if (slot < 0) return 40096;
  if (handover === takeover) return 40130;
  if (!corp.relation(handover, slot)) return 40131;
  if (corp.transfers.waitingOf(slot)) return kind === 'resigned' ? 40100 : 40129;
  if (kind === 'onjob' && corp.transfers.onjobCountInWindow(slot, call.now) >= ONJOB_MAX_IN_WINDOW) return 40128;
  corp.transfers.start(kind, handover, takeover, slot, call.now);
  return 0;
}

function transferResult(kind: TransferKind, path: string): Endpoint {
  return {
    ...CONTACT_API,
    path,
    method: 'POST',
    handle(call) {
      const { corp, b, handover, takeover } = pairOf(call);
      corp.transfers.settle(call.now);
      const start =
        typeof b.cursor === 'string' && b.cursor !== '' ? decodeCursor(cursorKey(call), b.cursor, 1)[0]! : 0;
      const rows = corp.transfers.ofPair(kind, handover, takeover);
      const page = rows.slice(start, start + RESULT_PAGE);
      const end = start + page.length;
      return {
        customer: page.map((r) => ({
          external_userid: corp.externalUserid(r.slot),
          status: r.status,
          takeover_time: r.takeoverTime,
        })),
        next_cursor: end < rows.length ? encodeCursor(cursorKey(call), [end]) : '',
      };
    },
  };
}

/**
 * POST get_unassigned_list {page_size ≤ 1000, cursor} — customers of members who left that no transfer has taken
 * yet, with the member's dimission_time; `is_last` and `next_cursor` ('' when done).
 */
const unassigned: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/get_unassigned_list',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const b = call.body();
    const size = b.page_size === undefined ? UNASSIGNED_MAX : b.page_size;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > UNASSIGNED_MAX)
      throw new WxError(40058, 'invalid parameter, page_size');
    corp.transfers.settle(call.now);
    const rows = corp.staff
      .filter((s) => s.left)
      .flatMap((s) =>
        s.relations
          .filter((r) => !corp.transfers.waitingOf(r.slot))
          .map((r) => ({
            handover_userid: s.userid,
            external_userid: corp.externalUserid(r.slot),
            dimission_time: s.leftAt ?? 0,
          })),
      );
    const start = typeof b.cursor === 'string' && b.cursor !== '' ? decodeCursor(cursorKey(call), b.cursor, 1)[0]! : 0;
    const info = rows.slice(start, start + size);
    const end = start + info.length;
    const isLast = end >= rows.length;
    return { info, is_last: isLast, next_cursor: isLast ? '' : encodeCursor(cursorKey(call), [end]) };
  },
};

export const transferEndpoints: Endpoint[] = [
  transferCustomer('onjob', '/cgi-bin/externalcontact/transfer_customer'),
  transferResult('onjob', '/cgi-bin/externalcontact/transfer_result'),
  unassigned,
  transferCustomer('resigned', '/cgi-bin/externalcontact/resigned/transfer_customer'),
  transferResult('resigned', '/cgi-bin/externalcontact/resigned/transfer_result'),
];
