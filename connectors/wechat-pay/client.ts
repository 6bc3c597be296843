import { createPublicKey } from 'crypto';
import { readFileSync } from 'fs';
import Pay from 'wechatpay-node-v3';
import { fullJitterDelayMs, sleep } from '../common/http/backoff';
import { httpOptions, type WechatHttpOptions } from '../common/http/http-options';
import { NotConfiguredError } from '../common/http/not-configured-error';
import { Semaphore } from '../common/http/semaphore';
import { WechatApiError } from '../common/http/wechat-api-error';
import type { PlatformCertificate, TransactionWire } from './client-types';
import type { WechatPayConfig } from './config';
import { AxiosPayRequest } from './client/pay-http';

type PayAccount = Pick<WechatPayConfig, 'mchId' | 'apiV3Key' | 'privateKeyPath' | 'certSerial' | 'appIds' | 'apiBase'>;

/**
 * Outbound WeChat Pay APIv3 calls for one merchant: order query (reconciliation) and platform certificate
 * download. Request signing is wechatpay-node-v3's; the transport is ours (see AxiosPayRequest).
 */
export class WechatPayClient {
  readonly mchId: string;
  readonly options: WechatHttpOptions;
  private readonly pay: Pay;
  private readonly semaphore: Semaphore;

  constructor(
    private readonly account: PayAccount,
    options: Partial<WechatHttpOptions> = {},
  ) {
    if (!account.privateKeyPath) throw new NotConfiguredError(account.mchId, 'privateKeyPath');
    if (!account.certSerial) throw new NotConfiguredError(account.mchId, 'certSerial');
    this.mchId = account.mchId;
    this.options = httpOptions(options);
    this.semaphore = new Semaphore(this.options.concurrency);
    const privateKey = readFileSync(account.privateKeyPath);
    // The library insists on a "publicKey" (it derives the serial from a merchant certificate when no
    // serial_no is given); with certSerial configured it is unused, so the merchant's own public key is passed.
    const publicKey = Buffer.from(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }));
    this.pay = new Pay({
      appid: account.appIds[0] ?? '',
      mchid: account.mchId,
      serial_no: account.certSerial,
      privateKey,
      publicKey,
      key: account.apiV3Key,
    });
    this.pay.createHttp(new AxiosPayRequest(account.apiBase, this.options.timeoutMs));
  }

  /**
   * Order by merchant order number; NOT_FOUND (ORDER_NOT_EXIST) when WeChat Pay has no such order.
   * https://pay.weixin.qq.com/docs/merchant/apis/jsapi-payment/query-by-out-trade-no.html
   */
  async queryByOutTradeNo(outTradeNo: string): Promise<TransactionWire> {
    const out = await this.retrying(() => this.pay.query({ out_trade_no: encodeURIComponent(outTradeNo) }));
    return out.data as TransactionWire;
  }

  /**
   * Platform certificates, decrypted with the APIv3 key (AEAD_AES_256_GCM, AAD `certificate`). Empty for
   * merchants that only have a WeChat Pay public key.
   * https://pay.weixin.qq.com/docs/merchant/apis/platform-certificate/api-v3-get-certificates/get.html
   */
  async downloadCertificates(): Promise<PlatformCertificate[]> {
    const list = await this.retrying(() => this.pay.get_certificates(this.account.apiV3Key));
    return list.map((c) => ({
      serialNo: c.serial_no,
      effectiveTime: c.effective_time,
      expireTime: c.expire_time,
      publicKeyPem: c.publicKey ?? '',
    }));
  }

  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    for (let failures = 1; ; failures += 1) {
      try {
        return await this.semaphore.run(fn);
      } catch (e) {
        if (!(e instanceof WechatApiError) || !e.retryable || failures >= this.options.maxAttempts) throw e;
        const delay = fullJitterDelayMs(failures - 1, this.options.baseDelayMs, this.options.maxDelayMs);
        if (Date.now() - started + delay > this.options.budgetMs) throw e;
        await sleep(delay);
      }
    }
  }
}
