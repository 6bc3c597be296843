/** Wire shapes of the WeChat Pay APIv3 calls the gateway makes (wechat-api.md §8.2, §8.4). */

/** GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid= */
export interface TransactionWire {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | string;
  trade_state_desc?: string;
  bank_type?: string;
  attach?: string;
  /** RFC 3339 with +08:00. */
  success_time?: string;
  payer?: { openid?: string };
  amount?: { total?: number; payer_total?: number; currency?: string; payer_currency?: string };
  scene_info?: unknown;
  promotion_detail?: unknown[];
}

/** One platform certificate from GET /v3/certificates, decrypted with the APIv3 key. */
export interface PlatformCertificate {
  serialNo: string;
  effectiveTime: string;
  expireTime: string;
  /** PEM public key taken from the decrypted certificate. */
  publicKeyPem: string;
}
