import QRCode from 'qrcode';
import { QR_PNG_OPTIONS } from '../../../../emulator/qrcode/showqrcode.page';
import { startReceiver, type Receiver } from '../../callbacks/receiver.helper';
import { startTestEmulator, type TestEmulator } from '../../helper';

/** The decrypted callback as the emulator sent it, one element per line. */
function lines(delivery: { plaintext: string; delivered: boolean }): string[] {
  expect(delivery.delivered).toBe(true);
  return delivery.plaintext.split('\n').slice(1, -1);
}

describe('OA parametric QR codes (qrcode/create, showqrcode) and scans', () => {
  let t: TestEmulator;
  let gw: Receiver;
  let appId: string;
  let token: string;
  const create = (body: unknown) => t.oa.post(`/cgi-bin/qrcode/create?access_token=${token}`, body);
  const scan = (ticket: string, body: unknown) =>
    t.control.post(`/oa/${appId}/qrcodes/${encodeURIComponent(ticket)}/scan`, body);

  beforeAll(async () => {
    gw = await startReceiver();
    t = await startTestEmulator({ oaPermanentQrLimit: 3, gatewayUrl: gw.url.replace(/\/hook$/, '') });
    appId = (await t.apps()).officialAccounts[0]!.appId;
    token = await t.oaToken();
  });
  afterAll(async () => {
    await t.close();
    await gw.close();
  });

  it('temporary codes: expire_seconds answered (30 by default, cut to 30 days), a new ticket each time', async () => {
    const a = (
      await create({
        expire_seconds: 604800,
        action_name: 'QR_SCENE',
        action_info: { scene: { scene_id: 4_294_967_295 } },
      })
    ).data;
    expect(a).toEqual({
      ticket: expect.stringMatching(/^gQ/),
      expire_seconds: 604800,
      url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\//),
    });
    const b = (await create({ action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'poster_a' } } })).data;
    expect(b.expire_seconds).toBe(30);
    const c = (
      await create({
        expire_seconds: 9_999_999,
        action_name: 'QR_STR_SCENE',
        action_info: { scene: { scene_str: 'poster_a' } },
      })
    ).data;
    expect(c.expire_seconds).toBe(2_592_000);
    expect(new Set([a.ticket, b.ticket, c.ticket]).size).toBe(3);
  });

  it('permanent codes: ticket and url only, the same scene answers the same ticket, 45029 past the account cap', async () => {
    const a = (await create({ action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'store_1' } } }))
      .data;
    expect(a).toEqual({ ticket: expect.any(String), url: expect.any(String) });
    expect(
      (await create({ action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'store_1' } } })).data
        .ticket,
    ).toBe(a.ticket);
    expect(
      (await create({ action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 100_000 } } })).data.ticket,
    ).toEqual(expect.any(String));
    expect(
      (await create({ action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 1 } } })).data.ticket,
    ).toEqual(expect.any(String));
    expect(
      (await create({ action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 2 } } })).data.errcode,
    ).toBe(45029);
    // temporary codes are not capped
    expect((await create({ action_name: 'QR_SCENE', action_info: { scene: { scene_id: 2 } } })).data.ticket).toEqual(
      expect.any(String),
    );
    const st = (await t.control.get(`/state/oa/${appId}/qrcodes`)).data;
    expect(st).toMatchObject({ permanentCount: 3, permanentLimit: 3 });
  });

  it('scene limits and action names are checked (40053, 40052), bad expire_seconds is 47001', async () => {
    const bad = [
      { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 100_001 } } },
      { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 0 } } },
      { action_name: 'QR_SCENE', action_info: { scene: { scene_id: 4_294_967_296 } } },
      { action_name: 'QR_SCENE', action_info: { scene: { scene_str: 'abc' } } },
      { action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: '' } } },
      { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'x'.repeat(65) } } },
      { action_name: 'QR_STR_SCENE' },
    ];
    for (const body of bad) expect((await create(body)).data.errcode).toBe(40053);
    expect(
      (await create({ action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'x'.repeat(64) } } })).data
        .ticket,
    ).toEqual(expect.any(String));
    expect((await create({ action_name: 'QR_TEMP', action_info: { scene: { scene_id: 1 } } })).data.errcode).toBe(
      40052,
    );
    expect(
      (await create({ expire_seconds: 0, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 1 } } })).data
        .errcode,
    ).toBe(47001);
    expect((await t.oa.get(`/cgi-bin/qrcode/create?access_token=${token}`)).data.errcode).toBe(43002);
  });

  it('showqrcode answers a PNG of the code url without a token; unknown and expired tickets are 404', async () => {
    const code = (
      await create({ expire_seconds: 60, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'png' } } })
    ).data;
    const r = await t.http.get('/mp.weixin.qq.com/cgi-bin/showqrcode', {
      params: { ticket: code.ticket },
      responseType: 'arraybuffer',
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    const png = Buffer.from(r.data as ArrayBuffer);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // The same QR symbol the library draws for the url: the image is the code, not a placeholder.
    expect(png).toEqual(await QRCode.toBuffer(code.url, QR_PNG_OPTIONS));
    expect((await t.http.get('/mp.weixin.qq.com/cgi-bin/showqrcode', { params: { ticket: 'gQnope' } })).status).toBe(
      404,
    );
    await t.advance(61);
    expect((await t.http.get('/mp.weixin.qq.com/cgi-bin/showqrcode', { params: { ticket: code.ticket } })).status).toBe(
      404,
    );
  });

  it('a non-follower who scans follows with EventKey qrscene_<scene> and the Ticket; a follower sends SCAN', async () => {
    const code = (
      await create({
        expire_seconds: 600,
        action_name: 'QR_STR_SCENE',
        action_info: { scene: { scene_str: 'spring_fair' } },
      })
    ).data;
    const first = await scan(code.ticket, {});
    expect(first.status).toBe(200);
    expect(first.data.followed).toBe(true);
    expect(first.data.user).toMatchObject({
      subscribe: 1,
      subscribe_scene: 'ADD_SCENE_QR_CODE',
      qr_scene: 0,
      qr_scene_str: 'spring_fair',
    });
    const openid = first.data.user.openid as string;
    expect(lines(first.data.delivery)).toEqual([
      expect.stringMatching(/^<ToUserName>/),
      `<FromUserName><![CDATA[${openid}]]></FromUserName>`,
      expect.stringMatching(/^<CreateTime>\d+<\/CreateTime>$/),
      '<MsgType><![CDATA[event]]></MsgType>',
      '<Event><![CDATA[subscribe]]></Event>',
      '<EventKey><![CDATA[qrscene_spring_fair]]></EventKey>',
      `<Ticket><![CDATA[${code.ticket}]]></Ticket>`,
    ]);
    const again = await scan(code.ticket, { openid });
    expect(again.data.followed).toBe(false);
    const l = lines(again.data.delivery);
    expect(l.slice(4)).toEqual([
      '<Event><![CDATA[SCAN]]></Event>',
      '<EventKey><![CDATA[spring_fair]]></EventKey>',
      `<Ticket><![CDATA[${code.ticket}]]></Ticket>`,
    ]);

    const numeric = (await create({ action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 100_000 } } }))
      .data;
    const n = await scan(numeric.ticket, { notify: false });
    expect(n.data).toEqual({ user: expect.objectContaining({ qr_scene: 100_000, qr_scene_str: '' }), followed: true });
    const st = (await t.control.get(`/state/oa/${appId}/qrcodes`)).data;
    expect(st.qrcodes.find((c: { ticket: string }) => c.ticket === code.ticket)).toMatchObject({
      sceneStr: 'spring_fair',
      scans: 2,
    });
  });

  it('scanning an expired code is 409, an unknown ticket or openid 404', async () => {
    const code = (
      await create({ expire_seconds: 30, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 77 } } })
    ).data;
    await t.advance(31);
    expect((await scan(code.ticket, {})).data.error.code).toBe('QR_EXPIRED');
    expect((await scan('gQnope', {})).status).toBe(404);
    const fresh = (
      await create({ expire_seconds: 30, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 78 } } })
    ).data;
    expect((await scan(fresh.ticket, { openid: 'oNoSuchOpenid' })).status).toBe(404);
  });
});
