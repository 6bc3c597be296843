import { startReceiver, type Receiver } from '../callbacks/receiver.helper';
import { startTestEmulator, type TestEmulator } from '../helper';

/** The decrypted callback as the emulator sent it, one element per line. */
function lines(delivery: { plaintext: string; delivered: boolean }): string[] {
  expect(delivery.delivered).toBe(true);
  return delivery.plaintext.split('\n').slice(1, -1);
}

describe('customer group control routes and their change_external_chat callbacks', () => {
  let t: TestEmulator;
  let gw: Receiver;
  let corpId: string;
  let token: string;
  let staff: string[];
  const groupGet = async (chatId: string) =>
    (await t.wecom.post(`/cgi-bin/externalcontact/groupchat/get?access_token=${token}`, { chat_id: chatId })).data;

  beforeAll(async () => {
    gw = await startReceiver();
    t = await startTestEmulator({ wecomStaff: 4, wecomContacts: 20, gatewayUrl: gw.url.replace(/\/hook$/, '') });
    corpId = (await t.apps()).corps[0]!.corpId;
    token = await t.wecomToken();
    staff = (await t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', { params: { access_token: token } }))
      .data.follow_user;
  });
  afterAll(async () => {
    await t.close();
    await gw.close();
  });

  async function createGroup(extra: Record<string, unknown> = {}): Promise<{
    chatId: string;
    members: { userid: string; type: number; personId?: number }[];
    delivery?: { plaintext: string; delivered: boolean };
  }> {
    const r = await t.control.post(`/wecom/${corpId}/groups`, {
      owner: staff[0],
      name: '新品体验群',
      members: [{ userid: staff[1] }, { stranger: 1 }, { stranger: 2 }],
      ...extra,
    });
    expect(r.status).toBe(200);
    return r.data;
  }

  it('create: the group is readable at once and the callback carries only ChatId and ChangeType', async () => {
    const g = await createGroup({ notify: true });
    const got = await groupGet(g.chatId);
    expect(got.group_chat).toMatchObject({ chat_id: g.chatId, name: '新品体验群', owner: staff[0] });
    expect(got.group_chat.member_list.map((m: { type: number }) => m.type)).toEqual([1, 1, 2, 2]);
    expect(got.group_chat.member_list[2].unionid).toEqual(expect.any(String));
    expect(got.group_chat.member_list[3].unionid).toBeUndefined();
    const now = (await t.control.get('/clock')).data;
    const l = lines(g.delivery!);
    expect(l).toEqual([
      `<ToUserName><![CDATA[${corpId}]]></ToUserName>`,
      '<FromUserName><![CDATA[sys]]></FromUserName>',
      expect.stringMatching(/^<CreateTime>\d+<\/CreateTime>$/),
      '<MsgType><![CDATA[event]]></MsgType>',
      '<Event><![CDATA[change_external_chat]]></Event>',
      `<ChatId><![CDATA[${g.chatId}]]></ChatId>`,
      '<ChangeType><![CDATA[create]]></ChangeType>',
    ]);
    const created = Number(/\d+/.exec(l[2]!)![0]);
    expect(created).toBeLessThanOrEqual(now.now);
    expect(created).toBeGreaterThan(now.now - 60);
    expect(gw.received.at(-1)!.path).toBe(`/wechat/wecom/${corpId}`);
  });

  it('add_member: JoinScene 0 for invites, 3 for the QR code, the member list as Items and the member versions', async () => {
    const g = await createGroup();
    const before = (await groupGet(g.chatId)).group_chat.member_version;
    const contact = (await t.control.post(`/wecom/${corpId}/contacts`, { followerCount: 1 })).data
      .externalUserId as string;
    const r = (
      await t.control.post(`/wecom/${corpId}/groups/${g.chatId}/members`, {
        members: [{ externalUserId: contact }, { stranger: 1 }],
        joinScene: 2,
        invitor: staff[1],
        notify: true,
      })
    ).data;
    const after = await groupGet(g.chatId);
    expect(after.group_chat.member_version).not.toBe(before);
    expect(r.memberVersion).toBe(after.group_chat.member_version);
    const joined = after.group_chat.member_list.slice(-2);
    expect(joined[0]).toMatchObject({ userid: contact, type: 2, join_scene: 2, invitor: { userid: staff[1] } });
    const ids = r.added.map((m: { userid: string }) => m.userid);
    expect(lines(r.delivery).slice(5)).toEqual([
      `<ChatId><![CDATA[${g.chatId}]]></ChatId>`,
      '<ChangeType><![CDATA[update]]></ChangeType>',
      '<UpdateDetail><![CDATA[add_member]]></UpdateDetail>',
      '<JoinScene>0</JoinScene>',
      '<MemChangeCnt>2</MemChangeCnt>',
      `<MemChangeList><Item><![CDATA[${ids[0]}]]></Item><Item><![CDATA[${ids[1]}]]></Item></MemChangeList>`,
      `<LastMemVer><![CDATA[${before}]]></LastMemVer>`,
      `<CurMemVer><![CDATA[${after.group_chat.member_version}]]></CurMemVer>`,
    ]);
    const qr = (
      await t.control.post(`/wecom/${corpId}/groups/${g.chatId}/members`, {
        members: [{ stranger: 2 }],
        joinScene: 3,
        state: 'poster9',
        notify: true,
      })
    ).data;
    expect(lines(qr.delivery)).toContain('<JoinScene>3</JoinScene>');
    const member = (await groupGet(g.chatId)).group_chat.member_list.at(-1);
    expect(member).toMatchObject({ join_scene: 3, state: 'poster9' });
    expect(member.invitor).toBeUndefined();
    const truth = (
      await t.control.get('/truth/owner', { params: { type: 'wecom_external_userid', value: qr.added[0].userid } })
    ).data;
    expect(truth.personId).toBe(qr.added[0].personId);
  });

  it('del_member: QuitScene and no JoinScene; members gone from groupchat/get; the owner cannot be removed', async () => {
    const g = await createGroup();
    const ext = g.members.filter((m) => m.type === 2).map((m) => m.userid);
    const before = (await groupGet(g.chatId)).group_chat.member_version;
    const r = (
      await t.control.post(`/wecom/${corpId}/groups/${g.chatId}/members/remove`, {
        members: [ext[0], staff[1]],
        quitScene: 1,
        notify: true,
      })
    ).data;
    const l = lines(r.delivery);
    expect(l).toContain('<UpdateDetail><![CDATA[del_member]]></UpdateDetail>');
    expect(l).toContain('<QuitScene>1</QuitScene>');
    expect(l.some((x) => x.startsWith('<JoinScene>'))).toBe(false);
    expect(l).toContain('<MemChangeCnt>2</MemChangeCnt>');
    expect(l).toContain(
      `<MemChangeList><Item><![CDATA[${ext[0]}]]></Item><Item><![CDATA[${staff[1]}]]></Item></MemChangeList>`,
    );
    expect(l).toContain(`<LastMemVer><![CDATA[${before}]]></LastMemVer>`);
    const members = (await groupGet(g.chatId)).group_chat.member_list.map((m: { userid: string }) => m.userid);
    expect(members).toEqual([staff[0], ext[1]]);
    const owner = await t.control.post(`/wecom/${corpId}/groups/${g.chatId}/members/remove`, { members: [staff[0]] });
    expect(owner.status).toBe(409);
    expect(owner.data.error.code).toBe('OWNER_CANNOT_LEAVE');
    const stranger = await t.control.post(`/wecom/${corpId}/groups/${g.chatId}/members/remove`, { members: [ext[0]] });
    expect(stranger.data.error.code).toBe('NOT_A_MEMBER');
  });

  it('rename, notice and owner changes each send their own update with only UpdateDetail', async () => {
    const g = await createGroup();
    const r = (
      await t.control.patch(`/wecom/${corpId}/groups/${g.chatId}`, {
        name: 'VIP 群',
        notice: '周五上新',
        owner: staff[1],
        notify: true,
      })
    ).data;
    expect(r.changes).toEqual(['change_owner', 'change_name', 'change_notice']);
    expect(r.deliveries.map((d: { plaintext: string; delivered: boolean }) => lines(d).slice(6))).toEqual([
      ['<ChangeType><![CDATA[update]]></ChangeType>', '<UpdateDetail><![CDATA[change_owner]]></UpdateDetail>'],
      ['<ChangeType><![CDATA[update]]></ChangeType>', '<UpdateDetail><![CDATA[change_name]]></UpdateDetail>'],
      ['<ChangeType><![CDATA[update]]></ChangeType>', '<UpdateDetail><![CDATA[change_notice]]></UpdateDetail>'],
    ]);
    expect((await groupGet(g.chatId)).group_chat).toMatchObject({
      name: 'VIP 群',
      notice: '周五上新',
      owner: staff[1],
    });
    const notIn = await t.control.patch(`/wecom/${corpId}/groups/${g.chatId}`, { owner: staff[3] });
    expect(notIn.data.error.code).toBe('NOT_A_MEMBER');
  });

  it('dismiss: the callback, then 49008 from groupchat/get, gone from groupchat/list, and no further changes', async () => {
    const g = await createGroup();
    const r = (await t.control.post(`/wecom/${corpId}/groups/${g.chatId}/dismiss`, { notify: true })).data;
    expect(lines(r.delivery).slice(5)).toEqual([
      `<ChatId><![CDATA[${g.chatId}]]></ChatId>`,
      '<ChangeType><![CDATA[dismiss]]></ChangeType>',
    ]);
    expect((await groupGet(g.chatId)).errcode).toBe(49008);
    const listed = (
      await t.wecom.post(`/cgi-bin/externalcontact/groupchat/list?access_token=${token}`, { limit: 1000 })
    ).data.group_chat_list.map((x: { chat_id: string }) => x.chat_id);
    expect(listed).not.toContain(g.chatId);
    const again = await t.control.post(`/wecom/${corpId}/groups/${g.chatId}/members`, { members: [{ stranger: 1 }] });
    expect(again.status).toBe(409);
    expect(again.data.error.code).toBe('GROUP_DISMISSED');
    expect((await t.control.get(`/state/wecom/${corpId}/groups/${g.chatId}`)).data.dismissed).toBe(true);
  });

  it('refuses bad input with 4xx: unknown corp, owner, chat, member, a member twice, an empty member list', async () => {
    expect((await t.control.post('/wecom/wwnope/groups', { owner: staff[0] })).status).toBe(404);
    expect((await t.control.post(`/wecom/${corpId}/groups`, { owner: 'nobody' })).status).toBe(404);
    expect((await t.control.post(`/wecom/${corpId}/groups/wrXXXXXXXXXXXXXXXXXXXXXXXXXXXX/dismiss`, {})).status).toBe(
      404,
    );
    const g = await createGroup();
    expect(
      (await t.control.post(`/wecom/${corpId}/groups/${g.chatId}/members`, { members: [{ externalUserId: 'wmnope' }] }))
        .status,
    ).toBe(404);
    const twice = await t.control.post(`/wecom/${corpId}/groups/${g.chatId}/members`, {
      members: [{ userid: staff[1] }],
    });
    expect(twice.status).toBe(409);
    expect(twice.data.error.code).toBe('ALREADY_MEMBER');
    expect((await t.control.post(`/wecom/${corpId}/groups/${g.chatId}/members`, { members: [] })).status).toBe(400);
    expect(
      (
        await t.control.post(`/wecom/${corpId}/groups/${g.chatId}/members`, {
          members: [{ userid: staff[2], extra: 1 }],
        })
      ).status,
    ).toBe(400);
  });
});
