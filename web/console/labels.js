// @ts-check
/** Names operators read for the API's identity types and channels (DESIGN §3). */

/** @type {Record<string, string>} */
export const IDENTITY_LABELS = {
  unionid: 'UnionID',
  oa_openid: 'Official Account',
  mp_openid: 'Mini Program',
  h5_openid: 'H5',
  wecom_external_userid: 'WeCom',
  phone: 'Phone',
};

/** @type {[string, string][]} */
export const CHANNEL_OPTIONS = [
  ['', 'any channel'],
  ['oa', 'Official Account'],
  ['mp', 'Mini Program'],
  ['h5', 'H5'],
  ['wecom', 'WeCom'],
  ['pay', 'WeChat Pay'],
];

/** @type {[string, string][]} */
export const IDENTITY_OPTIONS = Object.entries(IDENTITY_LABELS);

/** Amounts are fen in the API. @param {number | null | undefined} fen */
export function yuan(fen) {
  return typeof fen === 'number' ? `¥${(fen / 100).toFixed(2)}` : '—';
}
