import { optional, type CallbackMessage, type CallbackValue } from './callback-message';
import { oaHeader, type OaHeader } from './oa-event.builder';

/**
 * Privacy, subscribe-message, LOCATION and mass-send pushes (wechat-api-events.md §1, §2.2, §2.3, §2.5), for
 * OA (XML) and Mini Programs (XML or JSON: the serializer is chosen by the target's format).
 * https://developers.weixin.qq.com/miniprogram/dev/server/event_push/platform/authorized_user_information_changes
 * https://developers.weixin.qq.com/doc/service/guide/product/subscription_messages/push.md
 */
export const PRIVACY_EVENT_TYPES = [
  'user_info_modified',
  'user_authorization_revoke',
  'user_authorization_cancellation',
] as const;
export type PrivacyEventType = (typeof PRIVACY_EVENT_TYPES)[number];

export const SUBSCRIBE_MSG_EVENT_TYPES = [
  'subscribe_msg_popup_event',
  'subscribe_msg_change_event',
  'subscribe_msg_sent_event',
] as const;
export type SubscribeMsgEventType = (typeof SUBSCRIBE_MSG_EVENT_TYPES)[number];

export interface PrivacyEventInput {
  event: PrivacyEventType;
  /** The affected user: carried in `OpenID`, not in FromUserName. */
  openid: string;
  appId: string;
  revokeInfo?: string;
  pluginId?: string;
  openPid?: string;
}

/**
 * FromUserName of privacy events is the platform's push service, not the user (wechat-api-events.md §1.2).
 * The real value is not documented; this one is made up in the same shape.
 */
export const PLATFORM_PUSH_SENDER = 'oPlatformPushSvc000000000000';

export function buildPrivacyEvent(h: OaHeader, input: PrivacyEventInput): CallbackMessage {
  return {
    ...oaHeader({ ...h, openid: PLATFORM_PUSH_SENDER }, 'event'),
    Event: input.event,
    OpenID: input.openid,
    AppID: input.appId,
    ...(input.event === 'user_authorization_revoke' ? { RevokeInfo: input.revokeInfo ?? '8' } : {}),
    ...optional('PluginID', input.pluginId),
    ...optional('OpenPID', input.openPid),
  };
}

export interface SubscribeTemplateInput {
  templateId: string;
  /** popup / change: accept, reject (change pushes only reject), acceptWithAudio. */
  status?: string;
  popupScene?: string;
  /** sent: the message id and its result. */
  msgId?: string;
  errorCode?: string;
  errorStatus?: string;
}

const WRAPPER: Record<SubscribeMsgEventType, string> = {
  subscribe_msg_popup_event: 'SubscribeMsgPopupEvent',
  subscribe_msg_change_event: 'SubscribeMsgChangeEvent',
  subscribe_msg_sent_event: 'SubscribeMsgSentEvent',
};

function listItem(event: SubscribeMsgEventType, t: SubscribeTemplateInput): CallbackMessage {
  if (event === 'subscribe_msg_sent_event')
    return {
      TemplateId: t.templateId,
      MsgID: t.msgId ?? '1864000000000000001',
      ErrorCode: t.errorCode ?? '0',
      ErrorStatus: t.errorStatus ?? 'success',
    };
  const status = t.status ?? (event === 'subscribe_msg_change_event' ? 'reject' : 'accept');
  return {
    TemplateId: t.templateId,
    SubscribeStatusString: status,
    ...(event === 'subscribe_msg_popup_event' ? { PopupScene: t.popupScene ?? '0' } : {}),
  };
}

/**
 * XML: a wrapper element with one `<List>` per template. JSON (MP only): no wrapper, a top-level `List` that is
 * an object for one template and an array for several, with string values.
 */
export function buildSubscribeMsgEvent(
  h: OaHeader,
  event: SubscribeMsgEventType,
  templates: readonly SubscribeTemplateInput[],
  format: 'xml' | 'json',
): CallbackMessage {
  const list: CallbackValue = { records: templates.map((t) => listItem(event, t)) };
  const base = { ...oaHeader(h, 'event'), Event: event };
  return format === 'json' ? { ...base, List: list } : { ...base, [WRAPPER[event]]: { List: list } };
}

export interface LocationInput {
  latitude: number;
  longitude: number;
  precision: number;
}

/** LOCATION: bare decimals, no CDATA. */
export function buildLocationEvent(h: OaHeader, input: LocationInput): CallbackMessage {
  return {
    ...oaHeader(h, 'event'),
    Event: 'LOCATION',
    Latitude: input.latitude,
    Longitude: input.longitude,
    Precision: input.precision,
  };
}

export interface MassSendFinishInput {
  msgId: number | bigint;
  status: string;
  totalCount: number;
  filterCount: number;
  sentCount: number;
  errorCount: number;
  articleUrls?: readonly string[];
}

/** MASSSENDJOBFINISH: upper-case MsgID, counts bare, copyright and article-URL results nested. */
export function buildMassSendFinishEvent(h: OaHeader, input: MassSendFinishInput): CallbackMessage {
  const urls = input.articleUrls ?? [];
  return {
    ...oaHeader(h, 'event'),
    Event: 'MASSSENDJOBFINISH',
    MsgID: input.msgId,
    Status: input.status,
    TotalCount: input.totalCount,
    FilterCount: input.filterCount,
    SentCount: input.sentCount,
    ErrorCount: input.errorCount,
    CopyrightCheckResult: { Count: 0, ResultList: '', CheckState: 1 },
    ArticleUrlResult: {
      Count: urls.length,
      ResultList: { item: { records: urls.map((u, i) => ({ ArticleIdx: i + 1, ArticleUrl: u })) } },
    },
  };
}
