import { startTestEmulator, type TestEmulator } from '../../helper';

/** Customer transfers, in service and after departure (wechat-api-wecom-ops.md §5). */
describe('WeCom customer transfers', () => {
  let t: TestEmulator;
  let corpId: string;
  // The clock jumps a day at a time, past the token's 7200 s: each call takes a fresh one.
  const post = async (path: string, body: unknown) =>
    t.wecom.post(`/cgi-bin/externalcontact/${path}?access_token=${await t.wecomToken(0, 'contact')}`, body);
  const staff = async (userid: string) =>
    ((await t.control.get(`/state/wecom/${corpId}/staff`)).data.staff as { userid: string; customers: number }[]).find(
      (s) => s.userid === userid,
    )!;
  const addMember = async (userid: string) => (await t.control.post(`/wecom/${corpId}/staff`, { userid })).data;
  const addCustomers = async (userid: string, n: number): Promise<string[]> => {
    const out: string[] = [];
    for (let i = 0; i < n; i++)
      out.push((await t.control.post(`/wecom/${corpId}/contacts`, { followers: [{ userid }] })).data.externalUserId);
    return out;
  };

  beforeAll(async () => {
    t = await startTestEmulator({ wecomStaff: 2, wecomContacts: 0 });
    corpId = (await t.apps()).corps[0]!.corpId;
  });
  afterAll(() => t.close());

  it('checks the request: members, ≤ 100 customers, per-customer errcodes with a top-level 0', async () => {
    await addMember('xf_a');
    await addMember('xf_b');
    const [mine] = await addCustomers('xf_a', 1);
    const [theirs] = await addCustomers('xf_b', 1);
    expect(
      (await post('transfer_customer', { handover_userid: 'nobody', takeover_userid: 'xf_b', external_userid: [mine] }))
        .data.errcode,
    ).toBe(60111);
    expect(
      (await post('transfer_customer', { handover_userid: 'xf_a', takeover_userid: 'xf_b', external_userid: [] })).data
        .errcode,
    ).toBe(41035);
    const many = Array.from({ length: 101 }, () => mine);
    expect(
      (await post('transfer_customer', { handover_userid: 'xf_a', takeover_userid: 'xf_b', external_userid: many }))
        .data.errcode,
    ).toBe(40058);
    const r = (
      await post('transfer_customer', {
        handover_userid: 'xf_a',
        takeover_userid: 'xf_b',
        external_userid: [mine, theirs, 'wmNotACustomer'],
        transfer_success_msg: '后续由同事为您服务',
      })
    ).data;
    expect(r).toMatchObject({ errcode: 0 });
    expect(r.customer).toEqual([
      { external_userid: mine, errcode: 0 },
      { external_userid: theirs, errcode: 40131 },
      { external_userid: 'wmNotACustomer', errcode: 40096 },
    ]);
    // Already in the flow.
    const again = (
      await post('transfer_customer', { handover_userid: 'xf_a', takeover_userid: 'xf_b', external_userid: [mine] })
    ).data;
    expect(again.customer[0].errcode).toBe(40129);
  });

  it('waits 24 h on the emulator clock, then moves the relation; a refusal within the window keeps it', async () => {
    await addMember('xf_c');
    await addMember('xf_d');
    const [stay, move] = await addCustomers('xf_c', 2);
    await post('transfer_customer', {
      handover_userid: 'xf_c',
      takeover_userid: 'xf_d',
      external_userid: [stay, move],
    });
    const waiting = (await post('transfer_result', { handover_userid: 'xf_c', takeover_userid: 'xf_d' })).data;
    expect(waiting.customer.map((c: { status: number }) => c.status)).toEqual([2, 2]);
    expect(waiting.customer[0].takeover_time).toBeGreaterThan((await t.control.get('/clock')).data.now);
    const refused = await t.control.post(`/wecom/${corpId}/transfers/refuse`, { externalUserId: stay });
    expect(refused.data).toMatchObject({ status: 3, takeoverTime: 0 });
    await t.advance(24 * 3600 + 1);
    const done = (await post('transfer_result', { handover_userid: 'xf_c', takeover_userid: 'xf_d' })).data;
    expect(
      done.customer.map((c: { external_userid: string; status: number }) => [c.external_userid, c.status]),
    ).toEqual([
      [stay, 3],
      [move, 1],
    ]);
    expect(done.next_cursor).toBe('');
    expect((await staff('xf_c')).customers).toBe(1);
    expect((await staff('xf_d')).customers).toBe(1);
    const rel = (await t.control.get(`/state/wecom/${corpId}/relations`, { params: { external_userid: move } })).data;
    expect(JSON.stringify(rel)).toContain('xf_d');
    expect(JSON.stringify(rel)).not.toContain('xf_c');
  });

  it('allows an in-service customer two transfers in 90 days (40128 on the third)', async () => {
    await addMember('xf_e');
    await addMember('xf_f');
    const [c] = await addCustomers('xf_e', 1);
    for (const [from, to] of [
      ['xf_e', 'xf_f'],
      ['xf_f', 'xf_e'],
    ]) {
      const r = (await post('transfer_customer', { handover_userid: from, takeover_userid: to, external_userid: [c] }))
        .data;
      expect(r.customer[0].errcode).toBe(0);
      await t.advance(24 * 3600 + 1);
      await post('transfer_result', { handover_userid: from, takeover_userid: to });
    }
    const third = (
      await post('transfer_customer', { handover_userid: 'xf_e', takeover_userid: 'xf_f', external_userid: [c] })
    ).data;
    expect(third.customer[0].errcode).toBe(40128);
  });

  it('ends with status 4 when the takeover is at its customer limit', async () => {
    await addMember('xf_g');
    await addMember('xf_h');
    const [c] = await addCustomers('xf_g', 1);
    await addCustomers('xf_h', 1);
    await t.control.patch(`/wecom/${corpId}/staff/xf_h/customer-limit`, { limit: 1 });
    await post('transfer_customer', { handover_userid: 'xf_g', takeover_userid: 'xf_h', external_userid: [c] });
    await t.advance(24 * 3600 + 1);
    const settled = (await t.control.post(`/wecom/${corpId}/transfers/settle`, {})).data.settled;
    expect(settled.filter((o: { externalUserId: string }) => o.externalUserId === c)).toEqual([
      expect.objectContaining({ status: 4, outcome: 'limit' }),
    ]);
    expect((await staff('xf_g')).customers).toBe(1);
  });

  it('lists a departed member’s customers as unassigned (cursor paging) and hands them over with resigned/transfer_customer', async () => {
    await addMember('xf_left');
    await addMember('xf_heir');
    const customers = await addCustomers('xf_left', 3);
    expect(
      (
        await post('resigned/transfer_customer', {
          handover_userid: 'xf_left',
          takeover_userid: 'xf_heir',
          external_userid: customers,
        })
      ).data.errcode,
    ).toBe(40097);
    await t.control.post(`/wecom/${corpId}/staff/xf_left/leave`, {});
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const page = (await post('get_unassigned_list', { page_size: 2, cursor })).data;
      expect(page.errcode).toBe(0);
      seen.push(...page.info.map((i: { external_userid: string }) => i.external_userid));
      expect(page.info[0]).toMatchObject({ handover_userid: 'xf_left', dimission_time: expect.any(Number) });
      if (page.is_last) {
        expect(page.next_cursor).toBe('');
        break;
      }
      cursor = page.next_cursor;
    }
    expect(seen).toEqual(customers);
    expect((await post('get_unassigned_list', { page_size: 1001 })).data.errcode).toBe(40058);
    const r = (
      await post('resigned/transfer_customer', {
        handover_userid: 'xf_left',
        takeover_userid: 'xf_heir',
        external_userid: customers,
      })
    ).data;
    expect(r.customer.map((c: { errcode: number }) => c.errcode)).toEqual([0, 0, 0]);
    expect((await post('get_unassigned_list', {})).data.info).toEqual([]);
    await t.advance(24 * 3600 + 1);
    const result = (await post('resigned/transfer_result', { handover_userid: 'xf_left', takeover_userid: 'xf_heir' }))
      .data;
    expect(result.customer.map((c: { status: number }) => c.status)).toEqual([1, 1, 1]);
    expect((await staff('xf_heir')).customers).toBe(3);
  });
});
