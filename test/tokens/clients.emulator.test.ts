import axios from 'axios';
import type { DataSource } from 'typeorm';
import { gatewayAccounts } from '../../emulator/control/apps.control';
import { silentLogger } from '../../src/logger';
import { openDatabase } from '../../src/storage/data-source';
import { createClients } from '../../src/tokens/clients';
import { testConfig } from '../helpers/test-app';
import { testDialect, useTestDatabase } from '../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from './emulator-clients';

const STABLE = 'api.weixin.qq.com/cgi-bin/stable_token';
const USER_GET = 'api.weixin.qq.com/cgi-bin/user/get';
const GETTOKEN = 'qyapi.weixin.qq.com/cgi-bin/gettoken';
const FOLLOW_USERS = 'qyapi.weixin.qq.com/cgi-bin/externalcontact/get_follow_user_list';

/**
 * Shared tokens end to end: the emulator as WeChat, the real access_tokens table, and two client sets standing
 * for two gateway instances (on MySQL each with its own DataSource, as separate processes would have).
 */
describe('shared tokens against the emulator', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let second: DataSource;

  beforeAll(async () => {
    env = await startEmulatorClients(db.url);
    second = testDialect === 'mysql' ? await openDatabase({ url: db.url, poolSize: 3 }) : db.ds;
  });
  afterAll(async () => {
    if (second !== db.ds) await second.destroy();
    await env.close();
  });
  beforeEach(async () => {
    await db.ds.query('DELETE FROM access_tokens');
    await env.control.post('/chaos', {});
    await env.control.post('/limits', { reset: true });
    await env.resetCounters();
  });

  const storedToken = async (kind: string, key: string) => {
    const rows = (await db.ds.query('SELECT value FROM access_tokens WHERE kind = ? AND token_key = ?', [
      kind,
      key,
    ])) as Array<{ value: string }>;
    return rows.map((r) => r.value);
  };

  it('rejects a wrong AppSecret as AUTH_FAILED without storing or retrying', async () => {
    const accounts = gatewayAccounts(env.emu.state, env.emu.url).map((a) =>
      a.kind === 'official-account' ? { ...a, appSecret: 'wrong-secret' } : a,
    );
    const config = testConfig(db.url, { accounts });
    const clients = createClients({ ds: db.ds, config, logger: silentLogger() }, { http: { baseDelayMs: 1 } });
    await expect(clients.oa(env.oaAppId()).users.getFollowers()).rejects.toMatchObject({
      api: 'stable_token',
      errcode: 40125,
      category: 'AUTH_FAILED',
    });
    expect(await storedToken('oa_access_token', 'stable')).toEqual([]);
    expect((await env.calls(STABLE)).calls).toBe(1);
    expect((await env.calls(USER_GET)).calls).toBe(0);
  });

  it('rejects an unknown account with ACCOUNT_NOT_FOUND', () => {
    expect(() => env.clients(db.ds).oa('wx_not_configured')).toThrow(
      expect.objectContaining({ code: 'ACCOUNT_NOT_FOUND' }),
    );
  });

  it('two instances sharing one database fetch the token once', async () => {
    const a = env.clients(db.ds);
    const b = env.clients(second);
    await a.oa(env.oaAppId()).users.getFollowers();
    await b.oa(env.oaAppId()).users.getFollowers();
    expect((await env.calls(STABLE)).calls).toBe(1);
    expect(await storedToken('oa_access_token', 'stable')).toHaveLength(1);
    expect((await env.calls(USER_GET)).ok).toBe(2);
  });

  it('concurrent first calls on two instances trigger one refresh', async () => {
    const a = env.clients(db.ds).oa(env.oaAppId());
    const b = env.clients(second).oa(env.oaAppId());
    await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).users.getFollowers()));
    expect((await env.calls(STABLE)).calls).toBe(1);
    expect((await env.calls(USER_GET)).ok).toBe(16);
  });

  it('refreshes before expiry: 200 s before the end (emulator clock) a new token is fetched and no call fails', async () => {
    const oa = env.clients(db.ds).oa(env.oaAppId());
    await oa.users.getFollowers();
    const [first] = await storedToken('oa_access_token', 'stable');
    await env.control.post('/clock/advance', { seconds: 7200 - 200 });
    await oa.users.getFollowers();
    const [second] = await storedToken('oa_access_token', 'stable');
    expect(second).not.toBe(first);
    expect((await env.calls(STABLE)).calls).toBe(2);
    expect(await env.calls(USER_GET)).toMatchObject({ calls: 2, ok: 2, errors: {} });
  });

  it('40001 after the platform invalidated the token: one forced refresh and one retry', async () => {
    const appId = env.oaAppId();
    const oa = env.clients(db.ds).oa(appId);
    await oa.users.getFollowers();
    // Someone else force-refreshes the stable token: the stored one dies at once (wechat-api.md §1.2).
    const secret = (
      env.config.accounts.find((a) => a.kind === 'official-account' && a.appId === appId) as { appSecret: string }
    ).appSecret;
    await axios.post(`${env.emu.url}/api.weixin.qq.com/cgi-bin/stable_token`, {
      grant_type: 'client_credential',
      appid: appId,
      secret,
      force_refresh: true,
    });
    await env.resetCounters();
    await expect(oa.users.getFollowers()).resolves.toMatchObject({ total: expect.any(Number) });
    expect(await env.calls(USER_GET)).toMatchObject({ calls: 2, ok: 1, errors: { 40001: 1 } });
    const stable = await env.calls(STABLE);
    expect(stable.calls).toBe(1);
  });

  it('WeCom 40014 after invalidation: one refresh, one retry; a second instance holding the stale token does not refresh again', async () => {
    const corpId = env.corpId();
    const long = { tokens: { cacheTtlMs: 3_600_000 } };
    const a = env.clients(db.ds, long).wecom(corpId);
    const b = env.clients(second, long).wecom(corpId);
    await a.contacts.getFollowUserList();
    await b.contacts.getFollowUserList();
    expect((await env.calls(GETTOKEN)).calls).toBe(1);
    await env.control.post(`/wecom/${corpId}/tokens/invalidate`, { mode: 'invalid', app: 'contact' });
    await env.resetCounters();
    await a.contacts.getFollowUserList();
    await b.contacts.getFollowUserList();
    expect((await env.calls(GETTOKEN)).calls).toBe(1);
    expect(await env.calls(FOLLOW_USERS)).toMatchObject({ calls: 4, ok: 2, errors: { 40014: 2 } });
  });

  it('WeCom 42001 (expired early) is recovered the same way', async () => {
    const corpId = env.corpId();
    const wecom = env.clients(db.ds).wecom(corpId);
    await wecom.contacts.getFollowUserList();
    await env.control.post(`/wecom/${corpId}/tokens/invalidate`, { mode: 'expired', app: 'contact' });
    await env.resetCounters();
    await expect(wecom.contacts.getFollowUserList()).resolves.toEqual(expect.any(Array));
    expect(await env.calls(FOLLOW_USERS)).toMatchObject({ calls: 2, errors: { 42001: 1 } });
    expect((await env.calls(GETTOKEN)).calls).toBe(1);
  });

  it('retries injected -1 and 45011 chaos until the walk completes', async () => {
    await env.control.post('/chaos', {
      seed: 7,
      rules: [
        { api: USER_GET, errcode: -1, rate: 0.3 },
        { api: 'api.weixin.qq.com/cgi-bin/user/info', errcode: 'rate_limit', rate: 0.3 },
      ],
    });
    const oa = env.clients(db.ds, { http: { maxAttempts: 8 } }).oa(env.oaAppId());
    const openids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      for await (const page of oa.users.walkFollowers()) openids.push(...page.openids);
    }
    const infos = await Promise.all(openids.slice(0, 20).map((o) => oa.users.getUserInfo(o)));
    const userGet = await env.calls(USER_GET);
    const userInfo = await env.calls('api.weixin.qq.com/cgi-bin/user/info');
    expect(userGet.injected).toBeGreaterThan(0);
    expect(userInfo.errors[45011]).toBeGreaterThan(0);
    expect(new Set(openids).size).toBe(openids.length / 5);
    expect(infos.every((u) => u.subscribe === 1)).toBe(true);
  });

  it('does not retry 45009 (daily quota)', async () => {
    // Earlier tests already used today's quota of this app; a limit of 1 leaves nothing.
    await env.control.post('/limits', { api: USER_GET, perDay: 1 });
    const oa = env.clients(db.ds).oa(env.oaAppId());
    await expect(oa.users.getFollowers()).rejects.toMatchObject({
      errcode: 45009,
      category: 'RATE_LIMITED',
      retryable: false,
      retryAfterSeconds: 86400,
    });
    expect(await env.calls(USER_GET)).toMatchObject({ calls: 1, ok: 0, errors: { 45009: 1 } });
  });

  it('tokenMode classic: /cgi-bin/token, and a token superseded by another caller is replaced once its grace ends', async () => {
    const accounts = gatewayAccounts(env.emu.state, env.emu.url).map((a) =>
      a.kind === 'official-account' ? { ...a, tokenMode: 'classic' } : a,
    );
    const config = testConfig(db.url, { accounts });
    const clients = createClients(
      { ds: db.ds, config, logger: silentLogger() },
      { now: () => env.emu.state.clock.nowMs(), http: { baseDelayMs: 1 } },
    );
    const appId = env.oaAppId();
    const oa = clients.oa(appId);
    await oa.users.getFollowers();
    expect(await storedToken('oa_access_token', 'classic')).toHaveLength(1);
    const secret = (
      config.accounts.find((a) => a.kind === 'official-account' && a.appId === appId) as { appSecret: string }
    ).appSecret;
    await axios.get(`${env.emu.url}/api.weixin.qq.com/cgi-bin/token`, {
      params: { grant_type: 'client_credential', appid: appId, secret },
    });
    await env.control.post('/clock/advance', { seconds: 301 });
    await env.resetCounters();
    await oa.users.getFollowers();
    expect(await env.calls(USER_GET)).toMatchObject({ calls: 2, ok: 1, errors: { 40001: 1 } });
    expect((await env.calls('api.weixin.qq.com/cgi-bin/token')).calls).toBe(1);
    expect((await env.calls(STABLE)).calls).toBe(0);
  });

  it('keeps calls of one account under the platform concurrency limit (no 45033)', async () => {
    await env.control.post('/chaos', { latencyMs: 20 });
    await env.control.post('/limits', { api: USER_GET, concurrency: 2 });
    const oa = env.clients(db.ds, { http: { concurrency: 2 } }).oa(env.oaAppId());
    await oa.users.getFollowers();
    await env.resetCounters();
    await Promise.all(Array.from({ length: 8 }, () => oa.users.getFollowers()));
    expect(await env.calls(USER_GET)).toMatchObject({ calls: 8, ok: 8, errors: {} });
  });

  it('shares the MP token and the OA and WeCom tickets through access_tokens', async () => {
    const clients = env.clients(db.ds);
    await clients.mp(env.mpAppId()).accessToken.get();
    const oaTicket = await clients.oa(env.oaAppId()).jsapiTicket();
    const h5Ticket = await clients.h5(env.oaAppId()).jsapiTicket();
    const wecom = clients.wecom(env.corpId());
    const corpTicket = await wecom.jsapiTicket();
    const agentTicket = await wecom.agentConfigTicket();
    expect(h5Ticket).toBe(oaTicket);
    expect(corpTicket).not.toBe(agentTicket);
    const kinds = (await db.ds.query(
      'SELECT kind, token_key AS k FROM access_tokens ORDER BY kind, token_key',
    )) as Array<{ kind: string; k: string }>;
    expect(kinds.map((r) => `${r.kind}/${r.k}`)).toEqual([
      'mp_access_token/stable',
      'oa_access_token/stable',
      'oa_jsapi_ticket/jsapi',
      'wecom_access_token/agent',
      'wecom_agent_ticket/' +
        String((env.config.accounts.find((a) => a.kind === 'wecom') as { agentId: number }).agentId),
      'wecom_jsapi_ticket/corp',
    ]);
    const again = env.clients(second);
    expect(await again.oa(env.oaAppId()).jsapiTicket()).toBe(oaTicket);
    expect((await env.calls('api.weixin.qq.com/cgi-bin/ticket/getticket')).calls).toBe(1);
  });
});
