import http from 'http';
import https from 'https';
import axios, { type AxiosInstance } from 'axios';
import type { Output } from 'wechatpay-node-v3/dist/lib/interface-v2';
import type { IPayRequest } from 'wechatpay-node-v3/dist/lib/pay-request.interface';
import { transportError } from '../../common/http/transport-error';
import { payApiError } from '../errors';

/** The host wechatpay-node-v3 writes into every URL; its signature covers only the path after it. */
export const PAY_LIBRARY_HOST = 'https://api.mch.weixin.qq.com';

/**
 * HTTP transport handed to wechatpay-node-v3 (`Pay#createHttp`). The library has no base-URL option (every
 * endpoint is a hard-coded absolute URL), but it signs only the path, so swapping the host for the account's
 * apiBase here keeps its signing intact and lets the emulator stand in for WeChat Pay. It also replaces the
 * library's superagent transport with axios (timeouts, keep-alive) and turns non-2xx answers into typed errors.
 */
export class AxiosPayRequest implements IPayRequest {
  private readonly axios: AxiosInstance;

  constructor(
    private readonly apiBase: string,
    timeoutMs: number,
  ) {
    this.axios = axios.create({
      timeout: timeoutMs,
      validateStatus: () => true,
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
    });
  }

  get(url: string, headers: Record<string, string>): Promise<Output> {
    return this.send('GET', url, headers);
  }

  post(url: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<Output> {
    return this.send('POST', url, { ...headers, 'Content-Type': 'application/json' }, params);
  }

  upload(url: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<Output> {
    return this.send('POST', url, headers, params);
  }

  private async send(
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    data?: unknown,
  ): Promise<Output> {
    const target = url.startsWith(PAY_LIBRARY_HOST) ? this.apiBase + url.slice(PAY_LIBRARY_HOST.length) : url;
    const api = new URL(target).pathname;
    let res;
    try {
      res = await this.axios.request({ method, url: target, headers, data });
    } catch (e) {
      throw transportError(api, e);
    }
    if (res.status < 200 || res.status >= 300) throw payApiError(api, res.status, res.data);
    return { status: res.status, data: res.data };
  }
}
