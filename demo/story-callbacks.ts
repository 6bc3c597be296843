import { DemoError } from './demo-errors';
import { JsonClient } from './demo-http';
import type { DemoWorld } from './demo-world';

/** One callback as WeChat (the emulator) sent it and what the gateway answered. */
export interface CallbackOutcome {
  label: string;
  accepted: boolean;
  detail: string;
}

/** The person the story follows through every channel. */
export interface StoryPerson {
  personId: number;
  oaOpenid: string;
  externalUserId: string;
  staffUserid: string;
  mpAppId: string;
  mpOpenid: string;
  customerId: string;
  phoneMasked: string | null;
}

export interface CallbackFacts {
  callbacks: CallbackOutcome[];
  person: StoryPerson;
}

interface Delivery {
  delivered: boolean;
  mode: string;
  attempts: { status: number | null; outcome: string; reply?: { ok: boolean; kind: string; reason?: string } }[];
}

interface PayNotification {
  state: string;
  attempts: { status: number | null; outcome: string }[];
}

export const STAFF_USERID = 'demo_sales';

function verdict(label: string, d: Delivery): CallbackOutcome {
  const last = d.attempts[d.attempts.length - 1];
  const ok = d.delivered && last?.reply?.ok !== false;
  const detail = `${d.mode}: HTTP ${last?.status ?? '—'}, ${last?.reply?.kind ?? last?.outcome ?? 'no attempt'}${d.attempts.length > 1 ? ` after ${d.attempts.length} attempts` : ''}`;
  return {
    label,
    accepted: ok,
    detail: ok ? detail : `${detail}${last?.reply?.reason ? ` (${last.reply.reason})` : ''}`,
  };
}

/**
 * WeChat traffic through the public callback URLs, sent by the emulator's callback sender and Pay notifier:
 * OA subscribe + text in safe and compatible mode (first OA) and plaintext mode (second OA); one person who
 * follows, writes, pays, is added by a sales rep on WeCom and logs in to the Mini Program with a verified phone.
 */
export async function sendCallbacks(w: DemoWorld, say: (line: string) => void): Promise<CallbackFacts> {
  const c = w.control;
  const [oa1, oa2] = w.apps.officialAccounts;
  const mp = w.apps.miniPrograms[0]!;
  const corp = w.apps.corps[0]!;
  const merchant = w.apps.merchants[0]!;
  const callbacks: CallbackOutcome[] = [];
  const oaPair = async (appId: string, openid: string, mode: string, text: string): Promise<void> => {
    const sub = await c.post<{ delivery: Delivery }>(`/callbacks/oa/${appId}/event`, {
      type: 'subscribe',
      openid,
      mode,
    });
    callbacks.push(verdict(`OA ${appId} subscribe`, sub.delivery));
    const msg = await c.post<{ delivery: Delivery }>(`/callbacks/oa/${appId}/message`, {
      type: 'text',
      openid,
      content: text,
      mode,
    });
    callbacks.push(verdict(`OA ${appId} text`, msg.delivery));
  };

  // The story person: a new WeChat user who follows the first OA and says hello (safe mode).
  const { persons } = await c.post<{ persons: { personId: number }[] }>('/persons', {});
  const personId = persons[0]!.personId;
  const followed = await c.post<{ users: { openid: string }[] }>(`/oa/${oa1!.appId}/users`, { personId });
  const oaOpenid = followed.users[0]!.openid;
  await oaPair(oa1!.appId, oaOpenid, 'safe', '你好，想了解一下会员活动');

  // Two more new followers: compatible mode on the first OA, plaintext mode on the second.
  const compat = await c.post<{ users: { openid: string }[] }>(`/oa/${oa1!.appId}/users`, {});
  await oaPair(oa1!.appId, compat.users[0]!.openid, 'compatible', '请问门店地址？');
  const plain = await c.post<{ users: { openid: string }[] }>(`/oa/${oa2!.appId}/users`, {});
  await oaPair(oa2!.appId, plain.users[0]!.openid, 'plaintext', '积分怎么查？');
  say(`  OA callbacks: subscribe + text in safe, compatible (${oa1!.appId}) and plaintext (${oa2!.appId}) mode`);

  // The person pays (WeChat Pay APIv3 TRANSACTION.SUCCESS, signed and AES-GCM encrypted by the emulator).
  const paid = await c.post<{ notification: PayNotification }>(`/pay/${merchant.mchId}/transactions`, {
    openid: oaOpenid,
    amount: 12800,
    outTradeNo: `DEMO-${personId}`,
  });
  const payAttempt = paid.notification.attempts[paid.notification.attempts.length - 1];
  const payOk = paid.notification.state === 'succeeded';
  callbacks.push({
    label: `Pay ${merchant.mchId} TRANSACTION.SUCCESS`,
    accepted: payOk,
    detail: `HTTP ${payAttempt?.status ?? '—'} (${paid.notification.state})`,
  });
  say(`  WeChat Pay: TRANSACTION.SUCCESS of ¥128.00 → HTTP ${payAttempt?.status ?? '—'}`);

  // A sales rep adds the person on WeCom (add_external_contact, always encrypted).
  await c.post('/wecom/' + corp.corpId + '/staff', { userid: STAFF_USERID, name: '销售小王' });
  const contact = await c.post<{ externalUserId: string }>(`/wecom/${corp.corpId}/contacts`, {
    personId,
    followers: [{ userid: STAFF_USERID, state: 'demo' }],
  });
  const added = await c.post<{ delivery: Delivery }>(`/callbacks/wecom/${corp.corpId}/external-contact`, {
    changeType: 'add_external_contact',
    userId: STAFF_USERID,
    externalUserId: contact.externalUserId,
    state: 'demo',
  });
  callbacks.push(verdict(`WeCom ${corp.corpId} add_external_contact`, added.delivery));
  say(`  WeCom: ${STAFF_USERID} added ${contact.externalUserId}`);

  // The person opens the Mini Program: wx.login code → POST /mp/:appId/login, then the phone button code.
  const gatewayRoot = new JsonClient(w.gateway.url);
  const js = await c.post<{ code: string }>(`/mp/${mp.appId}/js-codes`, { personId });
  const login = await gatewayRoot.post<{ customerId: string; openid: string; unionid?: string; token: string }>(
    `/mp/${mp.appId}/login`,
    { code: js.code },
  );
  const phoneCode = await c.post<{ code: string }>(`/mp/${mp.appId}/phone-codes`, { personId });
  const phone = await new JsonClient(w.gateway.url, login.token).post<{
    customerId: string;
    phone: string | null;
    verified: boolean;
  }>(`/mp/${mp.appId}/phone`, { code: phoneCode.code });
  if (!phone.verified)
    throw new DemoError('UNEXPECTED_ANSWER', `POST ${w.gateway.url}/mp/${mp.appId}/phone answered verified: false`);
  say(
    `  Mini Program: login → customer ${login.customerId}${login.unionid ? ' (with unionid)' : ''}, verified phone ${phone.phone ?? '—'}`,
  );

  const rejected = callbacks.filter((cb) => !cb.accepted);
  if (rejected.length > 0)
    throw new DemoError(
      'NOT_DELIVERED',
      `callbacks not accepted: ${rejected.map((r) => `${r.label} (${r.detail})`).join('; ')}`,
    );
  return {
    callbacks,
    person: {
      personId,
      oaOpenid,
      externalUserId: contact.externalUserId,
      staffUserid: STAFF_USERID,
      mpAppId: mp.appId,
      mpOpenid: login.openid,
      customerId: phone.customerId,
      phoneMasked: phone.phone,
    },
  };
}
