import type { WecomClient } from '../../../connectors/wecom/client';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

const LIST = 'qyapi.weixin.qq.com/cgi-bin/externalcontact/groupchat/list';

describe('WecomClient customer groups', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let wecom: WecomClient;
  let corpId: string;

  beforeAll(async () => {
    env = await startEmulatorClients(db.url, {
      wecomStaff: 4,
      wecomContacts: 40,
      wecomGroups: 12,
      wecomGroupMembers: 15,
    });
    corpId = env.corpId();
    wecom = env.clients(db.ds).wecom(corpId);
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetCounters());

  it('walks groupchat/list over its cursors, one call per page, and finds every group', async () => {
    const truth = (await env.control.get(`/state/wecom/${corpId}/groups`)).data.groups.map(
      (g: { chatId: string }) => g.chatId,
    );
    const seen: string[] = [];
    let pages = 0;
    for await (const page of wecom.groups.walkGroupChats({ limit: 5 })) {
      pages++;
      seen.push(...page.items.map((g) => g.chat_id));
    }
    expect(seen).toEqual(truth);
    expect(pages).toBe(3);
    expect((await env.calls(LIST)).calls).toBe(3);
  });

  it('resumes a walk from a checkpointed cursor', async () => {
    const first = await wecom.groups.listGroupChats({ limit: 4 });
    const rest: string[] = [];
    for await (const page of wecom.groups.walkGroupChats({ limit: 4, cursor: first.nextCursor }))
      rest.push(...page.items.map((g) => g.chat_id));
    expect(rest).toHaveLength(8);
    expect(rest).not.toContain(first.items[0]!.chat_id);
  });

  it('filters by owner and refuses a bad limit or owner list before calling WeCom', async () => {
    const owner = (await env.control.get(`/state/wecom/${corpId}/groups`)).data.groups[0].owner as string;
    const page = await wecom.groups.listGroupChats({ ownerUserids: [owner] });
    expect(page.items.length).toBeGreaterThan(0);
    for (const g of page.items) expect((await wecom.groups.getGroupChat(g.chat_id)).owner).toBe(owner);
    await env.resetCounters();
    await expect(wecom.groups.listGroupChats({ limit: 1001 })).rejects.toMatchObject({
      errcode: 40058,
      category: 'INVALID_REQUEST',
    });
    await expect(
      wecom.groups.listGroupChats({ ownerUserids: Array.from({ length: 101 }, (_, i) => `u${i}`) }),
    ).rejects.toMatchObject({ errcode: 40058 });
    expect((await env.calls(LIST)).calls).toBe(0);
  });

  it('reads a group with names, members and their unionids; unknown and dismissed groups are NOT_FOUND', async () => {
    const chatId = (await wecom.groups.listGroupChats({ limit: 1 })).items[0]!.chat_id;
    const g = await wecom.groups.getGroupChat(chatId);
    expect(g.chat_id).toBe(chatId);
    expect(g.member_list).toHaveLength(15);
    expect(g.member_list!.every((m) => typeof m.name === 'string')).toBe(true);
    expect(g.member_list!.some((m) => m.type === 2 && m.unionid)).toBe(true);
    expect(g.member_version).toMatch(/^[0-9a-f]{32}$/);
    expect((await wecom.groups.getGroupChat(chatId, false)).member_list![0]!.name).toBeUndefined();
    await expect(wecom.groups.getGroupChat('wrUnknownChat0000000000000000')).rejects.toMatchObject({
      errcode: 40050,
      category: 'NOT_FOUND',
    });
    await env.control.post(`/wecom/${corpId}/groups/${chatId}/dismiss`, {});
    await expect(wecom.groups.getGroupChat(chatId)).rejects.toMatchObject({ errcode: 49008, category: 'NOT_FOUND' });
  });
});
