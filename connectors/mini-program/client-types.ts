/** Wire shapes of the Mini Program login and phone APIs (wechat-api.md §6). */

/** GET /sns/jscode2session */
export interface Code2SessionWire {
  openid: string;
  session_key: string;
  /** Only when the MP is bound to an Open Platform account; may be absent, null or "". */
  unionid?: string | null;
}

export interface PhoneInfoWire {
  phoneNumber: string;
  purePhoneNumber: string;
  /** Documented as a number, observed as a string (§6.2). */
  countryCode: string | number;
  watermark?: { timestamp?: number; appid?: string };
}

export interface PhoneNumber {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
  watermarkAppId?: string;
  watermarkTimestamp?: number;
}
