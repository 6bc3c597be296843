import type { OfficialAccountClient } from '../../../connectors/official-account/client';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

const USER_GET = 'api.weixin.qq.com/cgi-bin/user/get';
const BATCHGET = 'api.weixin.qq.com/cgi-bin/user/info/batchget';

describe('OfficialAccountClient users', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let oa: OfficialAccountClient;

  beforeAll(async () => {
    env = await startEmulatorClients(db.url, { followers: 25_000 });
    oa = env.clients(db.ds).oa(env.oaAppId());
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetCounters());

  it('rejects user/info of an openid the OA does not know with NOT_FOUND', async () => {
    await expect(oa.users.getUserInfo('oNotAFollowerOfThisAccount00')).rejects.toMatchObject({
      errcode: 40003,
      category: 'SUBJECT_GONE',
      api: 'user/info',
    });
  });

  it('walks user/get to the end in pages of 10,000 (the last call returns count 0)', async () => {
    const pages: number[] = [];
    const seen = new Set<string>();
    let total = 0;
    for await (const page of oa.users.walkFollowers()) {
      pages.push(page.openids.length);
      page.openids.forEach((o) => seen.add(o));
      total = page.total;
    }
    expect(pages).toEqual([10_000, 10_000, 5_000]);
    expect(seen.size).toBe(25_000);
    expect(total).toBe(25_000);
    expect((await env.calls(USER_GET)).calls).toBe(4);
  });

  it('resumes a walk from a checkpoint cursor without repeating openids', async () => {
    const first = await oa.users.getFollowers();
    const rest: string[] = [];
    for await (const page of oa.users.walkFollowers(first.nextOpenid)) rest.push(...page.openids);
    expect(rest).toHaveLength(15_000);
    const firstPage = new Set(first.openids);
    expect(rest.some((o) => firstPage.has(o))).toBe(false);
  });

  it('user/info returns the follower fields, unionid when the OA is bound', async () => {
    const { openids } = await oa.users.getFollowers();
    const info = await oa.users.getUserInfo(openids[0]!);
    expect(info).toMatchObject({
      subscribe: 1,
      openid: openids[0],
      subscribe_time: expect.any(Number),
      tagid_list: expect.any(Array),
      subscribe_scene: expect.any(String),
    });
    expect(info).not.toHaveProperty('nickname');
    const bound = (await env.control.get('/apps')).data.officialAccounts[0].bound as boolean;
    expect(typeof info.unionid === 'string' && info.unionid.length > 0).toBe(bound);
  });

  it('refuses batchget outside 1..100 openids before calling WeChat', async () => {
    const { openids } = await oa.users.getFollowers();
    await expect(oa.users.batchGetUserInfo(openids.slice(0, 101))).rejects.toMatchObject({
      errcode: 40032,
      category: 'INVALID_REQUEST',
    });
    await expect(oa.users.batchGetUserInfo([])).rejects.toMatchObject({ errcode: 40032 });
    expect((await env.calls(BATCHGET)).calls).toBe(0);
    const hundred = await oa.users.batchGetUserInfo(openids.slice(0, 100));
    expect(hundred.map((u) => u.openid)).toEqual(openids.slice(0, 100));
  });

  it('batchGetUserInfoAll splits any list into calls of 100, in order', async () => {
    const { openids } = await oa.users.getFollowers();
    const infos = await oa.users.batchGetUserInfoAll(openids.slice(0, 250));
    expect(infos.map((u) => u.openid)).toEqual(openids.slice(0, 250));
    expect((await env.calls(BATCHGET)).calls).toBe(3);
  });

  it('stops on an empty next_openid when the last page already carries it', async () => {
    await env.control.post('/reset', { followers: 12_345, followerListEnding: 'short-page' });
    await db.ds.query('DELETE FROM access_tokens');
    await env.resetCounters();
    const fresh = env.clients(db.ds).oa(env.oaAppId());
    let n = 0;
    for await (const page of fresh.users.walkFollowers()) n += page.openids.length;
    expect(n).toBe(12_345);
    expect((await env.calls(USER_GET)).calls).toBe(2);
  });
});
