import type { TokenSource } from '../../common/http/token-source';
import { refusedRequest } from '../../common/http/wechat-api-error';
import type { WechatHttpClient } from '../../common/http/wechat-http-client';

/** Parametric QR code limits (DESIGN §10.2): temporary codes live ≤ 30 days, permanent integer scenes 1..100000. */
export const QR_MAX_EXPIRE_SECONDS = 2_592_000;
export const QR_PERMANENT_MAX_SCENE_ID = 100_000;
export const QR_TEMPORARY_MAX_SCENE_ID = 0xffff_ffff;
export const QR_SCENE_STR_MAX = 64;

/** A string scene or an integer one; `expireSeconds` absent makes a permanent code. */
export interface QrCodeRequest {
  scene: string | number;
  /** 1..2592000 for a temporary code; absent for a permanent one. */
  expireSeconds?: number;
}

export interface QrCodeTicket {
  ticket: string;
  /** What the QR image encodes (`http://weixin.qq.com/q/…`). */
  url: string;
  /** Temporary codes only. */
  expireSeconds?: number;
}

/**
 * qrcode/create. Scene and lifetime rules are checked before calling WeChat (which answers 40053 for them); the
 * image is `showqrcode?ticket=` on mp.weixin.qq.com, see `showQrCodeUrl`.
 * https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html
 */
export class OaQrCodesApi {
  constructor(
    private readonly http: WechatHttpClient,
    private readonly token: TokenSource,
  ) {}

  async createQrCode(req: QrCodeRequest): Promise<QrCodeTicket> {
    const permanent = req.expireSeconds === undefined;
    const str = typeof req.scene === 'string';
    if (str) {
      const n = [...(req.scene as string)].length;
      if (n < 1 || n > QR_SCENE_STR_MAX)
        throw refusedRequest('qrcode/create', 40053, `scene_str length ${n} not in 1..${QR_SCENE_STR_MAX}`);
    } else {
      const max = permanent ? QR_PERMANENT_MAX_SCENE_ID : QR_TEMPORARY_MAX_SCENE_ID;
      if (!Number.isInteger(req.scene) || (req.scene as number) < 1 || (req.scene as number) > max)
        throw refusedRequest('qrcode/create', 40053, `scene_id ${req.scene} not in 1..${max}`);
    }
    if (
      !permanent &&
      (!Number.isInteger(req.expireSeconds) || req.expireSeconds! < 1 || req.expireSeconds! > QR_MAX_EXPIRE_SECONDS)
    ) {
      throw refusedRequest(
        'qrcode/create',
        40053,
        `expire_seconds ${req.expireSeconds} not in 1..${QR_MAX_EXPIRE_SECONDS}`,
      );
    }
    const actionName = `${permanent ? 'QR_LIMIT_' : 'QR_'}${str ? 'STR_' : ''}SCENE`;
    const wire = await this.http.call<{ ticket: string; url: string; expire_seconds?: number }>({
      api: 'qrcode/create',
      method: 'POST',
      path: '/cgi-bin/qrcode/create',
      body: {
        ...(permanent ? {} : { expire_seconds: req.expireSeconds }),
        action_name: actionName,
        action_info: { scene: str ? { scene_str: req.scene } : { scene_id: req.scene } },
      },
      token: this.token,
    });
    return {
      ticket: wire.ticket,
      url: wire.url,
      ...(wire.expire_seconds !== undefined ? { expireSeconds: wire.expire_seconds } : {}),
    };
  }
}

/** The QR image of a ticket: no token needed, the ticket URL-encoded (it may hold `+`, `/`, `=`). */
export function showQrCodeUrl(mpBase: string, ticket: string): string {
  return `${mpBase.replace(/\/$/, '')}/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`;
}
