import { ID_ALPHABET } from '../../core/hash';
import { WxError } from '../../core/wx-error';
import { corpOf, type Endpoint } from '../../http/endpoint';
import { CONTACT_WAY_QR_PREFIX } from '../../qrcode/contact-way-qr.page';
import { CONTACT_WAY_MAX_USERS, CONTACT_WAY_QUOTA, WELCOME_CODE_TTL, type ContactWay } from '../../world/contact-ways';
import type { Staff, WecomCorp } from '../../world/wecom-corp';
import { CONTACT_API, staffOrThrow } from './contact.api';

/**
 * Contact ways (wechat-api-wecom-ops.md §3) and send_welcome_msg (§4). The doc pages give errcodes for missing or
 * invalid type/scene/style/config_id, too many members and the quota; rules they name without a code (state or
 * remark over 30 characters, a single-member way without exactly one user, a way with nobody on it, a text over
 * 4000 bytes, neither text nor attachments) answer the global table's 40058 (invalid parameter) [choice].
 * https://developer.work.weixin.qq.com/document/path/92228 · https://developer.work.weixin.qq.com/document/path/92599
 */
const STATE_MAX = 30;
const REMARK_MAX = 30;
const TEXT_MAX_BYTES = 4000;
const ATTACHMENTS_MAX = 9;
const ATTACHMENT_TYPES = ['image', 'link', 'miniprogram', 'video', 'file'];

const invalid = (field: string) => new WxError(40058, `invalid parameter: ${field}`);

function optionalString(v: unknown, field: string, max: number): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || [...v].length > max) throw invalid(field);
  return v;
}

/** The members a way reaches: its users plus everyone in its departments and their sub-departments. */
export function wayMembers(corp: WecomCorp, way: Pick<ContactWay, 'user' | 'party'>): Staff[] {
  const out = new Set<Staff>(way.user.map((u) => corp.staffByUserid.get(u)).filter((s): s is Staff => s !== undefined));
  if (way.party.length > 0) {
    const within = (d: number): boolean => {
      for (let id: number | undefined = d; id !== undefined && id !== 0; id = corp.department(id)?.parentId)
        if (way.party.includes(id)) return true;
      return false;
    };
    for (const s of corp.staff) if (!s.left && s.departments.some(within)) out.add(s);
  }
  return [...out].filter((s) => !s.left);
}

function checkMembers(
  corp: WecomCorp,
  type: 1 | 2,
  user: unknown,
  party: unknown,
): { user: string[]; party: number[] } {
  if (user !== undefined && (!Array.isArray(user) || user.some((u) => typeof u !== 'string'))) throw invalid('user');
  if (party !== undefined && (!Array.isArray(party) || party.some((p) => typeof p !== 'number')))
    throw invalid('party');
  const users = ((user as string[] | undefined) ?? []).map((u) => staffOrThrow(corp, u).userid);
  const parties = (party as number[] | undefined) ?? [];
  for (const p of parties) if (!corp.department(p)) throw new WxError(60123);
  if (type === 1 && (users.length !== 1 || parties.length > 0))
    throw invalid('user (a single-member way names exactly one user)');
  if (type === 2 && users.length + parties.length === 0) throw invalid('user/party');
  if (wayMembers(corp, { user: users, party: parties }).length > CONTACT_WAY_MAX_USERS) throw new WxError(41041);
  return { user: users, party: parties };
}

function checkStyle(style: unknown, type: 1 | 2, scene: 1 | 2): number | undefined {
  if (style === undefined || scene === 2) return undefined;
  const allowed = type === 1 ? [1, 2, 3] : [1, 2];
  if (typeof style !== 'number' || !allowed.includes(style)) throw new WxError(41042);
  return style;
}

function wayOrThrow(corp: WecomCorp, configId: unknown): ContactWay {
  if (configId === undefined || configId === '') throw new WxError(41043);
  const way = typeof configId === 'string' ? corp.contactWays.ways.get(configId) : undefined;
  if (!way) throw new WxError(41044);
  return way;
}

/**
 * POST /cgi-bin/externalcontact/add_contact_way → {config_id, qr_code (scene 2 only)}; the qr_code's image host
 * `wework.qpic.cn` is a path on the emulator, which serves the PNG (qrcode/contact-way-qr.page.ts).
 */
