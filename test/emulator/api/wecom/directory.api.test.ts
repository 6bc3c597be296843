import { startTestEmulator, type TestEmulator } from '../../helper';

/** The staff directory as each WeCom secret may read it (wechat-api-wecom-ops.md §6). */
describe('WeCom staff directory', () => {
  let t: TestEmulator;
  let corpId: string;
  let tokens: Record<'contact' | 'agent' | 'directory', string>;
  const listId = (token: string, body: unknown) => t.wecom.post(`/cgi-bin/user/list_id?access_token=${token}`, body);
  const getUser = (token: string, userid: string) =>
    t.wecom.get('/cgi-bin/user/get', { params: { access_token: token, userid } });
  const departments = (token: string, id?: number) =>
    t.wecom.get('/cgi-bin/department/list', { params: { access_token: token, ...(id === undefined ? {} : { id }) } });

  beforeAll(async () => {
    t = await startTestEmulator({ wecomStaff: 4 });
    corpId = (await t.apps()).corps[0]!.corpId;
    tokens = {
      contact: await t.wecomToken(0, 'contact'),
      agent: await t.wecomToken(0, 'agent'),
      directory: await t.wecomToken(0, 'directory'),
    };
  });
  afterAll(() => t.close());

  it('lets only the contact-sync secret call list_id (48002 otherwise), POST only, limit 1..10000', async () => {
    expect((await listId(tokens.contact, { limit: 10 })).data.errcode).toBe(48002);
    expect((await listId(tokens.agent, { limit: 10 })).data.errcode).toBe(48002);
    expect(
      (await t.wecom.get('/cgi-bin/user/list_id', { params: { access_token: tokens.directory } })).data.errcode,
    ).toBe(43002);
    expect((await listId(tokens.directory, { limit: 0 })).data.errcode).toBe(40058);
    expect((await listId(tokens.directory, { limit: 10_001 })).data.errcode).toBe(40058);
    expect((await listId(tokens.directory, { cursor: 'forged', limit: 10 })).data.errcode).toBe(50100);
  });

  it('pages list_id one row per (member, department) with an opaque cursor, empty at the end', async () => {
    const rows: { userid: string; department: number }[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const r = (await listId(tokens.directory, { cursor, limit: 2 })).data;
      expect(r.errcode).toBe(0);
      rows.push(...r.dept_user);
      cursor = r.next_cursor;
      pages++;
    } while (cursor);
    const staff = (await t.control.get(`/state/wecom/${corpId}/staff`)).data.staff as {
      userid: string;
      departments: number[];
    }[];
    expect(rows).toEqual(staff.flatMap((s) => s.departments.map((department) => ({ userid: s.userid, department }))));
    // The first member also sits in the root department: two rows for one userid.
    expect(rows.filter((r) => r.userid === staff[0]!.userid)).toHaveLength(2);
    expect(pages).toBe(Math.ceil(rows.length / 2));
  });

  it('answers user/get with a name but none of the fields new apps lost in 2022; 48002 for the customer-contact secret', async () => {
    const userid = (await t.control.get(`/state/wecom/${corpId}/staff`)).data.staff[1].userid as string;
    const r = (await getUser(tokens.agent, userid)).data;
    expect(r).toMatchObject({
      errcode: 0,
      userid,
      name: expect.any(String),
      department: [expect.any(Number)],
      main_department: expect.any(Number),
      status: 1,
    });
    for (const gone of ['mobile', 'email', 'avatar', 'gender', 'qr_code', 'address', 'biz_mail'])
      expect(r).not.toHaveProperty(gone);
    expect((await getUser(tokens.directory, userid.toUpperCase())).data.userid).toBe(userid);
    expect((await getUser(tokens.contact, userid)).data.errcode).toBe(48002);
    expect((await getUser(tokens.agent, 'nobody')).data.errcode).toBe(60111);
    expect((await t.wecom.get('/cgi-bin/user/get', { params: { access_token: tokens.agent } })).data.errcode).toBe(
      41009,
    );
  });

  it('hides members outside the app’s visible range (60011) and members who left (60111, gone from list_id)', async () => {
    await t.control.post(`/wecom/${corpId}/staff`, {
      userid: 'hidden',
      name: '隐身',
      departments: [4],
      visibleToAgent: false,
    });
    await t.control.post(`/wecom/${corpId}/staff`, { userid: 'leaver', name: '离职', departments: [2] });
    expect((await getUser(tokens.agent, 'hidden')).data.errcode).toBe(60011);
    expect((await getUser(tokens.directory, 'hidden')).data.name).toBe('隐身');
    expect((await t.control.post(`/wecom/${corpId}/staff/leaver/leave`, {})).data.left).toBe(true);
    expect((await getUser(tokens.directory, 'leaver')).data.errcode).toBe(60111);
    const rows = (await listId(tokens.directory, {})).data.dept_user as { userid: string }[];
    expect(rows.map((r) => r.userid)).toContain('hidden');
    expect(rows.map((r) => r.userid)).not.toContain('leaver');
  });

  it('lists departments: the whole tree for contact sync, the visible part for the app, subtrees by id, 60123 for unknown ids', async () => {
    const all = (await departments(tokens.directory)).data.department as {
      id: number;
      name: string;
      parentid: number;
    }[];
    expect(all[0]).toMatchObject({ id: 1, parentid: 0, name: '示例品牌有限公司' });
    expect(all.map((d) => d.name)).toEqual(expect.arrayContaining(['销售部', '客户成功部', '市场部']));
    const ct = await t.control.post(`/wecom/${corpId}/departments`, { name: '华东区', parentId: 2 });
    const sub = (await departments(tokens.directory, 2)).data.department as { id: number }[];
    expect(sub.map((d) => d.id).sort()).toEqual([2, ct.data.id]);
    const secret = (await t.control.post(`/wecom/${corpId}/departments`, { name: '保密部' })).data.id as number;
    await t.control.post(`/wecom/${corpId}/staff`, { userid: 'secret', departments: [secret], visibleToAgent: false });
    // Only a member outside the app's range sits in 保密部, so the app does not see the department.
    const visible = ((await departments(tokens.agent)).data.department as { id: number }[]).map((d) => d.id);
    expect(visible).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    expect(visible).not.toContain(secret);
    expect((await departments(tokens.agent, secret)).data.errcode).toBe(60011);
    expect((await departments(tokens.directory, 99)).data.errcode).toBe(60123);
    expect((await departments(tokens.contact)).data.errcode).toBe(48002);
  });
});
