import { startTestEmulator, type CorpView, type TestEmulator } from '../../helper';

describe('WeCom gettoken', () => {
  let t: TestEmulator;
  let corp: CorpView;
  const gettoken = (q: Record<string, string>) =>
    t.wecom.get('/cgi-bin/gettoken', { params: { corpid: corp.corpId, corpsecret: corp.contactSecret, ...q } });
  const probe = (access_token: string) =>
    t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', { params: { access_token } });

  beforeEach(async () => {
    t = await startTestEmulator();
    corp = (await t.apps()).corps[0]!;
  });
  afterEach(() => t.close());

  it('rejects a wrong secret (40001), an unknown corp (40013) and missing parameters (41002/41004)', async () => {
    const bad = await gettoken({ corpsecret: 'wrong' });
    expect(bad.status).toBe(200);
    expect(bad.data.errcode).toBe(40001);
    expect(bad.data.errmsg).toMatch(
      /, hint: \[\d+_\d+_[0-9a-f]+\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=40001$/,
    );
    expect((await gettoken({ corpid: 'wwnope' })).data.errcode).toBe(40013);
    expect((await gettoken({ corpid: '' })).data.errcode).toBe(41002);
    expect((await gettoken({ corpsecret: '' })).data.errcode).toBe(41004);
  });

  it('returns the same token per secret while valid, a separate one per app, a new one after 7200 s', async () => {
    const a = (await gettoken({})).data;
    expect(a).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    await t.advance(60);
    const b = (await gettoken({})).data;
    expect(b.access_token).toBe(a.access_token);
    expect([7139, 7140]).toContain(b.expires_in); // plus at most one real second
    const agent = (await gettoken({ corpsecret: corp.agentSecret })).data.access_token;
    expect(agent).not.toBe(a.access_token);
    await t.advance(7140);
    expect((await probe(a.access_token)).data.errcode).toBe(42001);
    expect((await gettoken({})).data.access_token).not.toBe(a.access_token);
  });

  it('supports early invalidation: revoked tokens get 40014, expired ones 42001, and gettoken mints anew', async () => {
    const a = (await gettoken({})).data.access_token;
    const agent = (await gettoken({ corpsecret: corp.agentSecret })).data.access_token;
    expect(
      (await t.control.post(`/wecom/${corp.corpId}/tokens/invalidate`, { mode: 'invalid', app: 'contact' })).data
        .invalidated,
    ).toBe(1);
    expect((await probe(a)).data.errcode).toBe(40014);
    const b = (await gettoken({})).data.access_token;
    expect(b).not.toBe(a);
    expect((await t.wecom.get('/cgi-bin/get_jsapi_ticket', { params: { access_token: agent } })).data.errcode).toBe(0);
    await t.control.post(`/wecom/${corp.corpId}/tokens/invalidate`, { mode: 'expired' });
    expect((await probe(b)).data.errcode).toBe(42001);
    expect((await gettoken({})).data.access_token).not.toBe(b);
  });

  it('refuses external contact APIs to an app outside 客户联系 (48002) unless it is granted', async () => {
    const agent = (await gettoken({ corpsecret: corp.agentSecret })).data.access_token;
    expect((await probe(agent)).data.errcode).toBe(48002);
    await t.control.patch(`/apps/${corp.corpId}`, { agentExternalContact: true });
    expect((await probe(agent)).data.errcode).toBe(0);
  });

  it('refuses missing (41001) and unknown (40014) access tokens', async () => {
    expect((await t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list')).data.errcode).toBe(41001);
    expect((await probe('nope')).data.errcode).toBe(40014);
  });
});

describe('WeCom JS-SDK tickets', () => {
  let t: TestEmulator;
  let corp: CorpView;
  beforeEach(async () => {
    t = await startTestEmulator();
    corp = (await t.apps()).corps[0]!;
  });
  afterEach(() => t.close());

  it('refuses an agent_config ticket to the contact secret (48002) and a bad type (40058)', async () => {
    const contact = await t.wecomToken(0, 'contact');
    expect(
      (await t.wecom.get('/cgi-bin/ticket/get', { params: { access_token: contact, type: 'agent_config' } })).data
        .errcode,
    ).toBe(48002);
    const agent = await t.wecomToken(0, 'agent');
    expect(
      (await t.wecom.get('/cgi-bin/ticket/get', { params: { access_token: agent, type: 'other' } })).data.errcode,
    ).toBe(40058);
  });

  it('caps corp tickets at 400 an hour and app tickets at 100 an hour (45009, blocked for the hour)', async () => {
    const agent = await t.wecomToken(0, 'agent');
    const corpTicket = () => t.wecom.get('/cgi-bin/get_jsapi_ticket', { params: { access_token: agent } });
    const appTicket = () =>
      t.wecom.get('/cgi-bin/ticket/get', { params: { access_token: agent, type: 'agent_config' } });
    const first = (await corpTicket()).data;
    expect(first).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    for (let i = 1; i < 400; i++) await corpTicket();
    expect((await corpTicket()).data.errcode).toBe(45009);
    for (let i = 0; i < 100; i++) expect((await appTicket()).data.errcode).toBe(0);
    expect((await appTicket()).data.errcode).toBe(45009);
    await t.advance(3600);
    const again = (await corpTicket()).data;
    expect(again.errcode).toBe(0);
    expect(again.ticket).toBe(first.ticket);
  });

  it('verifies JS-SDK signatures; an agentConfig signed with the corp ticket fails with 42012', async () => {
    const { createHash } = await import('crypto');
    const agent = await t.wecomToken(0, 'agent');
    const corpTicket = (await t.wecom.get('/cgi-bin/get_jsapi_ticket', { params: { access_token: agent } })).data
      .ticket;
    const appTicket = (
      await t.wecom.get('/cgi-bin/ticket/get', { params: { access_token: agent, type: 'agent_config' } })
    ).data.ticket;
    const sign = (ticket: string) =>
      createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=n1&timestamp=1&url=https://a.com/p?x=1`).digest('hex');
    const verify = (kind: string, signature: string) =>
      t.control.post('/jssdk/verify', {
        appId: corp.corpId,
        kind,
        url: 'https://a.com/p?x=1#frag',
        noncestr: 'n1',
        timestamp: 1,
        signature,
      });
    expect((await verify('agentConfig', sign(corpTicket))).data).toEqual({ ok: false, errcode: 42012 });
    expect((await verify('agentConfig', sign(appTicket))).data).toEqual({ ok: true });
    expect((await verify('config', sign(corpTicket))).data).toEqual({ ok: true });
    expect((await verify('config', 'bad')).data).toEqual({ ok: false, errcode: 63002 });
  });
});
