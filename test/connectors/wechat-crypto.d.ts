/** Types for the wechat-crypto devDependency (used only by interop tests). */
declare module 'wechat-crypto' {
  class WXBizMsgCrypt {
    constructor(token: string, encodingAESKey: string, id: string);
    getSignature(timestamp: string, nonce: string, encrypt: string): string;
    decrypt(text: string): { message: string; id: string };
    encrypt(text: string): string;
  }
  export = WXBizMsgCrypt;
}
