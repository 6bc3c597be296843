import type { OutboxStatus } from '../entities';

/**
 * One outbox row is one WeChat call (DESIGN §5):
 * - `oa`: `tags/members/batch(un)tagging` of ≤ 50 openids for one catalog tag on one appid; op key
 *   `oa:<appid>:<tagId>:<op>`, so new openids top up the pending row of that key before a new row starts.
 * - `wecom`: `externalcontact/mark_tag` for one (staff, external_userid) relation; op key
 *   `wecom:<corpid>:<staff>:<external_userid>`. The add/remove lists are computed when the row is pushed, from
 *   the desired and the known remote state, so every change to that relation coalesces into one call.
 */
export type OaOp = 'add' | 'remove';

export interface OaPayload {
  op: OaOp;
  openids: string[];
  /** Set on rows split off a batch because WeChat refused these openids (40003, 45059 …). */
  failed?: string[];
  /** The remote tag id the row was pushed to. */
  remoteTagId?: string;
}

export interface WecomPayload {
  userid: string;
  externalUserid: string;
  /** Remote (corp) tag ids of the last attempt, for the API. */
  add?: string[];
  remove?: string[];
}

/**
 * `wecom-remark`: one `externalcontact/remark` for a (staff, external_userid) relation (DESIGN §10.4); op key
 * `wecom-remark:<corpid>:<staff>:<external_userid>`. A change while the row is still pending merges into it, so the
 * relation gets one call with the latest of each field.
 */
export interface RemarkPayload {
  userid: string;
  externalUserid: string;
  remark?: string;
  description?: string;
  remarkMobiles?: string[];
}

export type OutboxChannel = 'oa' | 'wecom' | 'wecom-remark';
export type OutboxPayload = OaPayload | WecomPayload | RemarkPayload;

export interface OutboxItem {
  id: string;
  channel: OutboxChannel;
  account: string;
  opKey: string;
  payload: OutboxPayload;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastErrcode: number | null;
  lastError: string | null;
  tagId: string | null;
  createdAt: Date;
  updatedAt: Date;
}
