import { startReceiver, type Receiver } from '../../callbacks/receiver.helper';
import { startTestEmulator, type TestEmulator } from '../../helper';

/** The decrypted callback as the emulator sent it, one element per line. */
function lines(delivery: { plaintext: string; delivered: boolean }): string[] {
  expect(delivery.delivered).toBe(true);
  return delivery.plaintext.split('\n').slice(1, -1);
}

describe('WeCom contact ways, adds through them and welcome messages', () => {
  let t: TestEmulator;
  let gw: Receiver;
  let corpId: string;
  let token: string;
  let staff: string[];
  const api = (name: string, body: unknown) =>
    t.wecom.post(`/cgi-bin/externalcontact/${name}?access_token=${token}`, body);
  const addThrough = (configId: string, body: unknown = {}) =>
    t.control.post(`/wecom/${corpId}/contact-ways/${configId}/add`, body);

  beforeAll(async () => {
    gw = await startReceiver();
    t = await startTestEmulator({ wecomStaff: 4, wecomContacts: 10, gatewayUrl: gw.url.replace(/\/hook$/, '') });
    corpId = (await t.apps()).corps[0]!.corpId;
    token = await t.wecomToken();
    staff = (await t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', { params: { access_token: token } }))
      .data.follow_user;
  });
  afterAll(async () => {
    await t.close();
    await gw.close();
  });

  it('add, get, update (replacing members), del; qr_code only for the QR scene', async () => {
    const qr = (
      await api('add_contact_way', { type: 1, scene: 2, remark: '门店A', state: 'storeA_2024', user: [staff[0]] })
    ).data;
    expect(qr).toEqual({
      errcode: 0,
      errmsg: 'ok',
      config_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      qr_code: `${t.emu.url}/wework.qpic.cn/wwpic/${qr.qr_code.split('/wwpic/')[1]}`,
    });
    expect(qr.qr_code).toMatch(/\/wework\.qpic\.cn\/wwpic\/\d{6}_\w{16}\/0$/);
    const got = (await api('get_contact_way', { config_id: qr.config_id })).data.contact_way;
    expect(got).toEqual({
      config_id: qr.config_id,
      type: 1,
      scene: 2,
      remark: '门店A',
      skip_verify: true,
      state: 'storeA_2024',
      qr_code: qr.qr_code,
      user: [staff[0]],
      party: [],
      is_temp: false,
    });

    const mp = (
      await api('add_contact_way', {
        type: 2,
        scene: 1,
        style: 2,
        skip_verify: false,
        user: [staff[0], staff[1]],
        party: [2],
      })
    ).data;
    expect(mp.qr_code).toBeUndefined();
    expect((await api('get_contact_way', { config_id: mp.config_id })).data.contact_way).toMatchObject({
      type: 2,
      scene: 1,
      style: 2,
      skip_verify: false,
      state: '',
      user: [staff[0], staff[1]],
      party: [2],
    });
    expect(
      (
        await api('update_contact_way', {
          config_id: mp.config_id,
          user: [staff[2]],
          state: 'poster_b',
          remark: '海报B',
        })
      ).data.errcode,
    ).toBe(0);
    expect((await api('get_contact_way', { config_id: mp.config_id })).data.contact_way).toMatchObject({
      user: [staff[2]],
      party: [],
      state: 'poster_b',
      remark: '海报B',
      type: 2,
      scene: 1,
    });

    expect((await api('del_contact_way', { config_id: mp.config_id })).data.errcode).toBe(0);
    expect((await api('get_contact_way', { config_id: mp.config_id })).data.errcode).toBe(41044);
    expect((await api('del_contact_way', { config_id: mp.config_id })).data.errcode).toBe(41044);
  });

  it("serves a QR-scene way's qr_code as a PNG until the way is deleted", async () => {
    const { config_id, qr_code } = (
      await api('add_contact_way', { type: 1, scene: 2, state: 'qr_png', user: [staff[0]] })
    ).data;
    const img = await t.http.get(qr_code.slice(t.emu.url.length), { responseType: 'arraybuffer' });
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(Buffer.from(img.data).subarray(1, 4).toString()).toBe('PNG');
    expect((await t.http.get('/wework.qpic.cn/wwpic/000000_nothing/0')).status).toBe(404);
    expect((await api('del_contact_way', { config_id })).data.errcode).toBe(0);
    expect((await t.http.get(qr_code.slice(t.emu.url.length))).status).toBe(404);
  });

  it('errcodes: type/scene missing and invalid, style, config_id, state over 30 characters, members', async () => {
    const codes = async (name: string, body: unknown) => (await api(name, body)).data.errcode as number;
    expect(await codes('add_contact_way', { scene: 2, user: [staff[0]] })).toBe(41037);
    expect(await codes('add_contact_way', { type: 1, user: [staff[0]] })).toBe(41038);
    expect(await codes('add_contact_way', { type: 3, scene: 2, user: [staff[0]] })).toBe(41039);
    expect(await codes('add_contact_way', { type: 1, scene: 3, user: [staff[0]] })).toBe(41040);
    expect(await codes('add_contact_way', { type: 2, scene: 1, style: 3, user: [staff[0]] })).toBe(41042);
    expect(await codes('add_contact_way', { type: 1, scene: 2, state: 'x'.repeat(31), user: [staff[0]] })).toBe(40058);
    expect(await codes('add_contact_way', { type: 1, scene: 2, state: '渠'.repeat(30), user: [staff[0]] })).toBe(0);
    expect(await codes('add_contact_way', { type: 1, scene: 2, user: [staff[0], staff[1]] })).toBe(40058);
    expect(await codes('add_contact_way', { type: 2, scene: 2 })).toBe(40058);
    expect(await codes('add_contact_way', { type: 1, scene: 2, user: ['nobody'] })).toBe(40003);
    expect(await codes('add_contact_way', { type: 2, scene: 2, party: [999] })).toBe(60123);
    expect(await codes('get_contact_way', {})).toBe(41043);
    expect(await codes('get_contact_way', { config_id: 'f'.repeat(32) })).toBe(41044);
    expect(await codes('send_welcome_msg', { text: { content: 'hi' } })).toBe(41049);
    expect(await codes('send_welcome_msg', { welcome_code: 'nope', text: { content: 'hi' } })).toBe(41050);
  });

  it('an add through a way creates the relation with its state and sends State and WelcomeCode; the code works once, within 20 s', async () => {
    const way = (
      await api('add_contact_way', { type: 2, scene: 2, state: 'spring_poster', user: [staff[0], staff[1]] })
    ).data;
    const r = await addThrough(way.config_id);
    expect(r.status).toBe(200);
    const { externalUserId, userid, welcomeCode } = r.data;
    expect(userid).toBe(staff[0]);
    expect(lines(r.data.delivery)).toEqual([
      `<ToUserName><![CDATA[${corpId}]]></ToUserName>`,
      '<FromUserName><![CDATA[sys]]></FromUserName>',
      expect.stringMatching(/^<CreateTime>\d+<\/CreateTime>$/),
      '<MsgType><![CDATA[event]]></MsgType>',
      '<Event><![CDATA[change_external_contact]]></Event>',
      '<ChangeType><![CDATA[add_external_contact]]></ChangeType>',
      `<UserID><![CDATA[${staff[0]}]]></UserID>`,
      `<ExternalUserID><![CDATA[${externalUserId}]]></ExternalUserID>`,
      '<State><![CDATA[spring_poster]]></State>',
      `<WelcomeCode><![CDATA[${welcomeCode}]]></WelcomeCode>`,
    ]);
    const contact = (
      await t.wecom.get('/cgi-bin/externalcontact/get', {
        params: { access_token: token, external_userid: externalUserId },
      })
    ).data;
    expect(contact.follow_user).toEqual([
      expect.objectContaining({ userid: staff[0], state: 'spring_poster', add_way: 1 }),
    ]);

    const body = {
      welcome_code: welcomeCode,
      text: { content: '您好，欢迎光临' },
      attachments: [{ msgtype: 'link', link: { title: '新客礼包', url: 'https://example.com/gift' } }],
    };
    expect(
      (
        await api('send_welcome_msg', {
          welcome_code: welcomeCode,
          attachments: Array.from({ length: 10 }, () => body.attachments[0]),
        })
      ).data.errcode,
    ).toBe(41064);
    expect(
      (await api('send_welcome_msg', { welcome_code: welcomeCode, attachments: [{ msgtype: 'link', image: {} }] })).data
        .errcode,
    ).toBe(41065);
    expect((await api('send_welcome_msg', { welcome_code: welcomeCode })).data.errcode).toBe(40058);
    expect((await api('send_welcome_msg', body)).data.errcode).toBe(0);
    expect((await api('send_welcome_msg', body)).data.errcode).toBe(41051);
    const sent = (await t.control.get(`/state/wecom/${corpId}/welcome-messages`)).data.sent;
    expect(sent).toEqual([
      {
        welcomeCode,
        userid: staff[0],
        externalUserId,
        text: '您好，欢迎光临',
        attachments: body.attachments,
        sentAt: expect.any(Number),
        eventAtMs: expect.any(Number),
        sentAtMs: expect.any(Number),
      },
    ]);

    // the next add goes to the way's next member; its code expires 20 s after the event
    const next = await addThrough(way.config_id, { notify: false });
    expect(next.data.userid).toBe(staff[1]);
    expect(next.data.delivery).toBeUndefined();
    await t.advance(21);
    expect(
      (await api('send_welcome_msg', { welcome_code: next.data.welcomeCode, text: { content: 'late' } })).data.errcode,
    ).toBe(41050);
    expect((await t.control.get(`/state/wecom/${corpId}/welcome-messages`)).data.sent).toHaveLength(1);
  });

  it('without a welcome code the callback leaves it out; adding the same member twice or an absent member is 409', async () => {
    const way = (await api('add_contact_way', { type: 1, scene: 2, user: [staff[2]] })).data;
    const r = await addThrough(way.config_id, { welcomeCode: false });
    expect(r.data.welcomeCode).toBeNull();
    const l = lines(r.data.delivery);
    expect(l.some((x) => x.startsWith('<WelcomeCode>') || x.startsWith('<State>'))).toBe(false);
    expect((await addThrough(way.config_id, { externalUserId: r.data.externalUserId })).data.error.code).toBe(
      'ALREADY_CONTACT',
    );
    expect((await addThrough(way.config_id, { userid: staff[0] })).data.error.code).toBe('NOT_ON_CONTACT_WAY');
    expect((await addThrough('f'.repeat(32))).status).toBe(404);
    const ways = (await t.control.get(`/state/wecom/${corpId}/contact-ways`)).data.contactWays;
    expect(ways.find((w: { config_id: string }) => w.config_id === way.config_id)).toMatchObject({
      adds: 1,
      user: [staff[2]],
    });
  });
});
