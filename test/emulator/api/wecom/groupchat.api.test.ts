import { startTestEmulator, type TestEmulator } from '../../helper';

interface ListPage {
  errcode: number;
  group_chat_list: { chat_id: string; status: number }[];
  next_cursor: string;
}

interface Member {
  userid: string;
  type: number;
  unionid?: string;
  join_time: number;
  join_scene: number;
  invitor?: { userid: string };
  group_nickname: string;
  name?: string;
}

describe('WeCom customer groups (groupchat/list, groupchat/get)', () => {
  let t: TestEmulator;
  let corpId: string;
  let token: string;
  const list = (body: unknown) => t.wecom.post(`/cgi-bin/externalcontact/groupchat/list?access_token=${token}`, body);
  const get = (body: unknown) => t.wecom.post(`/cgi-bin/externalcontact/groupchat/get?access_token=${token}`, body);

  async function listAll(body: Record<string, unknown>, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const { data } = await list({ ...body, limit, ...(cursor ? { cursor } : {}) });
      expect(data.errcode).toBe(0);
      const page = data as ListPage;
      ids.push(...page.group_chat_list.map((g) => g.chat_id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    return { ids, pages };
  }

  beforeAll(async () => {
    t = await startTestEmulator({ wecomStaff: 6, wecomContacts: 120, wecomGroups: 30, wecomGroupMembers: 40 });
    corpId = (await t.apps()).corps[0]!.corpId;
    token = await t.wecomToken();
  });
  afterAll(() => t.close());

  it('list pages every group through next_cursor, "" on the last page, in the order the world holds them', async () => {
    const truth = (await t.control.get(`/state/wecom/${corpId}/groups`)).data;
    expect(truth.total).toBe(30);
    const { ids, pages } = await listAll({}, 7);
    expect(pages).toBe(5);
    expect(ids).toEqual(truth.groups.map((g: { chatId: string }) => g.chatId));
    expect(ids[0]).toMatch(/^wr[\w-]{28}$/);
    const { data } = await list({ limit: 1000 });
    expect(data.group_chat_list).toHaveLength(30);
    expect(data.group_chat_list[0]).toEqual({ chat_id: ids[0], status: 0 });
    expect(data.next_cursor).toBe('');
  });

  it('list refuses a missing or out-of-range limit (40058), a bad cursor (50100), >100 owners (40058) and an unknown owner (40003)', async () => {
    for (const body of [{}, { limit: 0 }, { limit: 1001 }, { limit: 2.5 }, { limit: '10' }])
      expect((await list(body)).data.errcode).toBe(40058);
    expect((await list({ limit: 10, cursor: 'garbage' })).data.errcode).toBe(50100);
    const many = Array.from({ length: 101 }, (_, i) => `u${i}`);
    expect((await list({ limit: 10, owner_filter: { userid_list: many } })).data.errcode).toBe(40058);
    expect((await list({ limit: 10, owner_filter: { userid_list: ['nobody'] } })).data.errcode).toBe(40003);
    expect((await list({ limit: 10, status_filter: 9 })).data.errcode).toBe(40058);
  });

  it("owner_filter keeps only those owners; a resigned owner's groups show only when named, with status 1", async () => {
    const truth = (await t.control.get(`/state/wecom/${corpId}/groups`)).data.groups as {
      chatId: string;
      owner: string;
    }[];
    const owner = truth[1]!.owner;
    const owned = truth.filter((g) => g.owner === owner).map((g) => g.chatId);
    expect((await listAll({ owner_filter: { userid_list: [owner] } }, 2)).ids).toEqual(owned);
    await t.control.post(`/wecom/${corpId}/staff/${owner}/leave`, {});
    const all = (await listAll({}, 1000)).ids;
    expect(all.some((id) => owned.includes(id))).toBe(false);
    const named = (await list({ limit: 1000, owner_filter: { userid_list: [owner] } })).data as ListPage;
    expect(named.group_chat_list.map((g) => g.status)).toEqual(owned.map(() => 1));
    const resigned = (await list({ limit: 1000, status_filter: 1, owner_filter: { userid_list: [owner] } }))
      .data as ListPage;
    expect(resigned.group_chat_list.map((g) => g.chat_id)).toEqual(owned);
    expect(
      (await list({ limit: 1000, status_filter: 3, owner_filter: { userid_list: [owner] } })).data.group_chat_list,
    ).toEqual([]);
    // The group itself is still readable, owner and all.
    expect((await get({ chat_id: owned[0] })).data.group_chat.owner).toBe(owner);
  });

  it('get returns the documented fields; members are staff (type 1) or external (type 2) with ground truth behind them', async () => {
    const chatId = (await list({ limit: 1 })).data.group_chat_list[0].chat_id as string;
    const { data } = await get({ chat_id: chatId, need_name: 1 });
    expect(data.errcode).toBe(0);
    const g = data.group_chat;
    expect(Object.keys(g)).toEqual([
      'chat_id',
      'name',
      'owner',
      'create_time',
      'notice',
      'member_list',
      'admin_list',
      'member_version',
    ]);
    expect(g.member_version).toMatch(/^[0-9a-f]{32}$/);
    const members = g.member_list as Member[];
    expect(members).toHaveLength(40);
    expect(members[0]).toMatchObject({ userid: g.owner, type: 1, join_scene: 1 });
    const truth = (await t.control.get(`/state/wecom/${corpId}/groups/${chatId}`)).data;
    expect(truth.members.map((m: { userid: string }) => m.userid)).toEqual(members.map((m) => m.userid));
    for (const m of members) {
      expect(typeof m.name).toBe('string');
      expect([1, 2, 3]).toContain(m.join_scene);
      if (m.join_scene === 3) expect(m.invitor).toBeUndefined();
      else if (m.type === 2) expect(m.invitor?.userid).toEqual(expect.any(String));
      if (m.type === 1) {
        expect(m.unionid).toBeUndefined();
        continue;
      }
      const personId = truth.members.find((x: { userid: string }) => x.userid === m.userid).personId;
      expect(
        (
          await t.control.get('/truth/owner', {
            params: { type: 'wecom_external_userid', scope: corpId, value: m.userid },
          })
        ).data.personId,
      ).toBe(personId);
      if (m.userid.startsWith('wo')) expect(m.unionid).toBeUndefined();
      else
        expect(
          (await t.control.get('/truth/owner', { params: { type: 'unionid', value: m.unionid } })).data.personId,
        ).toBe(personId);
    }
    const withoutName = (await get({ chat_id: chatId })).data.group_chat.member_list as Member[];
    expect(withoutName.every((m) => m.name === undefined)).toBe(true);
  });

  it('the seeded groups mix contacts with strangers (with and without unionid); a stranger is no contact to externalcontact/get', async () => {
    const all = (await t.control.get(`/state/wecom/${corpId}/groups`)).data.groups as { chatId: string }[];
    const externals: { userid: string; contact: boolean; wechatUser: boolean }[] = [];
    for (const g of all)
      externals.push(
        ...(await t.control.get(`/state/wecom/${corpId}/groups/${g.chatId}`)).data.members.filter(
          (m: { type: number }) => m.type === 2,
        ),
      );
    const contactShare = externals.filter((m) => m.contact).length / externals.length;
    expect(contactShare).toBeGreaterThan(0.5);
    expect(contactShare).toBeLessThan(0.75);
    const strangers = externals.filter((m) => !m.contact);
    expect(strangers.some((m) => m.wechatUser)).toBe(true);
    expect(strangers.some((m) => !m.wechatUser)).toBe(true);
    const repeated = new Set(externals.map((m) => m.userid)).size < externals.length;
    expect(repeated).toBe(true);
    const stranger = strangers[0]!;
    expect(
      (
        await t.wecom.get('/cgi-bin/externalcontact/get', {
          params: { access_token: token, external_userid: stranger.userid },
        })
      ).data.errcode,
    ).toBe(84061);
  });

  it('get refuses an unknown or foreign chat_id with 40050; an unbound corp gives no unionid', async () => {
    expect((await get({ chat_id: 'wrXXXXXXXXXXXXXXXXXXXXXXXXXXXX' })).data.errcode).toBe(40050);
    expect((await get({})).data.errcode).toBe(40050);
    const chatId = (await list({ limit: 1 })).data.group_chat_list[0].chat_id as string;
    await t.control.patch(`/apps/${corpId}`, { bound: false });
    try {
      const members = (await get({ chat_id: chatId })).data.group_chat.member_list as Member[];
      expect(members.some((m) => m.type === 2)).toBe(true);
      expect(members.every((m) => m.unionid === undefined)).toBe(true);
    } finally {
      await t.control.patch(`/apps/${corpId}`, { bound: true });
    }
  });

  it('the same seed and options give the same groups', async () => {
    const again = await startTestEmulator({
      wecomStaff: 6,
      wecomContacts: 120,
      wecomGroups: 30,
      wecomGroupMembers: 40,
    });
    try {
      const chatId = (await t.control.get(`/state/wecom/${corpId}/groups`)).data.groups[5].chatId;
      const a = (await t.control.get(`/state/wecom/${corpId}/groups/${chatId}`)).data;
      const b = (await again.control.get(`/state/wecom/${corpId}/groups/${chatId}`)).data;
      expect(b.members.map((m: { userid: string }) => m.userid)).toEqual(
        a.members.map((m: { userid: string }) => m.userid),
      );
    } finally {
      await again.close();
    }
  });
});

describe('groupchat/list without owner_filter', () => {
  it('answers 81017 when the visible range holds more than 1000 people', async () => {
    const t = await startTestEmulator({ wecomStaff: 1001, wecomContacts: 10, wecomGroups: 2, wecomGroupMembers: 3 });
    try {
      const token = await t.wecomToken();
      const post = (body: unknown) =>
        t.wecom.post(`/cgi-bin/externalcontact/groupchat/list?access_token=${token}`, body);
      expect((await post({ limit: 10 })).data.errcode).toBe(81017);
      const owner = (await t.control.get(`/state/wecom/${(await t.apps()).corps[0]!.corpId}/groups`)).data.groups[0]
        .owner;
      expect(
        (await post({ limit: 10, owner_filter: { userid_list: [owner] } })).data.group_chat_list.length,
      ).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
