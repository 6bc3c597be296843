/**
 * Mini Program message push wire vocabulary (wechat-api.md §6.4). XML and JSON carry the same field names;
 * both are parsed into string fields (connectors/common/xml.ts, connectors/common/json.ts).
 * https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html
 */

/** Safe-mode body, XML or JSON: `{ "ToUserName": "gh_…", "Encrypt": "…" }`. */
export interface MpEncryptedBody {
  ToUserName: string;
  Encrypt: string;
}

/** Common to every message and event; FromUserName is the user's Mini Program openid. */
export interface MpPushCommon {
  ToUserName: string;
  FromUserName: string;
  CreateTime: string;
  MsgType: string;
}

/** Customer-service messages: text, image, miniprogrampage (Title, AppId, PagePath, ThumbUrl, ThumbMediaId). */
export interface MpMessageFields extends MpPushCommon {
  MsgId?: string;
  Content?: string;
}

/** User events mapped to behaviour.recorded (privacy and subscribe-message events have their own mapping); any other `Event` becomes `unsupported`. */
export const MP_BEHAVIOUR_EVENTS = [
  /** The user entered a customer-service session; SessionFrom is the page's session-from value. */
  'user_enter_tempsession',
] as const;
export type MpBehaviourEvent = (typeof MP_BEHAVIOUR_EVENTS)[number];

export interface MpEventFields extends MpPushCommon {
  MsgType: 'event';
  Event: string;
  SessionFrom?: string;
}

export function isMpBehaviourEvent(v: string): v is MpBehaviourEvent {
  return (MP_BEHAVIOUR_EVENTS as readonly string[]).includes(v);
}

export type MpMessageFormat = 'xml' | 'json';
