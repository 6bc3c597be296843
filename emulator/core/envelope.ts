import { defaultErrmsg, type Product } from './wx-error';
import type { Prng } from './hash';

export interface ErrorEnvelope {
  errcode: number;
  errmsg: string;
}

/**
 * The error body of every WeChat API (wechat-api.md §0): HTTP 200 and `{errcode, errmsg}`. Real errmsg texts end
 * with a per-request suffix (` rid: …` on api.weixin.qq.com, `, hint: […], from ip: …, more info at …` on
 * qyapi.weixin.qq.com), which is why connectors must never compare errmsg.
 */
export function errorEnvelope(
  errcode: number,
  product: Product,
  nowSeconds: number,
  rng: Prng,
  ip: string,
  message?: string,
): ErrorEnvelope {
  const text = message ?? defaultErrmsg(errcode, product);
  if (product === 'wecom') {
    const hint = `${nowSeconds}_${rng.nextInt(1000)}_${rng.hex(32)}`;
    return {
      errcode,
      errmsg: `${text}, hint: [${hint}], from ip: ${ip}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
    };
  }
  const rid = `${nowSeconds.toString(16).padStart(8, '0')}-${rng.hex(8)}-${rng.hex(8)}`;
  return { errcode, errmsg: `${text} rid: ${rid}` };
}
