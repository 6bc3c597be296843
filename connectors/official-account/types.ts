/**
 * OA callback wire vocabulary (wechat-api.md §4.3). Bodies are parsed into string fields by
 * connectors/common/xml.ts; these are the names the mappers read.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html
 */

/** Common to every message and event. `CreateTime` is Unix seconds, `FromUserName` the user's openid. */
export interface OaPushCommon {
  ToUserName: string;
  FromUserName: string;
  CreateTime: string;
  MsgType: string;
}

/** Events the connector maps; any other `Event` becomes `unsupported`. Compared case-insensitively. */
export type OaEventName =
  'subscribe' | 'unsubscribe' | 'scan' | 'click' | 'view' | 'templatesendjobfinish' | 'location' | 'masssendjobfinish';

export interface OaEventFields extends OaPushCommon {
  MsgType: 'event';
  Event: string;
  /** subscribe via parametric QR: `qrscene_<scene>`; SCAN: the scene; CLICK: menu key; VIEW: the URL. */
  EventKey?: string;
  Ticket?: string;
  /** VIEW: personalised-menu rule id. */
  MenuId?: string;
  /** TEMPLATESENDJOBFINISH: the msgid returned by the template send (capital ID). */
  MsgID?: string;
  /** TEMPLATESENDJOBFINISH: `success`, `failed:user block`, `failed: system failed`, …; MASSSENDJOBFINISH: `send success`, `err(NNNNN)`. */
  Status?: string;
  /** LOCATION: bare decimals. */
  Latitude?: string;
  Longitude?: string;
  Precision?: string;
  /** MASSSENDJOBFINISH counts. */
  TotalCount?: string;
  FilterCount?: string;
  SentCount?: string;
  ErrorCount?: string;
}

/** text, image, voice, video, shortvideo, location, link …: `MsgId` is a 64-bit integer kept as a string. */
export interface OaMessageFields extends OaPushCommon {
  MsgId?: string;
  Content?: string;
}

/** Prefix WeChat puts on the EventKey of a subscribe through a parametric QR code. */
export const QR_SCENE_PREFIX = 'qrscene_';
