import type { WecomClient } from '../../../connectors/wecom/client';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

const GET = 'qyapi.weixin.qq.com/cgi-bin/externalcontact/get';
const BY_USER = 'qyapi.weixin.qq.com/cgi-bin/externalcontact/batch/get_by_user';

describe('WecomClient contacts', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let wecom: WecomClient;
  let corpId: string;

  beforeAll(async () => {
    env = await startEmulatorClients(db.url, { wecomStaff: 600, wecomContacts: 60 });
    corpId = env.corpId();
    wecom = env.clients(db.ds).wecom(corpId);
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetCounters());

  it('rejects externalcontact/get of an unknown external_userid with NOT_FOUND', async () => {
    await expect(wecom.contacts.getExternalContact('wmUnknownExternalUserid000000')).rejects.toMatchObject({
      errcode: 40096,
      category: 'RELATION_GONE',
    });
  });

  it('refuses batch/get_by_user with more than 100 members before calling WeCom', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `u${i}`);
    await expect(wecom.contacts.batchGetByUser(many)).rejects.toMatchObject({
      errcode: 40058,
      category: 'INVALID_REQUEST',
    });
    expect((await env.calls(BY_USER)).calls).toBe(0);
  });

  it('walks batch/get_by_user with its cursor and finds the same relations as externalcontact/list', async () => {
    const staff = (await wecom.contacts.getFollowUserList()).slice(0, 100);
    expect(staff.length).toBeGreaterThan(0);
    const pairs = new Set<string>();
    let pages = 0;
    for await (const page of wecom.contacts.walkByUser(staff, '', 7)) {
      pages += 1;
      for (const item of page.items) pairs.add(`${item.follow_info.userid}|${item.external_contact.external_userid}`);
    }
    const expected = new Set<string>();
    for (const userid of staff) {
      const ids = await wecom.contacts.listExternalContacts(userid).catch(() => [] as string[]);
      ids.forEach((id) => expected.add(`${userid}|${id}`));
    }
    expect(pairs).toEqual(expected);
    expect(pages).toBe(Math.max(1, Math.ceil(expected.size / 7)));
  });

  it('externalcontact/get follows next_cursor past 500 followers', async () => {
    const created = (await env.control.post(`/wecom/${corpId}/contacts`, { followerCount: 510 })).data as {
      externalUserId: string;
      followers: string[];
    };
    await env.resetCounters();
    const detail = await wecom.contacts.getExternalContact(created.externalUserId);
    expect(detail.external_contact.external_userid).toBe(created.externalUserId);
    expect(new Set(detail.follow_user.map((f) => f.userid))).toEqual(new Set(created.followers));
    expect(detail.follow_user).toHaveLength(510);
    expect((await env.calls(GET)).calls).toBe(2);
  });

  it('remark writes the relation fields that externalcontact/get reads back', async () => {
    const created = (await env.control.post(`/wecom/${corpId}/contacts`, { followerCount: 1 })).data as {
      externalUserId: string;
      followers: string[];
    };
    const userid = created.followers[0]!;
    await wecom.contacts.remark({
      userid,
      externalUserid: created.externalUserId,
      remark: '李部长',
      description: '采购',
    });
    const detail = await wecom.contacts.getExternalContact(created.externalUserId);
    expect(detail.follow_user.find((f) => f.userid === userid)).toMatchObject({
      remark: '李部长',
      description: '采购',
    });
  });

  it('remark on a member who does not follow the customer is RELATION_GONE (84061)', async () => {
    const a = (await env.control.post(`/wecom/${corpId}/contacts`, { followerCount: 1 })).data as {
      externalUserId: string;
      followers: string[];
    };
    const staff = await wecom.contacts.getFollowUserList();
    const other = staff.find((s) => s !== a.followers[0])!;
    await expect(
      wecom.contacts.remark({ userid: other, externalUserid: a.externalUserId, remark: 'x' }),
    ).rejects.toMatchObject({ errcode: 84061, category: 'RELATION_GONE' });
  });
});
