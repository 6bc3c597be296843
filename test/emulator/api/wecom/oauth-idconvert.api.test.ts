import { startTestEmulator, type TestEmulator } from '../../helper';

describe('WeCom OAuth getuserinfo', () => {
  let t: TestEmulator;
  let corpId: string;
  let token: string;
  const getuserinfo = (code: string) =>
    t.wecom.get('/cgi-bin/auth/getuserinfo', { params: { access_token: token, code } });

  beforeAll(async () => {
    t = await startTestEmulator();
    corpId = (await t.apps()).corps[0]!.corpId;
    token = await t.wecomToken(0, 'agent');
  });
  afterAll(() => t.close());

  it('rejects unknown, reused, expired and other-corp codes with 40029', async () => {
    expect((await getuserinfo('nope')).data.errcode).toBe(40029);
    const userid = (
      await t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', {
        params: { access_token: await t.wecomToken() },
      })
    ).data.follow_user[0];
    const { code } = (await t.control.post(`/wecom/${corpId}/oauth-codes`, { userid })).data;
    expect((await getuserinfo(code)).data).toEqual({ errcode: 0, errmsg: 'ok', userid });
    expect((await getuserinfo(code)).data.errcode).toBe(40029);
    const late = (await t.control.post(`/wecom/${corpId}/oauth-codes`, { userid })).data.code;
    await t.advance(300);
    token = await t.wecomToken(0, 'agent');
    expect((await getuserinfo(late)).data.errcode).toBe(40029);
  });

  it('goes through the authorize page: a member gets userid (+user_ticket for privateinfo), a customer openid + external_userid', async () => {
    const r = await t.http.get('/open.weixin.qq.com/connect/oauth2/authorize', {
      params: {
        appid: corpId,
        redirect_uri: 'https://gw.example.com/sidebar/cb',
        response_type: 'code',
        scope: 'snsapi_privateinfo',
        state: 'S1',
        agentid: 1000002,
      },
      maxRedirects: 0,
    });
    expect(r.status).toBe(302);
    const loc = new URL(r.headers.location);
    expect(loc.searchParams.get('state')).toBe('S1');
    const member = (await getuserinfo(loc.searchParams.get('code')!)).data;
    expect(member.userid).toEqual(expect.any(String));
    expect(member.user_ticket).toEqual(expect.any(String));
    const rel = (await t.control.get(`/state/wecom/${corpId}/relations`, { params: { limit: 1 } })).data.relations[0];
    const c = (await t.control.post(`/wecom/${corpId}/oauth-codes`, { personId: rel.personId })).data.code;
    const visitor = (await getuserinfo(c)).data;
    expect(visitor.external_userid).toBe(rel.externalUserId);
    expect(visitor.openid).toMatch(/^o/);
    expect(visitor.userid).toBeUndefined();
  });

  it('signs every visit in as the sticky visitor once the queue is empty; a queued visitor still comes first', async () => {
    const staff = (
      await t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', {
        params: { access_token: await t.wecomToken() },
      })
    ).data.follow_user as string[];
    const [sticky, queued] = [staff[staff.length - 1]!, staff[0]!];
    const visit = async () => {
      const r = await t.http.get('/open.weixin.qq.com/connect/oauth2/authorize', {
        params: {
          appid: corpId,
          redirect_uri: 'https://gw.example.com/sidebar/cb',
          response_type: 'code',
          scope: 'snsapi_base',
          state: 'S',
          agentid: 1000002,
        },
        maxRedirects: 0,
      });
      return (await getuserinfo(new URL(r.headers.location).searchParams.get('code')!)).data.userid as string;
    };
    expect((await t.control.post('/oauth/visitors', { appId: corpId, userid: sticky, sticky: true })).data).toEqual({
      queued: 0,
      sticky: true,
    });
    expect((await t.control.post('/oauth/visitors', { appId: corpId, userid: queued })).data).toEqual({ queued: 1 });
    expect([await visit(), await visit(), await visit()]).toEqual([queued, sticky, sticky]);
    expect(
      (await t.control.post('/oauth/visitors', { appId: 'wwnotacorp', userid: sticky, sticky: true })).status,
    ).toBe(404);
  });
});

