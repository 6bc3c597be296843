import { optional, type CallbackMessage, type CallbackValue } from './callback-message';

/**
 * OA event pushes (wechat-api.md §4.3), plaintext field order as in the docs.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html (TEMPLATESENDJOBFINISH)
 */
export interface OaHeader {
  /** The OA's original id `gh_…`. */
  toUserName: string;
  openid: string;
  createTime: number;
}

export type OaEventInput =
  /** `sceneValue` set = follow through a parametric QR code: EventKey `qrscene_<scene>` and Ticket. `eventKey: ''` reproduces the empty EventKey seen on plain follows. */
  | { type: 'subscribe'; sceneValue?: string; ticket?: string; eventKey?: '' }
  | { type: 'unsubscribe' }
  /** Already-following user scanned a parametric QR: EventKey is the scene value without prefix. */
  | { type: 'SCAN'; eventKey: string; ticket: string }
  | { type: 'CLICK'; eventKey: string }
  /** EventKey is the target URL; MenuId the personalised-menu rule id. */
  | { type: 'VIEW'; eventKey: string; menuId?: number }
  /** Status ∈ `success`, `failed:user block`, `failed: system failed`, `failed:freq limit`. */
  | { type: 'TEMPLATESENDJOBFINISH'; msgId: number | bigint; status: string };

export const TEMPLATE_STATUSES = [
  'success',
  'failed:user block',
  'failed: system failed',
  'failed:freq limit',
] as const;

export class CallbackInputError extends Error {
  readonly code = 'INVALID_CALLBACK_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'CallbackInputError';
  }
}

export function oaHeader(h: OaHeader, msgType: string): Record<string, CallbackValue> {
  return { ToUserName: h.toUserName, FromUserName: h.openid, CreateTime: h.createTime, MsgType: msgType };
}

export function buildOaEvent(h: OaHeader, input: OaEventInput): CallbackMessage {
  const base = { ...oaHeader(h, 'event'), Event: input.type };
  switch (input.type) {
    case 'subscribe': {
      if (input.sceneValue === undefined) return input.eventKey === '' ? { ...base, EventKey: '' } : base;
      if (!input.ticket) throw new CallbackInputError('a QR-code subscribe needs a ticket');
      const key = input.sceneValue.startsWith('qrscene_') ? input.sceneValue : `qrscene_${input.sceneValue}`;
      return { ...base, EventKey: key, Ticket: input.ticket };
    }
    case 'unsubscribe':
      return base;
    case 'SCAN':
      return { ...base, EventKey: input.eventKey, Ticket: input.ticket };
    case 'CLICK':
      return { ...base, EventKey: input.eventKey };
    case 'VIEW':
      return { ...base, EventKey: input.eventKey, ...optional('MenuId', input.menuId) };
    case 'TEMPLATESENDJOBFINISH':
      // Capital "ID" in MsgID is how WeChat spells it for this event only.
      return { ...base, MsgID: input.msgId, Status: input.status };
  }
}
