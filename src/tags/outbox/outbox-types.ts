import type { OaOp, OaPayload, OutboxItem, RemarkPayload, WecomPayload } from '../../storage/tags/outbox.types';

export type {
  OaOp,
  OaPayload,
  OutboxChannel,
  OutboxItem,
  OutboxPayload,
  RemarkPayload,
  WecomPayload,
} from '../../storage/tags/outbox.types';

/** Openids per batchtagging / batchuntagging call (wechat-api.md §3; 40032 beyond). */
export const OA_BATCH = 50;

export const oaOpKey = (appId: string, tagId: string, op: OaOp): string => `oa:${appId}:${tagId}:${op}`;
export const wecomOpKey = (corpId: string, userid: string, externalUserid: string): string =>
  `wecom:${corpId}:${userid}:${externalUserid}`;

export function isOaPayload(item: OutboxItem): item is OutboxItem & { payload: OaPayload } {
  return item.channel === 'oa';
}

export const remarkOpKey = (corpId: string, userid: string, externalUserid: string): string =>
  `wecom-remark:${corpId}:${userid}:${externalUserid}`;

export function isRemarkPayload(item: OutboxItem): item is OutboxItem & { payload: RemarkPayload } {
  return item.channel === 'wecom-remark';
}

export function isWecomPayload(item: OutboxItem): item is OutboxItem & { payload: WecomPayload } {
  return item.channel === 'wecom';
}
