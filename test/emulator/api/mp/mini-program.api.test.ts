import { startTestEmulator, type TestEmulator } from '../../helper';

describe('Mini Program jscode2session', () => {
  let t: TestEmulator;
  let appid: string;
  let secret: string;
  const login = (js_code: string, extra: Record<string, string> = {}) =>
    t.oa.get('/sns/jscode2session', { params: { appid, secret, js_code, grant_type: 'authorization_code', ...extra } });
  const mint = async (body: Record<string, unknown> = {}) => (await t.control.post(`/mp/${appid}/js-codes`, body)).data;

  beforeEach(async () => {
    t = await startTestEmulator();
    const a = (await t.apps()).miniPrograms[0]!;
    [appid, secret] = [a.appId, a.appSecret];
  });
  afterEach(() => t.close());

  it('rejects an unknown code (40029), a wrong secret (40125) and an OA appid (40013)', async () => {
    expect((await login('nope')).data.errcode).toBe(40029);
    expect((await login('x', { secret: 'bad' })).data.errcode).toBe(40125);
    const oa = (await t.apps()).officialAccounts[0]!;
    expect((await login('x', { appid: oa.appId, secret: oa.appSecret })).data.errcode).toBe(40013);
  });

  it('returns openid, session_key and the unionid of a bound MP; a code works once and for 5 minutes', async () => {
    const c = await mint();
    const { data } = await login(c.code);
    expect(Object.keys(data)).toEqual(['session_key', 'openid', 'unionid']);
    expect(data.openid).toBe(c.openid);
    expect(Buffer.from(data.session_key, 'base64')).toHaveLength(16);
    const owner = (await t.control.get('/truth/owner', { params: { type: 'unionid', value: data.unionid } })).data;
    expect(owner.personId).toBe(c.personId);
    expect((await login(c.code)).data.errcode).toBe(40029);
    const late = await mint({ openid: c.openid });
    await t.advance(300);
    expect((await login(late.code)).data.errcode).toBe(40029);
  });

  it('omits unionid when the MP is not bound', async () => {
    await t.control.patch(`/apps/${appid}`, { bound: false });
    const { data } = await login((await mint()).code);
    expect(data.unionid).toBeUndefined();
  });

  it('answers 40226 for a blocked user and 45011 past 100 logins a minute for one user', async () => {
    expect((await login((await mint({ blocked: true })).code)).data.errcode).toBe(40226);
    await t.control.post('/limits', { api: 'api.weixin.qq.com/sns/jscode2session', perMinute: 2 });
    const first = await mint();
    for (let i = 0; i < 2; i++)
      expect((await login((await mint({ openid: first.openid })).code)).data.openid).toBe(first.openid);
    expect((await login((await mint({ openid: first.openid })).code)).data.errcode).toBe(45011);
    expect((await login((await mint()).code)).data.openid).toBeDefined();
    await t.advance(60);
    expect((await login((await mint({ openid: first.openid })).code)).data.openid).toBe(first.openid);
  });
});

describe('Mini Program getuserphonenumber', () => {
  let t: TestEmulator;
  let appid: string;
  let access_token: string;
  beforeAll(async () => {
    t = await startTestEmulator();
    appid = (await t.apps()).miniPrograms[0]!.appId;
    access_token = await t.mpToken();
  });
  afterAll(() => t.close());

  it('rejects a code in the query instead of the JSON body (47001) and an OA token (48001)', async () => {
    const { code } = (await t.control.post(`/mp/${appid}/phone-codes`, {})).data;
    expect(
      (await t.oa.post(`/wxa/business/getuserphonenumber?access_token=${access_token}&code=${code}`, {})).data.errcode,
    ).toBe(47001);
    expect(
      (
        await t.oa.post(`/wxa/business/getuserphonenumber?access_token=${access_token}`, `code=${code}`, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).data.errcode,
    ).toBe(47001);
    const oaToken = await t.oaToken();
    expect((await t.oa.post(`/wxa/business/getuserphonenumber?access_token=${oaToken}`, { code })).data.errcode).toBe(
      48001,
    );
  });

  it('returns phone_info with a string countryCode and a watermark; the code is single use', async () => {
    const minted = (await t.control.post(`/mp/${appid}/phone-codes`, { phone: '13800138000' })).data;
    const { data } = await t.oa.post(`/wxa/business/getuserphonenumber?access_token=${access_token}`, {
      code: minted.code,
      openid: minted.openid,
    });
    expect(data).toMatchObject({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: '13800138000',
        purePhoneNumber: '13800138000',
        countryCode: '86',
        watermark: { appid },
      },
    });
    expect(typeof data.phone_info.watermark.timestamp).toBe('number');
    expect(
      (await t.oa.post(`/wxa/business/getuserphonenumber?access_token=${access_token}`, { code: minted.code })).data
        .errcode,
    ).toBe(40029);
    const owner = (await t.control.get('/truth/owner', { params: { type: 'phone', value: '13800138000' } })).data;
    expect(owner.personId).toBe(minted.personId);
  });

  it('checks the code against the optional openid (40029 on mismatch) and expires it after 5 minutes', async () => {
    const a = (await t.control.post(`/mp/${appid}/phone-codes`, {})).data;
    const other = (await t.control.post(`/mp/${appid}/users`, {})).data;
    expect(
      (
        await t.oa.post(`/wxa/business/getuserphonenumber?access_token=${access_token}`, {
          code: a.code,
          openid: other.openid,
        })
      ).data.errcode,
    ).toBe(40029);
    const b = (await t.control.post(`/mp/${appid}/phone-codes`, {})).data;
    await t.advance(301);
    const fresh = await t.mpToken();
    expect(
      (await t.oa.post(`/wxa/business/getuserphonenumber?access_token=${fresh}`, { code: b.code })).data.errcode,
    ).toBe(40029);
  });
});
