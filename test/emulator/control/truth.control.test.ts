import { startTestEmulator, type TestEmulator } from '../helper';

interface Ref {
  type: string;
  scope: string;
  value: string;
}

describe('ground truth', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ followers: 200, wecomContacts: 100, overlap: { miniProgram: 0.5, phone: 0.5 } });
  });
  afterAll(() => t.close());

  it('answers 404 for an unknown person or identity and 400 for a bad type', async () => {
    expect((await t.control.get('/truth/persons/999999')).status).toBe(404);
    expect((await t.control.get('/truth/owner', { params: { type: 'oa_openid', value: 'nope' } })).status).toBe(404);
    expect((await t.control.get('/truth/owner', { params: { type: 'email', value: 'x' } })).status).toBe(400);
  });

  it('lists every identity of a person, and each identity resolves back to that person', async () => {
    let checked = 0;
    for (let p = 0; p < 260; p += 13) {
      const person = (await t.control.get(`/truth/persons/${p}`)).data;
      expect(person.personId).toBe(p);
      for (const ref of person.identities as Ref[]) {
        const owner = await t.control.get('/truth/owner', { params: ref });
        expect(owner.data).toEqual({ personId: p });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('agrees with what the APIs return: OA unionid, MP openid, WeCom external_userid', async () => {
    const apps = await t.apps();
    const access_token = await t.oaToken();
    const openid = (await t.oa.get('/cgi-bin/user/get', { params: { access_token } })).data.data.openid[7];
    const info = (await t.oa.get('/cgi-bin/user/info', { params: { access_token, openid } })).data;
    const byOpenid = (
      await t.control.get('/truth/owner', {
        params: { type: 'oa_openid', scope: apps.officialAccounts[0]!.appId, value: openid },
      })
    ).data;
    const byUnion = (
      await t.control.get('/truth/owner', {
        params: { type: 'unionid', scope: apps.openPlatformId, value: info.unionid },
      })
    ).data;
    expect(byUnion).toEqual(byOpenid);
    const wt = await t.wecomToken();
    const list = (
      await t.wecom.post(`/cgi-bin/externalcontact/batch/get_by_user?access_token=${wt}`, { userid_list: ['nobody'] })
    ).data;
    expect(list.errcode).toBe(40003);
    const users = (await t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', { params: { access_token: wt } }))
      .data.follow_user;
    const contacts = (
      await t.wecom.post(`/cgi-bin/externalcontact/batch/get_by_user?access_token=${wt}`, {
        userid_list: users,
        limit: 100,
      })
    ).data.external_contact_list;
    const withUnion = contacts.find((c: { external_contact: { unionid?: string } }) => c.external_contact.unionid);
    const a = (
      await t.control.get('/truth/owner', {
        params: { type: 'wecom_external_userid', value: withUnion.external_contact.external_userid },
      })
    ).data;
    const b = (
      await t.control.get('/truth/owner', { params: { type: 'unionid', value: withUnion.external_contact.unionid } })
    ).data;
    expect(a).toEqual(b);
  });

  it('pages all persons and streams them as NDJSON', async () => {
    const total = (await t.apps()).persons;
    const page = (await t.control.get('/truth/persons', { params: { from: 0, limit: 100 } })).data;
    expect(page).toMatchObject({ total, next: 100 });
    expect(page.items).toHaveLength(100);
    const last = (await t.control.get('/truth/persons', { params: { from: 200, limit: 10_000 } })).data;
    expect(last.next).toBeNull();
    expect(last.items).toHaveLength(total - 200);
    const stream = await t.control.get('/truth/export', { responseType: 'text' });
    expect(stream.headers['content-type']).toContain('application/x-ndjson');
    const lines = (stream.data as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(total);
    expect(lines[5]).toEqual(page.items[5]);
    const slice = await t.control.get('/truth/export', { params: { from: 10, to: 12 }, responseType: 'text' });
    expect(
      (slice.data as string)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).personId),
    ).toEqual([10, 11]);
  });

  it('reports phones only for persons who have one, and resolves them', async () => {
    const withPhone = (await t.control.get('/truth/persons', { params: { limit: 200 } })).data.items.filter(
      (p: { phone: string | null }) => p.phone,
    );
    expect(withPhone.length).toBeGreaterThan(50);
    expect(withPhone.length).toBeLessThan(150);
    for (const p of withPhone.slice(0, 10)) {
      expect(p.phone).toMatch(/^1[3-9]\d{9}$/);
      expect((await t.control.get('/truth/owner', { params: { type: 'phone', value: p.phone } })).data.personId).toBe(
        p.personId,
      );
    }
  });
});
