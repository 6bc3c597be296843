import { createHash } from 'crypto';
import { startEmulator, type RunningEmulator } from '../../emulator/server';

/** The emulator's JS-SDK simulator: the script, its signature check, and the current chat it reports. */
describe('emulator JS-SDK simulator (/_emulator/jssdk, /_emulator/wecom/:corpId/current-chat)', () => {
  let emu: RunningEmulator;
  let corpId: string;
  let agentId: number;
  let member: string;
  let customer: string;

  const post = (path: string, body: unknown, init: RequestInit = {}) =>
    fetch(`${emu.url}/_emulator${path}`, { method: 'POST', body: JSON.stringify(body), ...init }).then(async (r) => ({
      status: r.status,
      headers: r.headers,
      body: (await r.json()) as any,
    }));
  const get = (path: string) =>
    fetch(`${emu.url}/_emulator${path}`).then(async (r) => ({
      status: r.status,
      headers: r.headers,
      body: (await r.json()) as any,
    }));
  const ticket = async (path: string, secret: string): Promise<string> => {
    const base = `${emu.url}/qyapi.weixin.qq.com/cgi-bin`;
    const token = (
      (await (await fetch(`${base}/gettoken?corpid=${corpId}&corpsecret=${secret}`)).json()) as { access_token: string }
    ).access_token;
    return (
      (await (await fetch(`${base}/${path}${path.includes('?') ? '&' : '?'}access_token=${token}`)).json()) as {
        ticket: string;
      }
    ).ticket;
  };
  const sign = (t: string, noncestr: string, timestamp: number, url: string) =>
    createHash('sha1').update(`jsapi_ticket=${t}&noncestr=${noncestr}&timestamp=${timestamp}&url=${url}`).digest('hex');

  beforeAll(async () => {
    emu = await startEmulator({
      officialAccounts: 1,
      miniPrograms: 0,
      followers: 2,
      corps: 1,
      wecomStaff: 2,
      wecomContacts: 3,
      overlap: { multiFollow: 0 },
    });
    const corp = emu.state.world.wecom[0]!;
    corpId = corp.corp.corpId;
    agentId = corp.corp.agentApp.agentId!;
    const rel = corp.relationsBySlot[0]![0]!;
    member = rel.staff.userid;
    customer = corp.externalUserid(0);
  });
  afterAll(() => emu.close());

  it('refuses a current chat with an unknown corp, member or customer, or a bad entry', async () => {
    expect((await post('/wecom/wwnope/current-chat', { userid: member, externalUserId: customer })).status).toBe(404);
    expect((await post(`/wecom/${corpId}/current-chat`, { userid: 'nobody', externalUserId: customer })).status).toBe(
      404,
    );
    expect(
      (await post(`/wecom/${corpId}/current-chat`, { userid: member, externalUserId: 'wmnotacustomer' })).status,
    ).toBe(404);
    const bad = await post(`/wecom/${corpId}/current-chat`, {
      userid: member,
      externalUserId: customer,
      entry: 'somewhere',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_BODY');
    expect((await get(`/jssdk/context?corpId=${corpId}`)).body).toEqual({ entry: 'normal' });
  });

  it('reports the chat set by the control route to the script, with CORS for the page', async () => {
    const set = await post(`/wecom/${corpId}/current-chat`, { userid: member, externalUserId: customer });
    expect(set.body).toEqual({ userid: member, externalUserId: customer, entry: 'single_chat_tools' });
    const ctx = await get(`/jssdk/context?corpId=${corpId}`);
    expect(ctx.body).toEqual({ userid: member, externalUserId: customer, entry: 'single_chat_tools' });
    expect(ctx.headers.get('access-control-allow-origin')).toBe('*');
    const script = await fetch(`${emu.url}/_emulator/jssdk/wx.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    const text = await script.text();
    for (const api of ['config:', 'agentConfig', 'getContext', 'getCurExternalContact']) expect(text).toContain(api);
    expect((await fetch(`${emu.url}/_emulator/wecom/${corpId}/current-chat`, { method: 'DELETE' })).status).toBe(204);
    expect((await get(`/wecom/${corpId}/current-chat`)).body).toEqual({ entry: 'normal' });
  });

  it('checks config against the corp ticket and agentConfig against the app ticket like the client (42012, 63002, 40056)', async () => {
    const apps = (await get('/apps')).body;
    const corp = apps.corps[0];
    const corpTicket = await ticket('get_jsapi_ticket', corp.contactSecret);
    const agentTicket = await ticket('ticket/get?type=agent_config', corp.agentSecret);
    const url = 'https://gw.example/sidebar?corpId=x';
    const claim = { corpid: corpId, url: `${url}#frag`, noncestr: 'n0nce', timestamp: 1700000000 };
    const check = (b: Record<string, unknown>) => post('/jssdk/check', { ...claim, ...b }).then((r) => r.body);
    expect(await check({ kind: 'config', signature: sign(corpTicket, 'n0nce', 1700000000, url) })).toEqual({
      ok: true,
    });
    expect(await check({ kind: 'config', signature: sign(agentTicket, 'n0nce', 1700000000, url) })).toMatchObject({
      ok: false,
      errcode: 63002,
    });
    expect(
      await check({ kind: 'agentConfig', agentid: agentId, signature: sign(agentTicket, 'n0nce', 1700000000, url) }),
    ).toEqual({ ok: true });
    expect(
      await check({
        kind: 'agentConfig',
        agentid: String(agentId),
        signature: sign(corpTicket, 'n0nce', 1700000000, url),
      }),
    ).toMatchObject({ ok: false, errcode: 42012 });
    expect(
      await check({ kind: 'agentConfig', agentid: agentId, signature: sign(agentTicket, 'other', 1700000000, url) }),
    ).toMatchObject({ ok: false, errcode: 63002 });
    expect(
      await check({
        kind: 'agentConfig',
        agentid: agentId + 1,
        signature: sign(agentTicket, 'n0nce', 1700000000, url),
      }),
    ).toMatchObject({ ok: false, errcode: 40056 });
    expect((await post('/jssdk/check', { kind: 'config' })).status).toBe(400);
  });

  it('lists the simulator as jsSdkUrl in the generated gateway accounts', async () => {
    const apps = (await get('/apps')).body;
    expect(apps.accounts.find((a: { kind: string }) => a.kind === 'wecom')).toMatchObject({
      corpId,
      jsSdkUrl: `${emu.url}/_emulator/jssdk/wx.js`,
    });
  });
});
