import { createHash } from 'crypto';

/** The page URL as WeChat's JS-SDK signs it: everything before the first `#` (the query string is kept). */
export function urlWithoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

export interface JssdkSignatureInput {
  jsapiTicket: string;
  nonceStr: string;
  /** Unix seconds, the same value `wx.config` receives. */
  timestamp: number;
  url: string;
}

/**
 * `wx.config` signature (wechat-api.md §7.6, verified vectors): the four fields sorted by ASCII name, joined as
 * `key=value` with `&`, raw values (no URL escaping), SHA-1 hex. The URL loses its fragment here so a caller
 * passing `location.href` as is gets the value WeChat's client computes.
 * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/JS-SDK.html#62
 */
export function jssdkSignature(input: JssdkSignatureInput): string {
  const plain = `jsapi_ticket=${input.jsapiTicket}&noncestr=${input.nonceStr}&timestamp=${input.timestamp}&url=${urlWithoutFragment(input.url)}`;
  return createHash('sha1').update(plain, 'utf8').digest('hex');
}
