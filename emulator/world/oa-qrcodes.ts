/**
 * An OA's parametric QR codes (生成带参数的二维码, qrcode/create): temporary ones expire, permanent ones do not
 * and are capped per account. A scan or follow through a code is sent with its scene and ticket (wechat-api.md
 * §4.3). https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html
 */
export type QrActionName = 'QR_SCENE' | 'QR_STR_SCENE' | 'QR_LIMIT_SCENE' | 'QR_LIMIT_STR_SCENE';

export interface OaQrCode {
  ticket: string;
  /** `http://weixin.qq.com/q/…`: what the QR image encodes. */
  url: string;
  actionName: QrActionName;
  /** Integer scene (0 for string scenes). */
  sceneId: number;
  /** String scene ("" for integer scenes). */
  sceneStr: string;
  createdAt: number;
  /** Unix seconds; undefined for permanent codes. */
  expiresAt: number | undefined;
  scans: number;
}

export class OaQrCodeStore {
  readonly byTicket = new Map<string, OaQrCode>();
  /** Permanent codes by scene key: asking again for the same scene answers the same ticket [choice]. */
  private readonly permanent = new Map<string, OaQrCode>();

  constructor(readonly permanentLimit: number) {}

  get permanentCount(): number {
    return this.permanent.size;
  }

  static sceneValue(code: OaQrCode): string {
    return code.sceneStr !== '' ? code.sceneStr : String(code.sceneId);
  }

  static isPermanent(name: QrActionName): boolean {
    return name === 'QR_LIMIT_SCENE' || name === 'QR_LIMIT_STR_SCENE';
  }

  private static sceneKey(sceneId: number, sceneStr: string): string {
    return sceneStr !== '' ? `s:${sceneStr}` : `i:${sceneId}`;
  }

  existingPermanent(sceneId: number, sceneStr: string): OaQrCode | undefined {
    return this.permanent.get(OaQrCodeStore.sceneKey(sceneId, sceneStr));
  }

  add(code: OaQrCode): OaQrCode {
    this.byTicket.set(code.ticket, code);
    if (code.expiresAt === undefined) this.permanent.set(OaQrCodeStore.sceneKey(code.sceneId, code.sceneStr), code);
    return code;
  }

  /** A code that can still be scanned at `now`, or undefined (unknown or expired). */
  live(ticket: string, now: number): OaQrCode | undefined {
    const code = this.byTicket.get(ticket);
    return code && (code.expiresAt === undefined || now < code.expiresAt) ? code : undefined;
  }
}
