import type { CallbackMessage } from './callback-message';
import { oaHeader, type OaHeader } from './oa-event.builder';

/**
 * Mini Program customer-service message pushes (wechat-api.md §6.4). The JSON format uses the same field names
 * as the XML; serialization is chosen by the target's format, not here.
 * https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/customer-message/receive.html
 */
export type MpMessageInput =
  | { type: 'text'; content: string }
  | { type: 'image'; picUrl: string; mediaId: string }
  /** A mini-program card the user sent into the chat. */
  | { type: 'miniprogrampage'; title: string; appId: string; pagePath: string; thumbUrl: string; thumbMediaId: string }
  /** The user opened the customer-service chat; SessionFrom is the button's `session-from`. */
  | { type: 'user_enter_tempsession'; sessionFrom: string };

export function buildMpMessage(h: OaHeader, input: MpMessageInput, msgId: bigint): CallbackMessage {
  switch (input.type) {
    case 'text':
      return { ...oaHeader(h, 'text'), Content: input.content, MsgId: msgId };
    case 'image':
      return { ...oaHeader(h, 'image'), PicUrl: input.picUrl, MediaId: input.mediaId, MsgId: msgId };
    case 'miniprogrampage':
      return {
        ...oaHeader(h, 'miniprogrampage'),
        MsgId: msgId,
        Title: input.title,
        AppId: input.appId,
        PagePath: input.pagePath,
        ThumbUrl: input.thumbUrl,
        ThumbMediaId: input.thumbMediaId,
      };
    case 'user_enter_tempsession':
      return { ...oaHeader(h, 'event'), Event: 'user_enter_tempsession', SessionFrom: input.sessionFrom };
  }
}
