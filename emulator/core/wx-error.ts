/**
 * A WeChat API error: the pipeline turns it into HTTP 200 `{errcode, errmsg}` (wechat-api.md §0, §13 item 6).
 * errmsg texts follow the real ones closely, but connectors must branch on errcode only.
 */
export type Product = 'oa' | 'mp' | 'h5' | 'wecom';

export class WxError extends Error {
  /** Overrides the product's standard errmsg text (e.g. WeCom's per-field messages). */
  readonly detail: string | undefined;

  constructor(
    readonly errcode: number,
    detail?: string,
  ) {
    super(detail ?? defaultErrmsg(errcode, 'oa'));
    this.name = 'WxError';
    this.detail = detail;
  }
}

const OA_ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40030: 'invalid refresh_token',
  40032: 'invalid openid list size',
  40052: 'invalid action name',
  40053: 'invalid action info, please check document',
  40092: 'invalid remark name',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40164: 'invalid ip, not in whitelist',
  40226: 'code blocked',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  42001: 'access_token expired',
  42002: 'refresh_token expired',
  42003: 'code expired',
  43002: 'require POST method',
  44002: 'empty post data',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit mustslower retry next minute',
  45029: 'qrcode count out of limit',
  45033: 'api concurrent out of limit',
  45056: 'too many tag now, no need to add new',
  45057: 'can not delete the tag that has too many fans',
  45058: 'can not modify sys tag',
  45059: 'user has too many tags',
  45157: 'invalid tag name',
  45158: 'tag name too long',
  45159: 'invalid tag id',
  47001: 'data format error',
  48001: 'api unauthorized',
  48006: 'forbid to clear quota because of reaching the limit',
  49003: 'not match openid with appid',
};

const WECOM_ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid secret',
  40003: 'invalid userid',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40050: 'invalid group id',
  40058: 'invalid parameter',
  40068: 'invalid tagid',
  40071: 'tag name already exists',
  40072: 'invalid tag name length',
  40096: 'invalid external userid',
  40097: 'the handover user is not resigned',
  40100: 'the customer is already in the transfer flow',
  40126: 'corp tag count reach limit',
  40128: 'the customer was transferred too often in 90 days',
  40129: 'the customer is being transferred',
  40130: 'handover and takeover are the same user',
  40131: 'the handover user does not follow the customer',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'corpsecret missing',
  41035: 'missing external userid',
  41037: 'missing type',
  41038: 'missing scene',
  41039: 'invalid type',
  41040: 'invalid scene',
  41041: 'user count exceed limit',
  41042: 'invalid style',
  41043: 'missing config_id',
  41044: 'invalid config_id',
  41045: 'contact way count exceed limit',
  41049: 'missing welcome_code',
  41050: 'invalid welcome_code',
  41051: 'externaluser has started chatting',
  41064: 'attachment count exceed limit',
  41065: 'invalid attachment type',
  42001: 'access_token expired',
  43002: 'require POST method',
  44002: 'empty post data',
  45009: 'api freq out of limit',
  45033: 'user concurrent call api out of limit',
  47001: 'data format error',
  48002: 'api forbidden',
  49008: 'group chat has been dismissed',
  50100: 'invalid cursor',
  41009: 'missing userid',
  60011: 'no privilege to access/modify contact/party/agent',
  60111: 'userid not found',
  60123: 'invalid party id',
  81017: 'request count exceeds limit',
  84061: 'not external contact',
};

export function defaultErrmsg(errcode: number, product: Product): string {
  const table = product === 'wecom' ? WECOM_ERRMSG : OA_ERRMSG;
  return table[errcode] ?? OA_ERRMSG[errcode] ?? WECOM_ERRMSG[errcode] ?? 'system error';
}
