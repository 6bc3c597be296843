import { startTestEmulator, type TestEmulator } from '../../helper';

describe('WeCom corp tag library', () => {
  let t: TestEmulator;
  let corpId: string;
  let token: string;
  const call = (path: string, body: unknown) =>
    t.wecom.post(`/cgi-bin/externalcontact/${path}?access_token=${token}`, body);

  beforeEach(async () => {
    t = await startTestEmulator({ corpTagGroups: 0, corpTagLimit: 5 });
    corpId = (await t.apps()).corps[0]!.corpId;
    token = await t.wecomToken();
  });
  afterEach(() => t.close());

  it('rejects empty tag lists (40058), over-long or empty names (40072), unknown group ids (40068) and GET (43002)', async () => {
    expect((await call('add_corp_tag', { group_name: 'g', tag: [] })).data.errcode).toBe(40058);
    expect((await call('add_corp_tag', { group_name: 'g', tag: [{ name: 'x'.repeat(31) }] })).data.errcode).toBe(40072);
    expect((await call('add_corp_tag', { group_name: '', tag: [{ name: 'a' }] })).data.errcode).toBe(40072);
    expect((await call('add_corp_tag', { group_id: 'etnope', tag: [{ name: 'a' }] })).data.errcode).toBe(40068);
    expect(
      (await t.wecom.get('/cgi-bin/externalcontact/add_corp_tag', { params: { access_token: token } })).data.errcode,
    ).toBe(43002);
  });

  it('creates a group, adds to an existing group by name, collapses duplicate names and refuses existing ones (40071)', async () => {
    const a = (
      await call('add_corp_tag', {
        group_name: '客户等级',
        order: 2,
        tag: [{ name: '一般', order: 1 }, { name: '重要', order: 2 }, { name: '重要' }],
      })
    ).data;
    expect(a.errcode).toBe(0);
    expect(a.tag_group).toMatchObject({ group_name: '客户等级', order: 2, group_id: expect.stringMatching(/^et/) });
    expect(a.tag_group.tag.map((x: { name: string }) => x.name)).toEqual(['重要', '一般']);
    const b = (await call('add_corp_tag', { group_name: '客户等级', tag: [{ name: '核心' }] })).data;
    expect(b.tag_group.group_id).toBe(a.tag_group.group_id);
    expect(b.tag_group.tag.map((x: { name: string }) => x.name)).toEqual(['核心']);
    expect((await call('add_corp_tag', { group_id: a.tag_group.group_id, tag: [{ name: '一般' }] })).data.errcode).toBe(
      40071,
    );
    const list = (await call('get_corp_tag_list', {})).data.tag_group;
    expect(list).toHaveLength(1);
    expect(list[0].tag.map((x: { name: string }) => x.name)).toEqual(['重要', '一般', '核心']);
    expect(list[0].deleted).toBeUndefined();
  });

  it('caps the library at the configured limit (40126)', async () => {
    await call('add_corp_tag', { group_name: 'g1', tag: ['a', 'b', 'c'].map((name) => ({ name })) });
    expect(
      (await call('add_corp_tag', { group_name: 'g2', tag: ['d', 'e', 'f'].map((name) => ({ name })) })).data.errcode,
    ).toBe(40126);
    expect(
      (await call('add_corp_tag', { group_name: 'g2', tag: ['d', 'e'].map((name) => ({ name })) })).data.errcode,
    ).toBe(0);
  });

  it('edits names and order (40068 unknown id, 40071 duplicate) and reports deleted items when queried by id', async () => {
    const g = (await call('add_corp_tag', { group_name: 'g', tag: [{ name: 'a' }, { name: 'b' }] })).data.tag_group;
    const [a, b] = g.tag;
    expect((await call('edit_corp_tag', { id: 'etnope', name: 'x' })).data.errcode).toBe(40068);
    expect((await call('edit_corp_tag', { id: b.id, name: 'a' })).data.errcode).toBe(40071);
    expect((await call('edit_corp_tag', { id: a.id, name: 'A', order: 9 })).data).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await call('edit_corp_tag', { id: g.group_id, name: 'G' })).data.errcode).toBe(0);
    expect((await call('del_corp_tag', {})).data.errcode).toBe(40058);
    expect((await call('del_corp_tag', { tag_id: ['etnope'] })).data.errcode).toBe(40068);
    expect((await call('del_corp_tag', { tag_id: [a.id] })).data.errcode).toBe(0);
    const byId = (await call('get_corp_tag_list', { tag_id: [a.id, b.id] })).data.tag_group;
    expect(byId[0]).toMatchObject({ group_name: 'G', deleted: false });
    expect(byId[0].tag).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: a.id, name: 'A', deleted: true }),
        expect.objectContaining({ id: b.id, deleted: false }),
      ]),
    );
    expect((await call('del_corp_tag', { tag_id: [b.id] })).data.errcode).toBe(0);
    expect((await call('get_corp_tag_list', {})).data.tag_group).toEqual([]);
    expect((await call('get_corp_tag_list', { group_id: [g.group_id] })).data.tag_group[0].deleted).toBe(true);
  });

  it('mark_tag: 84061 without a relation, 40096 unknown customer, 40068 unknown tag, 40058 nothing to do; silent on success', async () => {
    const g = (await call('add_corp_tag', { group_name: 'g', tag: [{ name: 'a' }, { name: 'b' }] })).data.tag_group;
    const [a, b] = g.tag;
    const rel = (await t.control.get(`/state/wecom/${corpId}/relations`, { params: { limit: 1 } })).data.relations[0];
    const stranger = (await t.control.post(`/wecom/${corpId}/staff`, {})).data.userid;
    expect(
      (await call('mark_tag', { userid: stranger, external_userid: rel.externalUserId, add_tag: [a.id] })).data.errcode,
    ).toBe(84061);
    expect(
      (await call('mark_tag', { userid: rel.userid, external_userid: 'wmnope', add_tag: [a.id] })).data.errcode,
    ).toBe(40096);
    expect(
      (await call('mark_tag', { userid: rel.userid, external_userid: rel.externalUserId, add_tag: ['etnope'] })).data
        .errcode,
    ).toBe(40068);
    expect((await call('mark_tag', { userid: rel.userid, external_userid: rel.externalUserId })).data.errcode).toBe(
      40058,
    );
    expect(
      (await call('mark_tag', { userid: 'nobody', external_userid: rel.externalUserId, add_tag: [a.id] })).data.errcode,
    ).toBe(40003);
    expect(
      (await call('mark_tag', { userid: rel.userid, external_userid: rel.externalUserId, add_tag: [a.id, b.id] })).data,
    ).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(
      (await call('mark_tag', { userid: rel.userid, external_userid: rel.externalUserId, remove_tag: [a.id] })).data
        .errcode,
    ).toBe(0);
    const state = (
      await t.control.get(`/state/wecom/${corpId}/relations`, {
        params: { userid: rel.userid, external_userid: rel.externalUserId },
      })
    ).data.relations[0];
    expect(state.tags).toEqual([{ id: b.id, name: 'b', groupId: g.group_id, groupName: 'g' }]);
    const got = (
      await t.wecom.get('/cgi-bin/externalcontact/get', {
        params: { access_token: token, external_userid: rel.externalUserId },
      })
    ).data;
    const fu = got.follow_user.find((f: { userid: string }) => f.userid === rel.userid);
    expect(fu.tags).toEqual([{ group_name: 'g', tag_name: 'b', tag_id: b.id, type: 1 }]);
    await call('del_corp_tag', { group_id: [g.group_id] });
    const after = (
      await t.control.get(`/state/wecom/${corpId}/relations`, {
        params: { userid: rel.userid, external_userid: rel.externalUserId },
      })
    ).data.relations[0];
    expect(after.tags).toEqual([]);
    expect((await t.control.get('/callbacks/deliveries')).data.deliveries).toEqual([]);
  });

  it('remark: length limits (40058), remark_mobiles replaced and cleared with [""]', async () => {
    const rel = (await t.control.get(`/state/wecom/${corpId}/relations`, { params: { limit: 1 } })).data.relations[0];
    const body = { userid: rel.userid, external_userid: rel.externalUserId };
    expect((await call('remark', body)).data.errcode).toBe(40058);
    expect((await call('remark', { ...body, remark: 'x'.repeat(21) })).data.errcode).toBe(40058);
    expect((await call('remark', { ...body, description: 'x'.repeat(151) })).data.errcode).toBe(40058);
    expect(
      (await call('remark', { ...body, remark: '王总', description: '大客户', remark_mobiles: ['13800000001'] })).data
        .errcode,
    ).toBe(0);
    let state = (
      await t.control.get(`/state/wecom/${corpId}/relations`, {
        params: { ...{ userid: rel.userid, external_userid: rel.externalUserId } },
      })
    ).data.relations[0];
    expect(state).toMatchObject({ remark: '王总', description: '大客户', remarkMobiles: ['13800000001'] });
    await call('remark', { ...body, remark_mobiles: [''] });
    state = (
      await t.control.get(`/state/wecom/${corpId}/relations`, {
        params: { userid: rel.userid, external_userid: rel.externalUserId },
      })
    ).data.relations[0];
    expect(state.remarkMobiles).toEqual([]);
  });

  it('remark: all fields empty is 40058; unknown member 60111, unknown contact 40096; no callback for API edits', async () => {
    const rel = (await t.control.get(`/state/wecom/${corpId}/relations`, { params: { limit: 1 } })).data.relations[0];
    const body = { userid: rel.userid, external_userid: rel.externalUserId };
    expect((await call('remark', { ...body, remark: '', description: '' })).data.errcode).toBe(40058);
    expect((await call('remark', { ...body, userid: 'nobody-here', remark: 'x' })).data.errcode).toBe(60111);
    expect((await call('remark', { ...body, external_userid: 'wmNoSuchContact', remark: 'x' })).data.errcode).toBe(
      40096,
    );
    expect((await call('remark', { ...body, remark: '', description: '只改描述' })).data.errcode).toBe(0);
    expect((await call('remark', { ...body, remark: '一二三四五六七八九十一二三四五六七八九十' })).data.errcode).toBe(
      0,
    );
    expect((await t.control.get('/callbacks/deliveries')).data.deliveries).toEqual([]);
  });
});
