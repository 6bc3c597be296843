import type { TokenSource } from '../../common/http/token-source';
import { refusedRequest } from '../../common/http/wechat-api-error';
import type { WechatHttpClient } from '../../common/http/wechat-http-client';

/** At most 100 customers per transfer call; the success message ≤ 200 characters (wechat-api-wecom-ops.md §5.1). */
export const TRANSFER_MAX_CUSTOMERS = 100;
export const TRANSFER_MESSAGE_MAX = 200;
/** get_unassigned_list page_size ≤ 1000 (§5.3). */
export const UNASSIGNED_PAGE_MAX = 1000;

/** `onjob` = 在职继承 (transfer_customer), `resigned` = 离职继承 (resigned/transfer_customer). */
export type TransferKind = 'onjob' | 'resigned';

export interface TransferStart {
  externalUserid: string;
  /** 0 = started (completes after 24 h unless refused); else why this customer was not transferred. */
  errcode: number;
}

export interface TransferResultRow {
  externalUserid: string;
  /** 1 done, 2 waiting, 3 refused, 4 takeover at its customer limit, 5 no transfer record. */
  status: number;
  /** Unix seconds: when it completes (waiting) or completed; 0 when refused. */
  takeoverTime: number;
}

export interface UnassignedRow {
  handoverUserid: string;
  externalUserid: string;
  /** Unix seconds the member left. */
  dimissionTime: number;
}

const PATHS: Record<TransferKind, { start: string; result: string }> = {
  onjob: { start: 'externalcontact/transfer_customer', result: 'externalcontact/transfer_result' },
  resigned: {
    start: 'externalcontact/resigned/transfer_customer',
    result: 'externalcontact/resigned/transfer_result',
  },
};

/** Customer transfers between members, in service and after departure (DESIGN §10.3), with the contact secret. */
export class WecomTransfersApi {
  constructor(
    private readonly http: WechatHttpClient,
    private readonly token: TokenSource,
  ) {}

  /**
   * Starts transfers of up to 100 customers; the answer is per customer (top-level errcode 0). A resigned
   * transfer takes no message. https://developer.work.weixin.qq.com/document/path/96325 · 96331
   */
  async transferCustomers(
    kind: TransferKind,
    handoverUserid: string,
    takeoverUserid: string,
    externalUserids: readonly string[],
    message?: string,
  ): Promise<TransferStart[]> {
    const api = PATHS[kind].start;
    if (externalUserids.length === 0 || externalUserids.length > TRANSFER_MAX_CUSTOMERS)
      throw refusedRequest(api, 40058, `${externalUserids.length} customers not in 1..${TRANSFER_MAX_CUSTOMERS}`);
    if (message !== undefined && (kind === 'resigned' || [...message].length > TRANSFER_MESSAGE_MAX))
      throw refusedRequest(api, 40058, 'transfer_success_msg is only for in-service transfers, ≤ 200 characters');
    const wire = await this.http.call<{ customer?: { external_userid: string; errcode: number }[] }>({
      api,
      method: 'POST',
      path: `/cgi-bin/${api}`,
      body: {
        handover_userid: handoverUserid,
        takeover_userid: takeoverUserid,
        external_userid: externalUserids,
        ...(message !== undefined ? { transfer_success_msg: message } : {}),
      },
      token: this.token,
    });
    return (wire.customer ?? []).map((c) => ({ externalUserid: c.external_userid, errcode: Number(c.errcode) }));
  }

  /**
   * Every transfer of one (handover, takeover) pair, walked to the end (≤ 1000 a page).
   * https://developer.work.weixin.qq.com/document/path/94088 · 96333
   */
  async transferResults(
    kind: TransferKind,
    handoverUserid: string,
    takeoverUserid: string,
  ): Promise<TransferResultRow[]> {
    const out: TransferResultRow[] = [];
    let cursor = '';
    for (;;) {
      const wire = await this.http.call<{
        customer?: { external_userid: string; status: number; takeover_time?: number }[];
        next_cursor?: string;
      }>({
        api: PATHS[kind].result,
        method: 'POST',
        path: `/cgi-bin/${PATHS[kind].result}`,
        body: { handover_userid: handoverUserid, takeover_userid: takeoverUserid, ...(cursor ? { cursor } : {}) },
        token: this.token,
      });
      for (const c of wire.customer ?? [])
        out.push({ externalUserid: c.external_userid, status: Number(c.status), takeoverTime: c.takeover_time ?? 0 });
      if (!wire.next_cursor || wire.next_cursor === cursor) return out;
      cursor = wire.next_cursor;
    }
  }

  /**
   * One page of departed members' customers not yet handed over; `nextCursor` '' at the end.
   * https://developer.work.weixin.qq.com/document/path/92124
   */
  async unassigned(
    cursor = '',
    pageSize = UNASSIGNED_PAGE_MAX,
  ): Promise<{ rows: UnassignedRow[]; nextCursor: string }> {
    const wire = await this.http.call<{
      info?: { handover_userid: string; external_userid: string; dimission_time?: number }[];
      is_last?: boolean;
      next_cursor?: string;
    }>({
      api: 'externalcontact/get_unassigned_list',
      method: 'POST',
      path: '/cgi-bin/externalcontact/get_unassigned_list',
      body: { page_size: Math.min(Math.max(1, pageSize), UNASSIGNED_PAGE_MAX), ...(cursor ? { cursor } : {}) },
      token: this.token,
    });
    const rows = (wire.info ?? []).map((i) => ({
      handoverUserid: i.handover_userid,
      externalUserid: i.external_userid,
      dimissionTime: i.dimission_time ?? 0,
    }));
    return { rows, nextCursor: wire.is_last === false ? (wire.next_cursor ?? '') : '' };
  }
}
