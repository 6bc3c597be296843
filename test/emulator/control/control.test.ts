import { startTestEmulator, type TestEmulator } from '../helper';

describe('control API', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator();
  });
  afterEach(() => t.close());

  it('rejects unknown reset options, malformed JSON and unknown apps', async () => {
    expect((await t.control.post('/reset', { folowers: 10 })).status).toBe(400);
    const bad = await t.control.post('/reset', '{nope', {
      headers: { 'content-type': 'application/json' },
      transformRequest: [(d: unknown) => d],
    });
    expect(bad.status).toBe(400);
    expect(bad.data.error.code).toBe('MALFORMED_JSON');
    expect((await t.control.patch('/apps/wxnope', { verified: false })).status).toBe(404);
    expect((await t.control.post('/oa/wxnope/users', {})).status).toBe(404);
    expect((await t.control.post('/clock/advance', { seconds: -1 })).status).toBe(400);
  });

  it('resets to a new seed deterministically and rewinds the clock', async () => {
    await t.advance(1000);
    const a = (await t.control.post('/reset', { seed: 7, followers: 20 })).data;
    const b = (await t.control.post('/reset', { seed: 7, followers: 20 })).data;
    expect(a).toEqual(b);
    expect(a.officialAccounts[0].followers).toBe(20);
    expect((await t.control.get('/clock')).data.offsetSeconds).toBe(0);
    const c = (await t.control.post('/reset', { seed: 8, followers: 20 })).data;
    expect(c.officialAccounts[0].appId).not.toBe(a.officialAccounts[0].appId);
  });

  it('lists apps with credentials and gateway account entries pointing at the emulator', async () => {
    const apps = await t.apps();
    const base = t.emu.url;
    expect(apps.accounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'official-account',
          appId: apps.officialAccounts[0]!.appId,
          apiBase: `${base}/api.weixin.qq.com`,
          oauthBase: `${base}/open.weixin.qq.com`,
          openPlatformId: apps.openPlatformId,
        }),
        expect.objectContaining({ kind: 'mini-program', messageFormat: 'json' }),
        expect.objectContaining({
          kind: 'wecom',
          corpId: apps.corps[0]!.corpId,
          agentId: 1000002,
          apiBase: `${base}/qyapi.weixin.qq.com`,
        }),
      ]),
    );
    const unbound = apps.accounts.find((a) => a.appId === apps.officialAccounts[1]!.appId)!;
    expect(unbound.openPlatformId).toBeUndefined();
    expect(apps.merchants[0]).toMatchObject({
      mchId: expect.stringMatching(/^\d{10}$/),
      appId: apps.officialAccounts[0]!.appId,
    });
  });

  it('derives callback URLs from the gateway URL', async () => {
    const apps = (await t.control.post('/reset', { gatewayUrl: 'http://127.0.0.1:3000/' })).data;
    expect(apps.officialAccounts[0].url).toBe(
      `http://127.0.0.1:3000/wechat/official-account/${apps.officialAccounts[0].appId}`,
    );
    expect(apps.miniPrograms[0].url).toBe(`http://127.0.0.1:3000/wechat/mini-program/${apps.miniPrograms[0].appId}`);
    expect(apps.corps[0].url).toBe(`http://127.0.0.1:3000/wechat/wecom/${apps.corps[0].corpId}`);
    expect(apps.merchants[0].notifyUrl).toBe(`http://127.0.0.1:3000/wechat/pay/${apps.merchants[0].mchId}`);
  });

  it('creates users, subscribes and unsubscribes them, and reports their state', async () => {
    const { appId } = (await t.apps()).officialAccounts[0]!;
    const { users } = (
      await t.control.post(`/oa/${appId}/users`, {
        scene: 'ADD_SCENE_QR_CODE',
        qrScene: 42,
        remark: 'r',
        subscribeTime: 1_700_000_000,
      })
    ).data;
    const state = (await t.control.get(`/state/oa/${appId}/users/${users[0].openid}`)).data;
    expect(state).toMatchObject({
      personId: users[0].personId,
      subscribe: 1,
      subscribe_time: 1_700_000_000,
      subscribe_scene: 'ADD_SCENE_QR_CODE',
      qr_scene: 42,
      remark: 'r',
    });
    expect((await t.control.post(`/oa/${appId}/users/${users[0].openid}/unsubscribe`)).data.subscribe).toBe(0);
    expect((await t.control.post(`/oa/${appId}/users/${users[0].openid}/subscribe`, {})).data.subscribe).toBe(1);
    const many = (await t.control.post(`/oa/${appId}/users`, { count: 5 })).data.users;
    expect(new Set(many.map((u: { personId: number }) => u.personId)).size).toBe(5);
    const tag = (await t.control.post(`/oa/${appId}/tags`, { name: 'seeded', openids: [users[0].openid] })).data;
    expect(tag).toMatchObject({ name: 'seeded', count: 1 });
    const tags = (await t.control.get(`/state/oa/${appId}/tags`)).data.tags;
    expect(tags.find((x: { id: number }) => x.id === tag.id).openids).toEqual([users[0].openid]);
  });

  it('surfaces WeChat rules broken through the control API as 400 with the errcode', async () => {
    const { appId } = (await t.apps()).officialAccounts[0]!;
    await t.control.post(`/oa/${appId}/tags`, { name: 'dup' });
    const r = await t.control.post(`/oa/${appId}/tags`, { name: 'dup' });
    expect(r.status).toBe(400);
    expect(r.data.error).toMatchObject({ code: 'WECHAT_RULE', errcode: 45157 });
  });

  it('switches an app callback mode and format for the callback sender', async () => {
    const { appId } = (await t.apps()).miniPrograms[0]!;
    const r = (
      await t.control.patch(`/apps/${appId}`, {
        callbackMode: 'compatible',
        format: 'xml',
        url: 'http://127.0.0.1:9/cb',
      })
    ).data;
    expect(r).toMatchObject({ callbackMode: 'compatible', format: 'xml', url: 'http://127.0.0.1:9/cb' });
  });
});

describe('unknown APIs', () => {
  it('answer HTTP 404 with errcode 48001 under an API host, and plain 404 elsewhere', async () => {
    const t = await startTestEmulator();
    try {
      const r = await t.oa.get('/cgi-bin/message/template/send');
      expect(r.status).toBe(404);
      expect(r.data.errcode).toBe(48001);
      expect((await t.wecom.get('/cgi-bin/nope')).status).toBe(404);
      expect((await t.http.get('/elsewhere')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
