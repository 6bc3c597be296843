import type { OfficialAccountClient } from '../../../connectors/official-account/client';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

describe('OfficialAccountClient tags', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let oa: OfficialAccountClient;
  let openids: string[];

  beforeAll(async () => {
    env = await startEmulatorClients(db.url, { followers: 120 });
    oa = env.clients(db.ds).oa(env.oaAppId());
    openids = (await oa.users.getFollowers()).openids;
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetCounters());

  it('rejects changes to the reserved tag 2 with PERMISSION_DENIED', async () => {
    await expect(oa.tags.updateTag(2, 'renamed')).rejects.toMatchObject({
      errcode: 45058,
      category: 'PERMISSION_DENIED',
      api: 'tags/update',
    });
  });

  it('rejects a duplicate tag name as CONFLICT', async () => {
    await oa.tags.createTag('重复');
    await expect(oa.tags.createTag('重复')).rejects.toMatchObject({ errcode: 45157, category: 'CONFLICT' });
  });

  it('creates, lists, renames, tags members, reads them back and deletes a tag', async () => {
    const tag = await oa.tags.createTag('广东');
    expect(tag).toEqual({ id: expect.any(Number), name: '广东' });
    expect((await oa.tags.getTags()).map((t) => t.name)).toContain('广东');
    await oa.tags.updateTag(tag.id, '广东人');
    expect((await oa.tags.getTags()).find((t) => t.id === tag.id)).toMatchObject({ name: '广东人' });

    await oa.tags.batchTagging(openids.slice(0, 50), tag.id);
    await oa.tags.batchTagging(openids.slice(50, 60), tag.id);
    expect(await oa.tags.getTagIdsOfUser(openids[0]!)).toContain(tag.id);
    const fans: string[] = [];
    for await (const page of oa.tags.walkTagFans(tag.id)) fans.push(...page.openids);
    expect(new Set(fans)).toEqual(new Set(openids.slice(0, 60)));

    await oa.tags.batchUntagging(openids.slice(0, 10), tag.id);
    expect(await oa.tags.getTagIdsOfUser(openids[0]!)).not.toContain(tag.id);
    await oa.tags.deleteTag(tag.id);
    expect((await oa.tags.getTags()).some((t) => t.id === tag.id)).toBe(false);
  });

  it('refuses member batches outside 1..50 openids before calling WeChat', async () => {
    const tag = await oa.tags.createTag('limit');
    await expect(oa.tags.batchTagging(openids.slice(0, 51), tag.id)).rejects.toMatchObject({
      errcode: 40032,
      category: 'INVALID_REQUEST',
    });
    await expect(oa.tags.batchUntagging([], tag.id)).rejects.toMatchObject({ errcode: 40032 });
    expect((await env.calls('api.weixin.qq.com/cgi-bin/tags/members/batchtagging')).calls).toBe(0);
  });

  it('maps an unknown tag id to NOT_FOUND', async () => {
    await expect(oa.tags.batchTagging(openids.slice(0, 1), 999_999)).rejects.toMatchObject({
      errcode: 45159,
      category: 'TAG_GONE',
    });
  });
});
