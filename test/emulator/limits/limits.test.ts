import { startTestEmulator, type TestEmulator } from '../helper';

describe('rate limits', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator();
  });
  afterEach(() => t.close());

  it('answers 45011 past an OA minute limit and recovers next minute', async () => {
    const access_token = await t.oaToken();
    await t.control.post('/limits', { api: 'api.weixin.qq.com/cgi-bin/user/info', perMinute: 2 });
    const { data: page } = await t.oa.get('/cgi-bin/user/get', { params: { access_token } });
    const info = () => t.oa.get('/cgi-bin/user/info', { params: { access_token, openid: page.data.openid[0] } });
    expect((await info()).data.subscribe).toBe(1);
    expect((await info()).data.subscribe).toBe(1);
    expect((await info()).data.errcode).toBe(45011);
    const { now } = (await t.control.get('/clock')).data;
    await t.advance(60 - (now % 60));
    expect((await info()).data.subscribe).toBe(1);
  });

  it('answers 45009 past a WeCom minute limit and keeps the caller blocked for 60 s from the hit', async () => {
    const access_token = await t.wecomToken();
    await t.control.post('/limits', {
      api: 'qyapi.weixin.qq.com/cgi-bin/externalcontact/get_follow_user_list',
      perMinute: 1,
    });
    const call = () => t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', { params: { access_token } });
    const { now } = (await t.control.get('/clock')).data;
    await t.advance(60 - (now % 60) + 50);
    expect((await call()).data.errcode).toBe(0);
    expect((await call()).data.errcode).toBe(45009);
    await t.advance(15);
    expect((await call()).data.errcode).toBe(45009);
    await t.advance(45);
    expect((await call()).data.errcode).toBe(0);
  });

  it('has the WeCom corp-wide default of 10,000 per minute and 150,000 per hour', async () => {
    await t.control.post('/limits', { api: 'qyapi.weixin.qq.com/cgi-bin/externalcontact/list', perDay: 1 });
    const { data } = await t.control.get('/limits');
    expect(data.overrides).toEqual([{ api: 'qyapi.weixin.qq.com/cgi-bin/externalcontact/list', perDay: 1 }]);
    const { DEFAULT_LIMITS, WECOM_BASE, defaultLimit } = await import('../../../emulator/limits/limit-table');
    expect(WECOM_BASE).toEqual({ perMinute: 10_000, perHour: 150_000 });
    expect(defaultLimit('qyapi.weixin.qq.com/cgi-bin/externalcontact/get', 'wecom')).toBe(WECOM_BASE);
    expect(DEFAULT_LIMITS['api.weixin.qq.com/sns/userinfo']).toEqual({ perMinute: 50_000 });
  });

  it('caps concurrent calls per API (45033)', async () => {
    const access_token = await t.oaToken();
    await t.control.post('/limits', { api: 'api.weixin.qq.com/cgi-bin/tags/get', concurrency: 2 });
    // Long enough that all five calls arrive while the first two are still held, even on a loaded machine.
    await t.control.post('/chaos', { latencyMs: 3000 });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.oa.get('/cgi-bin/tags/get', { params: { access_token } })),
    );
    expect(results.filter((r) => r.data.errcode === 45033)).toHaveLength(3);
    expect(results.filter((r) => r.data.tags)).toHaveLength(2);
    await t.control.post('/chaos', {});
    expect((await t.oa.get('/cgi-bin/tags/get', { params: { access_token } })).data.tags).toBeDefined();
  });
});

