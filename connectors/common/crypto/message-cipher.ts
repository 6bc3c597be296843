import { aesKeyFromEncodingAESKey, decryptMessage, encryptMessage, MessageCryptoError } from './message-crypto';
import { safeEqual, sha1Signature } from './signature';

/**
 * One account's callback crypto: token, current EncodingAESKey and optionally the previous one (key rotation:
 * try the current key first, then the previous; reply with whichever worked — wechat-api.md §4.5).
 */
export interface MessageCipherOptions {
  token: string;
  encodingAESKey: string;
  previousEncodingAESKey?: string;
  /** appid (OA/MP) or corpid (WeCom): must equal the ReceiveId inside every ciphertext. */
  receiveId: string;
}

export interface OpenedMessage {
  message: string;
  /** The key that decrypted it; encrypt the reply with the same one. */
  key: Buffer;
}

export class MessageCipher {
  private readonly keys: Buffer[];

  constructor(private readonly opts: MessageCipherOptions) {
    this.keys = [aesKeyFromEncodingAESKey(opts.encodingAESKey)];
    if (opts.previousEncodingAESKey) this.keys.push(aesKeyFromEncodingAESKey(opts.previousEncodingAESKey));
  }

  verifyMsgSignature(msgSignature: string | undefined, timestamp: string, nonce: string, encrypted: string): boolean {
    return safeEqual(msgSignature, sha1Signature(this.opts.token, timestamp, nonce, encrypted));
  }

  /** Decrypts with the current key, then the previous one; throws if neither works or the ReceiveId is wrong. */
  open(encrypted: string): OpenedMessage {
    let receiveIdMismatch = false;
    for (const key of this.keys) {
      try {
        const { message, receiveId } = decryptMessage(key, encrypted);
        if (!safeEqual(receiveId, this.opts.receiveId)) {
          receiveIdMismatch = true;
          continue;
        }
        return { message, key };
      } catch (e) {
        if (!(e instanceof MessageCryptoError)) throw e;
      }
    }
    throw new MessageCryptoError(receiveIdMismatch ? 'ReceiveId does not match this account' : 'decryption failed');
  }

  /** The encrypted passive-reply envelope (wechat-api.md §4.5), timestamps in seconds. */
  sealReply(message: string, timestamp: string, nonce: string, key: Buffer = this.keys[0]!, random16?: Buffer): string {
    const encrypt = encryptMessage(key, message, this.opts.receiveId, random16);
    const signature = sha1Signature(this.opts.token, timestamp, nonce, encrypt);
    return (
      `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature>` +
      `<TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`
    );
  }
}