describe('WeCom unionid → external_userid', () => {
  let t: TestEmulator;
  let corpId: string;
  let mpId: string;
  let token: string;
  const convert = (path: string, body: unknown) => t.wecom.post(`${path}?access_token=${token}`, body);

  beforeAll(async () => {
    t = await startTestEmulator({ overlap: { miniProgram: 1 } });
    const apps = await t.apps();
    [corpId, mpId] = [apps.corps[0]!.corpId, apps.miniPrograms[0]!.appId];
    token = await t.wecomToken();
  });
  afterAll(() => t.close());

  async function mpIdentity(personId: number): Promise<{ unionid: string; openid: string }> {
    const ids = (await t.control.get(`/truth/persons/${personId}`)).data.identities as {
      type: string;
      value: string;
    }[];
    return {
      unionid: ids.find((i) => i.type === 'unionid')!.value,
      openid: ids.find((i) => i.type === 'mp_openid')!.value,
    };
  }

  it('rejects a foreign unionid (40058) and an openid of someone else (40003)', async () => {
    const rel = (await t.control.get(`/state/wecom/${corpId}/relations`, { params: { limit: 2 } })).data.relations;
    const a = await mpIdentity(rel[0].personId);
    expect(
      (await convert('/cgi-bin/idconvert/unionid_to_external_userid', { unionid: 'onope', openid: a.openid })).data
        .errcode,
    ).toBe(40058);
    const other = (await t.control.post(`/mp/${mpId}/users`, {})).data.openid;
    expect(
      (await convert('/cgi-bin/idconvert/unionid_to_external_userid', { unionid: a.unionid, openid: other })).data
        .errcode,
    ).toBe(40003);
  });

  it('returns the external_userid of a customer, a stable pending_id otherwise, resolvable once they are added', async () => {
    const rel = (await t.control.get(`/state/wecom/${corpId}/relations`, { params: { limit: 1 } })).data.relations[0];
    const a = await mpIdentity(rel.personId);
    expect((await convert('/cgi-bin/idconvert/unionid_to_external_userid', { ...a, subject_type: 0 })).data).toEqual({
      errcode: 0,
      errmsg: 'ok',
      external_userid: rel.externalUserId,
    });
    expect((await convert('/cgi-bin/externalcontact/unionid_to_external_userid', a)).data.external_userid).toBe(
      rel.externalUserId,
    );
    const { personId, openid } = (await t.control.post(`/mp/${mpId}/users`, {})).data;
    const b = { ...(await mpIdentity(personId)), openid };
    const pending = (await convert('/cgi-bin/idconvert/unionid_to_external_userid', b)).data.pending_id;
    expect(pending).toMatch(/^pd/);
    expect((await convert('/cgi-bin/idconvert/unionid_to_external_userid', b)).data.pending_id).toBe(pending);
    expect((await convert('/cgi-bin/externalcontact/unionid_to_external_userid', b)).data.errcode).toBe(84061);
    const added = (await t.control.post(`/wecom/${corpId}/contacts`, { personId, followerCount: 1 })).data;
    expect((await convert('/cgi-bin/idconvert/unionid_to_external_userid', b)).data.external_userid).toBe(
      added.externalUserId,
    );
    const map = (
      await convert('/cgi-bin/idconvert/batch/external_userid_to_pending_id', {
        external_userid: [added.externalUserId, 'wmnope'],
      })
    ).data;
    expect(map.result).toEqual([{ external_userid: added.externalUserId, pending_id: pending }]);
  });

  it('answers 48002 to an app outside 客户联系', async () => {
    const agent = await t.wecomToken(0, 'agent');
    expect(
      (
        await t.wecom.post(`/cgi-bin/idconvert/unionid_to_external_userid?access_token=${agent}`, {
          unionid: 'x',
          openid: 'y',
        })
      ).data.errcode,
    ).toBe(48002);
  });
});