describe('chaos', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator();
  });
  afterEach(() => t.close());

  async function run(access_token: string): Promise<(number | undefined)[]> {
    const out = [];
    for (let i = 0; i < 40; i++)
      out.push((await t.oa.get('/cgi-bin/tags/get', { params: { access_token } })).data.errcode as number | undefined);
    return out;
  }

  it('rejects a rate above 1 with a 400', async () => {
    const r = await t.control.post('/chaos', { rules: [{ api: '*', errcode: -1, rate: 2 }] });
    expect(r.status).toBe(400);
    expect(r.data.error.code).toBe('INVALID_BODY');
  });

  it('injects errcodes at the given rate, the same sequence for the same seed', async () => {
    const access_token = await t.oaToken();
    const config = {
      seed: 42,
      rules: [
        { api: 'api.weixin.qq.com/cgi-bin/tags/*', errcode: -1, rate: 0.3 },
        { api: '*', errcode: 'rate_limit', rate: 0.2 },
      ],
    };
    await t.control.post('/chaos', config);
    const first = await run(access_token);
    await t.control.post('/chaos', config);
    const second = await run(access_token);
    expect(second).toEqual(first);
    expect(first.filter((c) => c === -1).length).toBeGreaterThan(4);
    expect(first.filter((c) => c === 45011).length).toBeGreaterThan(1);
    expect(first.filter((c) => c === undefined).length).toBeGreaterThan(10);
    const chaos = (await t.control.get('/chaos')).data;
    expect(chaos.injected).toBe(second.filter((c) => c !== undefined).length);
    await t.control.post('/chaos', { ...config, seed: 7 });
    expect(await run(access_token)).not.toEqual(first);
  });

  it('maps rate_limit to 45009 on WeCom and never touches unmatched APIs', async () => {
    const access_token = await t.wecomToken();
    await t.control.post('/chaos', {
      rules: [
        { api: 'qyapi.weixin.qq.com/cgi-bin/externalcontact/get_follow_user_list', errcode: 'rate_limit', rate: 1 },
      ],
    });
    expect(
      (await t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', { params: { access_token } })).data.errcode,
    ).toBe(45009);
    expect((await t.wecom.get('/cgi-bin/get_jsapi_ticket', { params: { access_token } })).data.errcode).toBe(0);
  });
});

describe('counters and recorded requests', () => {
  let t: TestEmulator;
  afterEach(() => t.close());

  it('counts calls with errors per API and records requests with secrets masked', async () => {
    t = await startTestEmulator({ recorderSize: 3 });
    const access_token = await t.oaToken();
    await t.oa.get('/cgi-bin/user/info', { params: { access_token, openid: 'bad' } });
    await t.oa.post(`/cgi-bin/tags/create?access_token=${access_token}`, { tag: { name: 'x' } });
    await t.oa.get('/cgi-bin/user/info', { params: { access_token, openid: 'bad' } });
    const { counters } = (await t.control.get('/counters')).data;
    expect(counters['api.weixin.qq.com/cgi-bin/user/info']).toEqual({
      calls: 2,
      ok: 0,
      errors: { 40003: 2 },
      injected: 0,
    });
    expect(counters['api.weixin.qq.com/cgi-bin/token']).toMatchObject({ calls: 1, ok: 1 });
    const all = (await t.control.get('/requests')).data.requests;
    expect(all.map((r: { path: string }) => r.path)).toEqual([
      '/cgi-bin/user/info',
      '/cgi-bin/tags/create',
      '/cgi-bin/user/info',
    ]);
    expect(all[1]).toMatchObject({
      method: 'POST',
      host: 'api.weixin.qq.com',
      body: { tag: { name: 'x' } },
      status: 200,
    });
    expect(all[1].errcode).toBeUndefined();
    expect(all[0].errcode).toBe(40003);
    expect(all[0].durationMs).toEqual(expect.any(Number));
    const since = (await t.control.get('/requests', { params: { since: all[1].seq } })).data.requests;
    expect(since).toHaveLength(1);
    await t.oaToken();
    const tokenReq = (await t.control.get('/requests', { params: { path: '/cgi-bin/token' } })).data.requests[0];
    expect(tokenReq.query.secret).toBe('***');
    expect(tokenReq.query.appid).toMatch(/^wx/);
    await t.control.delete('/counters');
    await t.control.delete('/requests');
    expect((await t.control.get('/counters')).data.counters).toEqual({});
    expect((await t.control.get('/requests')).data.requests).toEqual([]);
  });
});
