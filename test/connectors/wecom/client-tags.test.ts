import type { WecomClient } from '../../../connectors/wecom/client';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

describe('WecomClient corp tags', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let wecom: WecomClient;
  let corpId: string;

  beforeAll(async () => {
    env = await startEmulatorClients(db.url);
    corpId = env.corpId();
    wecom = env.clients(db.ds).wecom(corpId);
  });
  afterAll(() => env.close());

  it('rejects editing an unknown tag id with NOT_FOUND', async () => {
    await expect(wecom.corpTags.editCorpTag('etUnknownTagId000000', { name: 'x' })).rejects.toMatchObject({
      errcode: 40068,
      category: 'TAG_GONE',
    });
  });

  it('adds a group, adds into it by name, lists, filters by group, edits and deletes', async () => {
    const created = await wecom.corpTags.addCorpTag({
      groupName: '会员等级',
      order: 5,
      tags: [{ name: '金卡', order: 2 }, { name: '银卡' }],
    });
    expect(created).toMatchObject({ group_id: expect.any(String), group_name: '会员等级' });
    expect(created.tag?.map((t) => t.name)).toEqual(['金卡', '银卡']);

    const merged = await wecom.corpTags.addCorpTag({ groupName: '会员等级', tags: [{ name: '铜卡' }] });
    expect(merged.group_id).toBe(created.group_id);

    const all = await wecom.corpTags.getCorpTagList();
    expect(
      all
        .find((g) => g.group_id === created.group_id)
        ?.tag?.map((t) => t.name)
        .sort(),
    ).toEqual(['金卡', '铜卡', '银卡'].sort());
    const only = await wecom.corpTags.getCorpTagList({ groupIds: [created.group_id] });
    expect(only).toHaveLength(1);

    const gold = created.tag!.find((t) => t.name === '金卡')!;
    await wecom.corpTags.editCorpTag(gold.id, { name: '黑金卡' });
    const [group] = await wecom.corpTags.getCorpTagList({ tagIds: [gold.id] });
    expect(group?.tag?.[0]).toMatchObject({ id: gold.id, name: '黑金卡' });

    const ids = (await wecom.corpTags.getCorpTagList({ groupIds: [created.group_id] }))[0]!.tag!.map((t) => t.id);
    await wecom.corpTags.delCorpTag({ tagIds: ids });
    const after = await wecom.corpTags.getCorpTagList();
    expect(after.some((g) => g.group_id === created.group_id)).toBe(false);
  });

  it('mark_tag adds and removes corp tags on one relation in one call', async () => {
    const c = (await env.control.post(`/wecom/${corpId}/contacts`, { followerCount: 1 })).data as {
      externalUserId: string;
      followers: string[];
    };
    const userid = c.followers[0]!;
    const group = await wecom.corpTags.addCorpTag({ groupName: '兴趣', tags: [{ name: '咖啡' }, { name: '茶' }] });
    const [coffee, tea] = group.tag!;
    await wecom.corpTags.markTag({ userid, externalUserid: c.externalUserId, addTag: [coffee!.id, tea!.id] });
    await wecom.corpTags.markTag({ userid, externalUserid: c.externalUserId, removeTag: [tea!.id] });
    const detail = await wecom.contacts.getExternalContact(c.externalUserId);
    const tags = detail.follow_user
      .find((f) => f.userid === userid)
      ?.tags?.filter((t) => t.type === 1)
      .map((t) => t.tag_id);
    expect(tags).toEqual([coffee!.id]);
    const page = await wecom.contacts.batchGetByUser([userid]);
    expect(page.items.find((i) => i.external_contact.external_userid === c.externalUserId)?.follow_info.tag_id).toEqual(
      [coffee!.id],
    );
  });
});
