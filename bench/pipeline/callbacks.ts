import { randomBytes } from 'crypto';
import { aesKeyFromEncodingAESKey, encryptMessage } from '../../connectors/common/crypto/message-crypto';
import { sha1Signature } from '../../connectors/common/crypto/signature';
import type { CallbackSpec } from './mix';

export interface OaKeys {
  appId: string;
  token: string;
  encodingAESKey: string;
  originalId: string;
}

export interface CorpKeys {
  corpId: string;
  token: string;
  encodingAESKey: string;
}

/** One callback as WeChat POSTs it: path with the signed query, and the encrypted body. */
export interface WireCallback {
  path: string;
  body: string;
}

const cdata = (v: string): string => `<![CDATA[${v}]]>`;

/**
 * Encrypts and signs a step's callbacks before it starts, so the sender only writes bytes. OA in safe mode
 * (wechat-api.md §4.2, §4.5: Encrypt + msg_signature, ToUserName outside); WeCom always encrypted with the corp's
 * token and key, msg_signature only (wechat-api.md §5.10, https://developer.work.weixin.qq.com/document/path/90930).
 * `timestamp` is the slot's CreateTime, so the gateway's skew window (callbacks.maxSkewSeconds) sees a fresh one.
 */
export class CallbackWire {
  private readonly oaKey: Buffer;
  private readonly corpKey: Buffer;

  constructor(
    private readonly oa: OaKeys,
    private readonly corp: CorpKeys,
  ) {
    this.oaKey = aesKeyFromEncodingAESKey(oa.encodingAESKey);
    this.corpKey = aesKeyFromEncodingAESKey(corp.encodingAESKey);
  }

  build(s: CallbackSpec): WireCallback {
    const timestamp = String(s.createTime);
    const nonce = String(randomBytes(4).readUInt32BE(0));
    if (s.kind === 'wecom-add') {
      // https://developer.work.weixin.qq.com/document/path/92130 (添加企业客户事件), no State or WelcomeCode.
      const plain =
        `<xml><ToUserName>${cdata(this.corp.corpId)}</ToUserName><FromUserName>${cdata('sys')}</FromUserName>` +
        `<CreateTime>${timestamp}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata('change_external_contact')}</Event>` +
        `<ChangeType>${cdata('add_external_contact')}</ChangeType><UserID>${cdata(s.relation.userid)}</UserID>` +
        `<ExternalUserID>${cdata(s.relation.externalUserId)}</ExternalUserID></xml>`;
      const encrypt = encryptMessage(this.corpKey, plain, this.corp.corpId);
      const query = new URLSearchParams({
        msg_signature: sha1Signature(this.corp.token, timestamp, nonce, encrypt),
        timestamp,
        nonce,
      });
      return {
        path: `/wechat/wecom/${this.corp.corpId}?${query.toString()}`,
        body: `<xml><ToUserName>${cdata(this.corp.corpId)}</ToUserName><AgentID>${cdata('')}</AgentID><Encrypt>${cdata(encrypt)}</Encrypt></xml>`,
      };
    }
    const head =
      `<ToUserName>${cdata(this.oa.originalId)}</ToUserName><FromUserName>${cdata(s.openid)}</FromUserName>` +
      `<CreateTime>${timestamp}</CreateTime>`;
    // https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html (关注事件)
    // https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html (文本消息)
    const plain =
      s.kind === 'oa-text'
        ? `<xml>${head}<MsgType>${cdata('text')}</MsgType><Content>${cdata('在吗？想问下会员积分')}</Content><MsgId>${s.msgId}</MsgId></xml>`
        : `<xml>${head}<MsgType>${cdata('event')}</MsgType><Event>${cdata('subscribe')}</Event></xml>`;
    const encrypt = encryptMessage(this.oaKey, plain, this.oa.appId);
    const query = new URLSearchParams({
      signature: sha1Signature(this.oa.token, timestamp, nonce),
      timestamp,
      nonce,
      openid: s.openid,
      encrypt_type: 'aes',
      msg_signature: sha1Signature(this.oa.token, timestamp, nonce, encrypt),
    });
    return {
      path: `/wechat/official-account/${this.oa.appId}?${query.toString()}`,
      body: `<xml><ToUserName>${cdata(this.oa.originalId)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt></xml>`,
    };
  }
}
