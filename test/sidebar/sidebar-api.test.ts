import { createHash } from 'crypto';
import { execute } from '../../src/storage/sql';
import { tagWorkers } from '../../src/tags/tags-services.factory';
import { useTestDatabase } from '../helpers/describe-db';
import { CookieJar } from '../integration/h5-harness';
import { startSidebar, type SidebarHarness } from './sidebar-harness';

describe('sidebar API (/sidebar/api/...) through the real app and the emulator', () => {
  const db = useTestDatabase();
  let h: SidebarHarness;
  let alice: CookieJar;
  /** The account's configured `name` for an appId / corpId, null without one. */
  const configuredName = (scope: string): string | null => {
    const a = h.config.accounts.find(
      (x) => ('appId' in x && x.appId === scope) || ('corpId' in x && x.corpId === scope),
    );
    return a && 'name' in a && typeof a.name === 'string' ? a.name : null;
  };

  beforeAll(async () => {
    h = await startSidebar(db);
    alice = (await h.login('alice')).jar;
  });
  afterAll(() => h.close());

  it('refuses a request without a session (401), with a forged cookie (401), and a customer alice does not follow (403)', async () => {
    const none = await h.api(`/customers/${h.mine.externalUserId}`);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'SESSION_REQUIRED', message: expect.any(String) } });

    const real = alice.get('siyu_sidebar')!;
    const [payload] = real.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, u: 'bob' })).toString('base64url');
    for (const cookie of [`${forgedPayload}.${real.split('.')[1]}`, 'not-a-token', `${payload}.${'A'.repeat(43)}`]) {
      const forged = await h.request(`/sidebar/api/customers/${h.mine.externalUserId}`, {
        headers: { cookie: `siyu_sidebar=${cookie}` },
      });
      expect(forged.status).toBe(401);
      expect(forged.body.error.code).toBe('SESSION_INVALID');
    }

    const theirs = await h.api(`/customers/${h.theirs.externalUserId}`, { jar: alice });
    expect(theirs.status).toBe(403);
    expect(theirs.body).toEqual({ error: { code: 'NOT_YOUR_CUSTOMER', message: expect.stringContaining('alice') } });
    const tagTheirs = await h.api(`/customers/${h.theirs.externalUserId}/tags`, {
      jar: alice,
      method: 'POST',
      json: { tagIds: ['1'] },
    });
    expect(tagTheirs.status).toBe(403);
  });

  it("lists the customer's latest orders, newest paid first, amounts in fen", async () => {
    const customerId = (await h.api(`/customers/${h.mine.externalUserId}`, { jar: alice })).body.id as string;
    const insert =
      'INSERT INTO transactions (mch_id, out_trade_no, amount_total, state, customer_id, success_time, refunded_total) VALUES (?, ?, ?, ?, ?, ?, ?)';
    await execute(db.ds, insert, [
      '1900000001',
      'SY-OLD-1',
      9900,
      'SUCCESS',
      customerId,
      new Date('2026-01-02T03:04:05Z'),
      0,
    ]);
    await execute(db.ds, insert, [
      '1900000001',
      'SY-NEW-2',
      12800,
      'REFUND',
      customerId,
      new Date('2026-02-03T04:05:06Z'),
      2800,
    ]);
    const res = await h.api(`/customers/${h.mine.externalUserId}`, { jar: alice });
    expect(res.body.orders).toEqual([
      {
        outTradeNo: 'SY-NEW-2',
        amountFen: 12800,
        refundedFen: 2800,
        state: 'REFUND',
        paidAt: '2026-02-03T04:05:06.000Z',
        createdAt: expect.any(String),
      },
      {
        outTradeNo: 'SY-OLD-1',
        amountFen: 9900,
        refundedFen: 0,
        state: 'SUCCESS',
        paidAt: '2026-01-02T03:04:05.000Z',
        createdAt: expect.any(String),
      },
    ]);
    await execute(db.ds, 'DELETE FROM transactions WHERE customer_id = ?', [customerId]);
  });

  it('answers an external_userid no customer holds exactly as one alice does not follow (no probing for customers)', async () => {
    const theirs = await h.api(`/customers/${h.theirs.externalUserId}`, { jar: alice });
    expect(theirs.status).toBe(403);
    for (const ext of ['wmUnknownCustomer0000000000000000', 'x'.repeat(65), 'a%20b']) {
      const res = await h.api(`/customers/${ext}`, { jar: alice });
      expect({ status: res.status, body: res.body }).toEqual({ status: theirs.status, body: theirs.body });
      const tag = await h.api(`/customers/${ext}/tags`, { jar: alice, method: 'POST', json: { tagIds: ['1'] } });
      expect({ status: tag.status, body: tag.body }).toEqual({ status: theirs.status, body: theirs.body });
    }
  });

  it('tells the page who is signed in: the staff name (else the userid) and the corp', async () => {
    const res = await h.api('/session', { jar: alice });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ corpId: h.corpId, userid: 'alice', name: 'alice', corpName: configuredName(h.corpId) });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('shows a followed customer as the admin API does, phone masked, with name, orders and account names', async () => {
    const res = await h.api(`/customers/${h.mine.externalUserId}`, { jar: alice });
    expect(res.status).toBe(200);
    const admin = await h.request(`/api/v1/customers/${res.body.id}`, { bearer: h.adminKey });
    const { phone: adminPhone, follows: adminFollows, ...adminRest } = admin.body;
    const { phone, follows, orders, accountNames, firstChannel, fields, ...rest } = res.body;
    expect(fields).toEqual([]);
    expect(rest).toEqual({ ...adminRest, name: adminRest.name ?? '王小明' });
    // The channel that first brought the customer, for the card's header: none here.
    expect(firstChannel).toBeNull();
    expect(follows).toEqual(
      adminFollows.map((f: Record<string, unknown>) => ({ ...f, staffName: f.staffName ?? null })),
    );
    expect(orders).toEqual([]);
    const named = Object.fromEntries(
      res.body.identities
        .map((i: { scope: string }) => [i.scope, configuredName(i.scope)])
        .filter(([, n]: [string, string | null]) => n !== null),
    );
    expect(accountNames).toMatchObject(named);
    expect(phone === null || /\*{4}/.test(phone)).toBe(true);
    if (adminPhone !== null) expect(phone).not.toBe(adminPhone);
    expect(res.body.displayName).toBe('王小明');
    expect(res.body.identities).toEqual(
      expect.arrayContaining([
        { type: 'wecom_external_userid', scope: h.corpId, value: h.mine.externalUserId, scopeName: '示例品牌有限公司' },
      ]),
    );
    expect(res.body.follows).toEqual([
      expect.objectContaining({ staffUserId: 'alice', staffName: 'alice', remark: '老客户', deleted: false }),
    ]);
  });

  it('signs wx.config with the corp ticket and wx.agentConfig with the app ticket (§5.12, checked independently)', async () => {
    const page = `${h.url}/sidebar?corpId=${h.corpId}`;
    const res = await h.api(`/jssdk-config?url=${encodeURIComponent(`${page}#frag`)}`, { jar: alice });
    expect(res.status).toBe(200);
    const { config, agentConfig, jsSdkUrls } = res.body;
    const account = h.config.accounts.find((a) => a.kind === 'wecom')! as { agentId: number; jsSdkUrl: string };
    expect(config).toEqual({
      beta: true,
      appId: h.corpId,
      timestamp: expect.any(Number),
      nonceStr: expect.stringMatching(/^\w{16}$/),
      signature: expect.stringMatching(/^[0-9a-f]{40}$/),
      jsApiList: expect.any(Array),
    });
    expect(agentConfig).toEqual({
      corpid: h.corpId,
      agentid: account.agentId,
      timestamp: expect.any(Number),
      nonceStr: expect.stringMatching(/^\w{16}$/),
      signature: expect.stringMatching(/^[0-9a-f]{40}$/),
      jsApiList: expect.arrayContaining(['getContext', 'getCurExternalContact']),
    });
    expect(jsSdkUrls).toEqual([account.jsSdkUrl]);

    const tickets = [...h.emu.state.tickets.all.values()];
    const corpTicket = tickets.find((t) => t.kind === 'wecom-corp' && t.owner === h.corpId)!.value;
    const agentTicket = tickets.find(
      (t) => t.kind === 'wecom-agent' && t.owner === `${h.corpId}|${account.agentId}`,
    )!.value;
    const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
    expect(config.signature).toBe(
      sha1(`jsapi_ticket=${corpTicket}&noncestr=${config.nonceStr}&timestamp=${config.timestamp}&url=${page}`),
    );
    expect(agentConfig.signature).toBe(
      sha1(
        `jsapi_ticket=${agentTicket}&noncestr=${agentConfig.nonceStr}&timestamp=${agentConfig.timestamp}&url=${page}`,
      ),
    );

    // The emulator's client check agrees; an agentConfig signed with the corp ticket is WeChat's 42012.
    const check = (body: Record<string, unknown>) =>
      fetch(`${h.emu.url}/_emulator/jssdk/check`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
    const claim = { corpid: h.corpId, url: page };
    expect(
      await check({
        ...claim,
        kind: 'config',
        noncestr: config.nonceStr,
        timestamp: config.timestamp,
        signature: config.signature,
      }),
    ).toEqual({ ok: true });
    expect(
      await check({
        ...claim,
        kind: 'agentConfig',
        agentid: account.agentId,
        noncestr: agentConfig.nonceStr,
        timestamp: agentConfig.timestamp,
        signature: agentConfig.signature,
      }),
    ).toEqual({ ok: true });
    expect(
      await check({
        ...claim,
        kind: 'agentConfig',
        agentid: account.agentId,
        noncestr: config.nonceStr,
        timestamp: config.timestamp,
        signature: config.signature,
      }),
    ).toMatchObject({ ok: false, errcode: 42012 });
    expect(
      await check({
        ...claim,
        kind: 'agentConfig',
        agentid: account.agentId,
        noncestr: 'x',
        timestamp: 1,
        signature: 'f'.repeat(40),
      }),
    ).toMatchObject({ ok: false, errcode: 63002 });
  });

  it('signs only pages of this gateway', async () => {
    for (const url of ['https://evil.example/sidebar', 'javascript:alert(1)', '', '/sidebar']) {
      const res = await h.api(`/jssdk-config?url=${encodeURIComponent(url)}`, { jar: alice });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('URL_NOT_ALLOWED');
    }
  });

  const remoteTags = async (): Promise<string[]> => {
    const res = await h.control.get(`/state/wecom/${h.corpId}/relations`, {
      params: { userid: 'alice', external_userid: h.mine.externalUserId },
    });
    return (res.data.relations as { tags: { name: string }[] }[]).flatMap((r) => r.tags.map((t) => t.name));
  };

  it('adds and removes a tag as alice: the same manual assignment, audit entry and outbox push as the admin API', async () => {
    const created = await h.request('/api/v1/tags', {
      bearer: h.adminKey,
      method: 'POST',
      json: { name: '高意向', bindings: [{ channel: 'wecom', corpId: h.corpId }] },
    });
    expect(created.status).toBe(201);
    const tagId = created.body.id as string;
    const catalog = await h.api('/tags', { jar: alice });
    expect(catalog.body.items).toEqual(
      expect.arrayContaining([{ id: tagId, name: '高意向', groupId: null, groupName: null, boundToCorp: true }]),
    );

    const noCsrf = await h.api(`/customers/${h.mine.externalUserId}/tags`, {
      jar: alice,
      method: 'POST',
      json: { tagIds: [tagId] },
      csrf: false,
    });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('CSRF_HEADER_REQUIRED');
    for (const bad of [{}, { tagIds: [] }, { tagIds: ['x'] }, { tagIds: 'abc' }]) {
      expect(
        (await h.api(`/customers/${h.mine.externalUserId}/tags`, { jar: alice, method: 'POST', json: bad })).status,
      ).toBe(422);
    }
    expect(
      (
        await h.api(`/customers/${h.mine.externalUserId}/tags`, {
          jar: alice,
          method: 'POST',
          json: { tagIds: ['999999'] },
        })
      ).status,
    ).toBe(404);

    const added = await h.api(`/customers/${h.mine.externalUserId}/tags`, {
      jar: alice,
      method: 'POST',
      json: { tagIds: [tagId] },
    });
    expect(added.status).toBe(200);
    expect(added.body.tags).toEqual([{ id: tagId, name: '高意向', source: 'manual', groupName: null }]);
    const customerId = added.body.customerId as string;
    const [assignment] = await db.ds.query(
      'SELECT source, assigned_by FROM customer_tags WHERE customer_id = ? AND tag_id = ?',
      [customerId, tagId],
    );
    expect(assignment).toEqual({ source: 'manual', assigned_by: 'wecom:alice' });
    const outbox = await db.ds.query("SELECT op_key FROM outbox WHERE channel = 'wecom'");
    expect(outbox.map((r: { op_key: string }) => r.op_key)).toContain(
      `wecom:${h.corpId}:alice:${h.mine.externalUserId}`,
    );
    const audit = await h.request(`/api/v1/audit?targetId=${customerId}`, { bearer: h.adminKey });
    expect(audit.body.items[0]).toMatchObject({
      actor: 'wecom:alice',
      role: 'staff',
      action: 'customer.tags.add',
      targetType: 'customer',
      targetId: customerId,
    });
    // The outbox worker makes WeChat match: the corp tag is created and marked on alice's relation.
    const pusher = tagWorkers(h.app, h.app.clients).pusher;
    await pusher.drain();
    expect(await remoteTags()).toEqual(['高意向']);

    const removed = await h.api(`/customers/${h.mine.externalUserId}/tags/${tagId}`, { jar: alice, method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(removed.body.tags).toEqual([]);
    const audit2 = await h.request(`/api/v1/audit?targetId=${customerId}`, { bearer: h.adminKey });
    expect(audit2.body.items[0]).toMatchObject({ actor: 'wecom:alice', action: 'customer.tags.remove' });
    await pusher.drain();
    expect(await remoteTags()).toEqual([]);
    expect(
      (await h.api(`/customers/${h.mine.externalUserId}/tags/${tagId}`, { jar: alice, method: 'DELETE', csrf: false }))
        .status,
    ).toBe(403);
    expect(
      (await h.api(`/customers/${h.theirs.externalUserId}/tags/${tagId}`, { jar: alice, method: 'DELETE' })).status,
    ).toBe(403);
  });

  it("carries the customer's consents, as the admin API shows them, so the card can say the marketing answer", async () => {
    const customerId = (await h.api(`/customers/${h.mine.externalUserId}`, { jar: alice })).body.id as string;
    for (const json of [
      { purpose: 'marketing', granted: true, source: 'crm', at: '2026-01-02T03:04:05.000Z' },
      { purpose: 'marketing', channel: 'wecom', granted: false, source: 'console', at: '2026-02-03T04:05:06.000Z' },
    ]) {
      const recorded = await h.request(`/api/v1/customers/${customerId}/consents`, {
        bearer: h.adminKey,
        method: 'POST',
        json,
      });
      expect(recorded.status).toBe(201);
    }
    const res = await h.api(`/customers/${h.mine.externalUserId}`, { jar: alice });
    expect(res.status).toBe(200);
    expect(res.body.consents).toEqual([
      { purpose: 'marketing', channel: null, granted: true, source: 'crm', at: '2026-01-02T03:04:05.000Z' },
      { purpose: 'marketing', channel: 'wecom', granted: false, source: 'console', at: '2026-02-03T04:05:06.000Z' },
    ]);
    const admin = await h.request(`/api/v1/customers/${customerId}`, { bearer: h.adminKey });
    expect(res.body.consents).toEqual(admin.body.consents);
  });

  it('answers unknown sidebar API paths with the JSON 404', async () => {
    const res = await h.api('/nope', { jar: alice });
    expect(res.status).toBe(404);
    expect(res.body.error).toBeDefined();
  });
});