const add: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/add_contact_way',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const b = call.body();
    if (b.type === undefined) throw new WxError(41037);
    if (b.scene === undefined) throw new WxError(41038);
    if (b.type !== 1 && b.type !== 2) throw new WxError(41039);
    if (b.scene !== 1 && b.scene !== 2) throw new WxError(41040);
    const type = b.type;
    const scene = b.scene;
    const style = checkStyle(b.style, type, scene);
    const remark = optionalString(b.remark, 'remark', REMARK_MAX) ?? '';
    const state = optionalString(b.state, 'state', STATE_MAX) ?? '';
    if (b.skip_verify !== undefined && typeof b.skip_verify !== 'boolean') throw invalid('skip_verify');
    const members = checkMembers(corp, type, b.user, b.party);
    const store = corp.contactWays;
    if (store.created >= CONTACT_WAY_QUOTA) throw new WxError(41045);
    const rng = call.state.rng;
    const configId = rng.hex(32);
    const way: ContactWay = {
      configId,
      type,
      scene,
      style,
      remark,
      skipVerify: b.skip_verify ?? true,
      state,
      ...members,
      qrCode:
        scene === 2
          ? `${call.origin}${CONTACT_WAY_QR_PREFIX}${rng.chars(6, '0123456789')}_${rng.chars(16, ID_ALPHABET)}/0`
          : undefined,
      createdAt: call.now,
      adds: 0,
    };
    store.ways.set(configId, way);
    store.created++;
    return way.qrCode ? { config_id: configId, qr_code: way.qrCode } : { config_id: configId };
  },
};

export function contactWayView(way: ContactWay): Record<string, unknown> {
  return {
    config_id: way.configId,
    type: way.type,
    scene: way.scene,
    ...(way.scene === 1 && way.style !== undefined ? { style: way.style } : {}),
    remark: way.remark,
    skip_verify: way.skipVerify,
    state: way.state,
    ...(way.qrCode ? { qr_code: way.qrCode } : {}),
    user: way.user,
    party: way.party,
    is_temp: false,
  };
}

/** POST /cgi-bin/externalcontact/get_contact_way {config_id} → {contact_way} */
const get: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/get_contact_way',
  method: 'POST',
  handle(call) {
    return { contact_way: contactWayView(wayOrThrow(corpOf(call).corp, call.body().config_id)) };
  },
};

/** POST /cgi-bin/externalcontact/update_contact_way: remark, skip_verify, style, state, user and party replace the old values; type and scene stay. */
const update: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/update_contact_way',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const b = call.body();
    const way = wayOrThrow(corp, b.config_id);
    const style = checkStyle(b.style, way.type, way.scene);
    const remark = optionalString(b.remark, 'remark', REMARK_MAX);
    const state = optionalString(b.state, 'state', STATE_MAX);
    if (b.skip_verify !== undefined && typeof b.skip_verify !== 'boolean') throw invalid('skip_verify');
    const members =
      b.user !== undefined || b.party !== undefined
        ? checkMembers(corp, way.type, b.user ?? way.user, b.party ?? [])
        : undefined;
    if (style !== undefined) way.style = style;
    if (remark !== undefined) way.remark = remark;
    if (state !== undefined) way.state = state;
    if (typeof b.skip_verify === 'boolean') way.skipVerify = b.skip_verify;
    if (members) Object.assign(way, members);
    return {};
  },
};

/** POST /cgi-bin/externalcontact/del_contact_way {config_id} */
const del: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/del_contact_way',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const way = wayOrThrow(corp, call.body().config_id);
    corp.contactWays.ways.delete(way.configId);
    return {};
  },
};

/**
 * POST /cgi-bin/externalcontact/send_welcome_msg {welcome_code, text?, attachments?}. The code is good once
 * (41051 after) and for 20 s after the add event on the emulator clock (41050 after, as for an unknown code).
 */
const sendWelcome: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/send_welcome_msg',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const b = call.body();
    if (b.welcome_code === undefined || b.welcome_code === '') throw new WxError(41049);
    const code = typeof b.welcome_code === 'string' ? corp.contactWays.welcomeCodes.get(b.welcome_code) : undefined;
    if (!code || call.now - code.issuedAt > WELCOME_CODE_TTL) throw new WxError(41050);
    if (code.used) throw new WxError(41051);
    let text: string | undefined;
    if (b.text !== undefined) {
      const content = (b.text as { content?: unknown } | null)?.content;
      if (typeof content !== 'string' || Buffer.byteLength(content) > TEXT_MAX_BYTES) throw invalid('text.content');
      text = content;
    }
    const attachments = b.attachments ?? [];
    if (!Array.isArray(attachments)) throw invalid('attachments');
    if (attachments.length > ATTACHMENTS_MAX) throw new WxError(41064);
    for (const a of attachments as unknown[]) {
      const t = a && typeof a === 'object' ? (a as { msgtype?: unknown }).msgtype : undefined;
      if (
        typeof t !== 'string' ||
        !ATTACHMENT_TYPES.includes(t) ||
        typeof (a as Record<string, unknown>)[t] !== 'object'
      )
        throw new WxError(41065);
    }
    if (text === undefined && attachments.length === 0) throw invalid('text/attachments');
    code.used = true;
    corp.contactWays.welcomesSent.push({
      welcomeCode: code.code,
      userid: code.userid,
      externalUserId: code.externalUserId,
      text,
      attachments,
      sentAt: call.now,
      eventAtMs: code.issuedAtMs,
      sentAtMs: call.state.clock.nowMs(),
    });
    return {};
  },
};

export const contactWayEndpoints: Endpoint[] = [add, get, update, del, sendWelcome];
