import { createServer, type IncomingMessage, type Server } from 'http';
import { aesKeyFromEncodingAESKey, decryptMessage } from '../../connectors/common/crypto/message-crypto';
import { sha1Signature } from '../../connectors/common/crypto/signature';
import { startTestEmulator, type TestEmulator } from './helper';

interface Received {
  method: string;
  url: URL;
  body: string;
}

/** A stand-in gateway that records callbacks and acks them with `success`. */
async function startGateway(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method!,
        url: new URL(req.url!, 'http://x'),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.end('success');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, received, server };
}

describe('callback and Pay routers mounted on the emulator', () => {
  let t: TestEmulator;
  let gw: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    gw = await startGateway();
    t = await startTestEmulator({ gatewayUrl: gw.url });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => gw.server.close(r));
  });

  it('answers 404 for a target the registry does not know', async () => {
    const r = await t.control.post('/callbacks/oa/wxnope/event', { type: 'subscribe', openid: 'o1' });
    expect(r.status).toBe(404);
  });

  it('notify:true on a control-made follow sends the subscribe callback signed with the app token to its gateway URL', async () => {
    const apps = await t.apps();
    const oa = apps.officialAccounts[0]!;
    const { users } = (await t.control.post(`/oa/${oa.appId}/users`, { subscribed: false })).data;
    const r = await t.control.post(`/oa/${oa.appId}/users/${users[0].openid}/subscribe`, {
      qrSceneStr: 'spring',
      notify: true,
    });
    expect(r.data.user).toMatchObject({ subscribe: 1, qr_scene_str: 'spring' });
    expect(r.data.delivery.delivered).toBe(true);
    const got = gw.received.at(-1)!;
    expect(got.url.pathname).toBe(`/wechat/official-account/${oa.appId}`);
    const q = got.url.searchParams;
    expect(q.get('signature')).toBe(sha1Signature(oa.token, q.get('timestamp')!, q.get('nonce')!));
    expect(q.get('openid')).toBe(users[0].openid);
    const enc = /<Encrypt><!\[CDATA\[(.+?)\]\]><\/Encrypt>/.exec(got.body)![1]!;
    const plain = decryptMessage(aesKeyFromEncodingAESKey(oa.encodingAESKey), enc);
    expect(plain.receiveId).toBe(oa.appId);
    expect(plain.message).toContain('<Event><![CDATA[subscribe]]></Event>');
    expect(plain.message).toContain('<EventKey><![CDATA[qrscene_spring]]></EventKey>');
    const unsub = await t.control.post(`/oa/${oa.appId}/users/${users[0].openid}/unsubscribe`, { notify: true });
    expect(unsub.data.user).toEqual({ subscribe: 0, openid: users[0].openid });
    expect(
      decryptMessage(
        aesKeyFromEncodingAESKey(oa.encodingAESKey),
        /<Encrypt><!\[CDATA\[(.+?)\]\]>/.exec(gw.received.at(-1)!.body)![1]!,
      ).message,
    ).toContain('unsubscribe');
  });

  it('notify:true on WeCom relations sends add_external_contact / del_follow_user encrypted for the corp', async () => {
    const corp = (await t.apps()).corps[0]!;
    const full = (await t.control.get('/apps')).data.corps[0];
    const key = aesKeyFromEncodingAESKey(full.encodingAESKey);
    const userid = (
      await t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', {
        params: { access_token: await t.wecomToken() },
      })
    ).data.follow_user[0];
    const c = (
      await t.control.post(`/wecom/${corp.corpId}/contacts`, {
        followers: [{ userid, state: 'poster7' }],
        notify: true,
      })
    ).data;
    expect(c.deliveries).toHaveLength(1);
    const got = gw.received.at(-1)!;
    expect(got.url.pathname).toBe(`/wechat/wecom/${corp.corpId}`);
    const enc = /<Encrypt><!\[CDATA\[(.+?)\]\]><\/Encrypt>/.exec(got.body)![1]!;
    const q = got.url.searchParams;
    expect(q.get('msg_signature')).toBe(sha1Signature(full.token, q.get('timestamp')!, q.get('nonce')!, enc));
    const plain = decryptMessage(key, enc);
    expect(plain.receiveId).toBe(corp.corpId);
    expect(plain.message).toContain(`<ExternalUserID><![CDATA[${c.externalUserId}]]></ExternalUserID>`);
    expect(plain.message).toContain('<State><![CDATA[poster7]]></State>');
    await t.control.post(`/wecom/${corp.corpId}/relations/delete`, {
      userid,
      externalUserId: c.externalUserId,
      by: 'customer',
      notify: true,
    });
    expect(decryptMessage(key, /<Encrypt><!\[CDATA\[(.+?)\]\]>/.exec(gw.received.at(-1)!.body)![1]!).message).toContain(
      'del_follow_user',
    );
  });

  it('mounts the Pay control and merchant API routers with merchants from the registry', async () => {
    const keys = await t.control.get('/pay/keys');
    expect(keys.status).toBe(200);
    const certs = await t.http.get('/api.mch.weixin.qq.com/v3/certificates');
    expect(certs.status).toBeGreaterThanOrEqual(400);
    expect(certs.headers['wechatpay-signature']).toEqual(expect.any(String));
    const { mchId, appId } = (await t.apps()).merchants[0]!;
    const before = gw.received.length;
    const r = await t.control.post(`/pay/${mchId}/transactions`, { openid: 'oPayer', amount: 100 });
    expect(r.status).toBe(200);
    const got = gw.received[before]!;
    expect(got.url.pathname).toBe(`/wechat/pay/${mchId}`);
    expect(JSON.parse(got.body)).toMatchObject({
      event_type: 'TRANSACTION.SUCCESS',
      resource: { algorithm: 'AEAD_AES_256_GCM' },
    });
    expect(r.data.transaction).toMatchObject({ appid: appId, mchid: mchId });
  });
});
