import { optional, type CallbackMessage } from './callback-message';
import { oaHeader, type OaHeader } from './oa-event.builder';

/**
 * OA ordinary message pushes (wechat-api.md §4.3); every message carries a 64-bit MsgId (the dedupe key).
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
 */
export type OaMessageInput =
  /** `msgDataId`/`idx` are present when the message was sent from an article. */
  | { type: 'text'; content: string; msgDataId?: string; idx?: number }
  | { type: 'image'; picUrl: string; mediaId: string }
  | { type: 'voice'; mediaId: string; format: string; recognition?: string }
  | { type: 'video'; mediaId: string; thumbMediaId: string }
  | { type: 'shortvideo'; mediaId: string; thumbMediaId: string }
  /** Location_X = latitude, Location_Y = longitude (bare decimals), Scale = map zoom. */
  | { type: 'location'; latitude: number; longitude: number; scale: number; label: string }
  | { type: 'link'; title: string; description: string; url: string };

export function buildOaMessage(h: OaHeader, input: OaMessageInput, msgId: bigint): CallbackMessage {
  const base = oaHeader(h, input.type);
  switch (input.type) {
    case 'text': {
      const idx = input.msgDataId === undefined ? undefined : (input.idx ?? 1);
      return {
        ...base,
        Content: input.content,
        MsgId: msgId,
        ...optional('MsgDataId', input.msgDataId),
        ...optional('Idx', idx),
      };
    }
    case 'image':
      return { ...base, PicUrl: input.picUrl, MsgId: msgId, MediaId: input.mediaId };
    case 'voice':
      return {
        ...base,
        MediaId: input.mediaId,
        Format: input.format,
        MsgId: msgId,
        ...optional('Recognition', input.recognition),
      };
    case 'video':
    case 'shortvideo':
      return { ...base, MediaId: input.mediaId, ThumbMediaId: input.thumbMediaId, MsgId: msgId };
    case 'location':
      return {
        ...base,
        Location_X: input.latitude,
        Location_Y: input.longitude,
        Scale: input.scale,
        Label: input.label,
        MsgId: msgId,
      };
    case 'link':
      return { ...base, Title: input.title, Description: input.description, Url: input.url, MsgId: msgId };
  }
}
