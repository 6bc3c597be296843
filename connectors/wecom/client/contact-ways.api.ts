import type { TokenSource } from '../../common/http/token-source';
import { refusedRequest } from '../../common/http/wechat-api-error';
import type { WechatHttpClient } from '../../common/http/wechat-http-client';

/** `state` and `remark` of a contact way are at most 30 characters (wechat-api-wecom-ops.md §3.1). */
export const CONTACT_WAY_STATE_MAX = 30;
export const CONTACT_WAY_REMARK_MAX = 30;
/** A welcome message: text ≤ 4000 bytes, ≤ 9 attachments (§4). */
export const WELCOME_TEXT_MAX_BYTES = 4000;
export const WELCOME_ATTACHMENTS_MAX = 9;

export interface ContactWayFields {
  /** Button style, scene 1 only. */
  style?: number;
  remark?: string;
  skipVerify?: boolean;
  state?: string;
  /** Exactly one for a single-member way (type 1). */
  user?: string[];
  /** Departments, several-member ways (type 2) only. */
  party?: number[];
}

export interface ContactWayRequest extends ContactWayFields {
  /** 1 single member, 2 several. */
  type: 1 | 2;
  /** 1 inside a mini program, 2 QR code. */
  scene: 1 | 2;
}

export interface ContactWay {
  configId: string;
  type: 1 | 2;
  scene: 1 | 2;
  style?: number;
  remark: string;
  skipVerify: boolean;
  state: string;
  /** Scene 2 only. */
  qrCode?: string;
  user: string[];
  party: number[];
}

export type WelcomeAttachment =
  | { msgtype: 'image'; image: { media_id?: string; pic_url?: string } }
  | { msgtype: 'link'; link: { title: string; url: string; picurl?: string; desc?: string } }
  | { msgtype: 'miniprogram'; miniprogram: { title: string; pic_media_id: string; appid: string; page: string } }
  | { msgtype: 'video'; video: { media_id: string } }
  | { msgtype: 'file'; file: { media_id: string } };

export interface WelcomeMessage {
  text?: string;
  attachments?: WelcomeAttachment[];
}

interface ContactWayWire {
  config_id: string;
  type: 1 | 2;
  scene: 1 | 2;
  style?: number;
  remark?: string;
  skip_verify?: boolean;
  state?: string;
  qr_code?: string;
  user?: string[];
  party?: number[];
}

function checkFields(api: string, f: ContactWayFields): void {
  if (f.state !== undefined && [...f.state].length > CONTACT_WAY_STATE_MAX)
    throw refusedRequest(api, 40058, `state longer than ${CONTACT_WAY_STATE_MAX} characters`);
  if (f.remark !== undefined && [...f.remark].length > CONTACT_WAY_REMARK_MAX)
    throw refusedRequest(api, 40058, `remark longer than ${CONTACT_WAY_REMARK_MAX} characters`);
}

function fieldsWire(f: ContactWayFields): Record<string, unknown> {
  return {
    ...(f.style !== undefined ? { style: f.style } : {}),
    ...(f.remark !== undefined ? { remark: f.remark } : {}),
    ...(f.skipVerify !== undefined ? { skip_verify: f.skipVerify } : {}),
    ...(f.state !== undefined ? { state: f.state } : {}),
    ...(f.user !== undefined ? { user: f.user } : {}),
    ...(f.party !== undefined ? { party: f.party } : {}),
  };
}

/**
 * Contact ways (「联系我」, the WeCom side of a channel code, DESIGN §10.2) and new-customer welcome messages, with
 * the contact-secret token. Length rules are checked before calling WeCom.
 * https://developer.work.weixin.qq.com/document/path/92228 · https://developer.work.weixin.qq.com/document/path/92599
 */
export class WecomContactWaysApi {
  constructor(
    private readonly http: WechatHttpClient,
    private readonly token: TokenSource,
  ) {}

  /** qr_code comes back for scene 2 only. */
  async addContactWay(req: ContactWayRequest): Promise<{ configId: string; qrCode?: string }> {
    const api = 'externalcontact/add_contact_way';
    checkFields(api, req);
    if (req.type === 1 && (req.user?.length ?? 0) !== 1)
      throw refusedRequest(api, 40058, 'a single-member way names exactly one user');
    const wire = await this.http.call<{ config_id: string; qr_code?: string }>({
      api,
      method: 'POST',
      path: '/cgi-bin/externalcontact/add_contact_way',
      body: { type: req.type, scene: req.scene, ...fieldsWire(req) },
      token: this.token,
    });
    return { configId: wire.config_id, ...(wire.qr_code ? { qrCode: wire.qr_code } : {}) };
  }

  /** Unknown or deleted config_id → 41044 (NOT_FOUND). */
  async getContactWay(configId: string): Promise<ContactWay> {
    const wire = await this.http.call<{ contact_way: ContactWayWire }>({
      api: 'externalcontact/get_contact_way',
      method: 'POST',
      path: '/cgi-bin/externalcontact/get_contact_way',
      body: { config_id: configId },
      token: this.token,
    });
    const w = wire.contact_way;
    return {
      configId: w.config_id,
      type: w.type,
      scene: w.scene,
      ...(w.style !== undefined ? { style: w.style } : {}),
      remark: w.remark ?? '',
      skipVerify: w.skip_verify ?? true,
      state: w.state ?? '',
      ...(w.qr_code ? { qrCode: w.qr_code } : {}),
      user: w.user ?? [],
      party: w.party ?? [],
    };
  }

  /** The fields given replace the old ones (user, party and remark wholesale); type and scene cannot change. */
  async updateContactWay(configId: string, fields: ContactWayFields): Promise<void> {
    const api = 'externalcontact/update_contact_way';
    checkFields(api, fields);
    await this.http.call({
      api,
      method: 'POST',
      path: '/cgi-bin/externalcontact/update_contact_way',
      body: { config_id: configId, ...fieldsWire(fields) },
      token: this.token,
    });
  }

  async deleteContactWay(configId: string): Promise<void> {
    await this.http.call({
      api: 'externalcontact/del_contact_way',
      method: 'POST',
      path: '/cgi-bin/externalcontact/del_contact_way',
      body: { config_id: configId },
      token: this.token,
    });
  }

  /**
   * Sends the welcome message with the WelcomeCode of an add_external_contact event: once, within 20 s of the
   * event. An expired code (41050) or a used one (41051) is INVALID_CODE: never worth retrying.
   */
  async sendWelcomeMessage(welcomeCode: string, msg: WelcomeMessage): Promise<void> {
    const api = 'externalcontact/send_welcome_msg';
    const attachments = msg.attachments ?? [];
    if (msg.text === undefined && attachments.length === 0)
      throw refusedRequest(api, 40058, 'neither text nor attachments');
    if (msg.text !== undefined && Buffer.byteLength(msg.text) > WELCOME_TEXT_MAX_BYTES)
      throw refusedRequest(api, 40058, `text longer than ${WELCOME_TEXT_MAX_BYTES} bytes`);
    if (attachments.length > WELCOME_ATTACHMENTS_MAX) {
      throw refusedRequest(api, 41064, `more than ${WELCOME_ATTACHMENTS_MAX} attachments`);
    }
    await this.http.call({
      api,
      method: 'POST',
      path: '/cgi-bin/externalcontact/send_welcome_msg',
      body: {
        welcome_code: welcomeCode,
        ...(msg.text !== undefined ? { text: { content: msg.text } } : {}),
        ...(attachments.length ? { attachments } : {}),
      },
      token: this.token,
    });
  }
}
