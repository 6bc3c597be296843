import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { useTestDatabase } from '../helpers/describe-db';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

/**
 * WeCom remark write-back (DESIGN §10.4) through the running gateway: the PATCH queues an outbox row, the outbox
 * worker calls externalcontact/remark on the emulator, and the stored relation takes the remark once WeChat accepted.
 */
describe('remark write-back through the outbox', () => {
  const db = useTestDatabase();
  let world: World;
  let gw: RunningGateway;
  let key: string;
  let viewer: string;
  let corpId: string;
  let staff: string;
  let ext: string;
  let customerId: string;
  const api = async (p: string, init: { method?: string; json?: unknown; key?: string } = {}) => {
    const res = await fetch(`${gw.url}/api/v1${p}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.key ?? key}`, 'content-type': 'application/json' },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const emulatorRelation = () => {
    const corp = world.emulator.state.world.corp(corpId)!;
    return corp.relationsBySlot[corp.slotOf(ext)]!.find((r) => r.staff.userid === staff)!;
  };
  const storedRemark = async () =>
    (
      await select<{ remark: string | null; description: string | null }>(
        db.ds,
        'SELECT remark, description FROM wecom_follows WHERE external_userid = ? AND staff_userid = ?',
        [ext, staff],
      )
    )[0];

  beforeAll(async () => {
    world = await startWorld(db.url);
    gw = await gateway(world.config);
    corpId = world.apps.corps[0]!.corpId;
    await world.control(`/apps/${corpId}`, { url: `${gw.url}/wechat/wecom/${corpId}` }, 'PATCH');
    const keys = new ApiKeyService(db.ds);
    key = (await keys.create('remark-e2e', 'operator')).key;
    viewer = (await keys.create('remark-viewer', 'viewer')).key;
    staff = world.emulator.state.world.corp(corpId)!.staff.find((s) => s.contactFeature)!.userid;
    ext = (
      await world.control(`/wecom/${corpId}/contacts`, { personId: 5, followers: [{ userid: staff }], notify: true })
    ).externalUserId as string;
    customerId = await waitFor(
      async () =>
        (
          await select<{ customer_id: string }>(
            db.ds,
            'SELECT customer_id FROM wecom_follows WHERE external_userid = ?',
            [ext],
          )
        )[0]?.customer_id,
    );
  });
  afterAll(async () => {
    await gw.stop();
    await world.close();
  });

  it('stores the profile fields WeCom gives (gender, company, position) as wechat values on the customer', async () => {
    const corp = world.emulator.state.world.corp(corpId)!;
    const gender = ({ 0: '未知', 1: '男', 2: '女' } as Record<number, string>)[corp.gender(corp.slotOf(ext))];
    const profile = await waitFor(async () => {
      const p = (await api(`/customers/${customerId}`)).body;
      return p.attributes['wecom.gender'] ? p : undefined;
    });
    expect(profile.attributes['wecom.gender']).toBe(gender);
    expect(profile.attributeSources['wecom.gender']).toMatchObject({ source: 'wechat' });
    const defs = (await api('/attributes')).body.items.map((d: { key: string }) => d.key);
    expect(defs).toContain('wecom.gender');
  });

  it('refuses viewers, WeChat-breaking input and relations the customer does not have', async () => {
    const path = `/customers/${customerId}/follows/${corpId}/${staff}`;
    expect((await api(path, { method: 'PATCH', key: viewer, json: { remark: 'x' } })).status).toBe(403);
    for (const json of [
      {},
      { remark: 'x'.repeat(21) },
      { description: 'x'.repeat(151) },
      { remark: 'a', tags: [] },
      { remarkMobiles: ['abc'] },
    ]) {
      const r = await api(path, { method: 'PATCH', json });
      expect(r.status).toBe(422);
    }
    expect(
      (await api(`/customers/${customerId}/follows/${corpId}/nobody`, { method: 'PATCH', json: { remark: 'x' } }))
        .status,
    ).toBe(404);
    expect((await select(db.ds, "SELECT id FROM outbox WHERE channel = 'wecom-remark'")).length).toBe(0);
  });

  it('queues the remark, WeChat gets it, and the relation shows it once WeChat accepted', async () => {
    const r = await api(`/customers/${customerId}/follows/${corpId}/${staff}`, {
      method: 'PATCH',
      json: { remark: '王女士-户外', description: '两个孩子，喜欢露营', remarkMobiles: ['13800001111'] },
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ customerId, corpId, userid: staff, externalUserId: ext, status: 'queued' });
    await waitFor(async () => (emulatorRelation().remark === '王女士-户外' ? true : undefined));
    expect(emulatorRelation()).toMatchObject({ description: '两个孩子，喜欢露营', remarkMobiles: ['13800001111'] });
    await waitFor(async () => ((await storedRemark())?.remark === '王女士-户外' ? true : undefined));
    expect(await storedRemark()).toEqual({ remark: '王女士-户外', description: '两个孩子，喜欢露营' });
    const profile = await api(`/customers/${customerId}`);
    expect(profile.body.follows.find((f: { staffUserId: string }) => f.staffUserId === staff).remark).toBe(
      '王女士-户外',
    );
    const [row] = await select<{ status: string }>(db.ds, "SELECT status FROM outbox WHERE channel = 'wecom-remark'");
    expect(row!.status).toBe('done');
    const audit = await select<{ details: string }>(
      db.ds,
      "SELECT details FROM audit_log WHERE action = 'customer.follow.remark'",
    );
    expect(JSON.parse(audit[0]!.details)).toMatchObject({
      corpId,
      userid: staff,
      new: { remark: '王女士-户外', remarkMobiles: 1 },
    });
  });

  const remarkRow = async (externalUserId: string) =>
    (
      await select<{ status: string; attempts: number; last_errcode: number | null }>(
        db.ds,
        "SELECT status, attempts, last_errcode FROM outbox WHERE channel = 'wecom-remark' AND op_key LIKE ? ORDER BY id DESC",
        [`%${externalUserId}%`],
      )
    )[0];

  it('ends the row dead with the errcode when WeChat refuses (the relation gone on WeChat), the stored remark unchanged', async () => {
    const other = (
      await world.control(`/wecom/${corpId}/contacts`, { personId: 6, followers: [{ userid: staff }], notify: true })
    ).externalUserId as string;
    const otherId = await waitFor(
      async () =>
        (
          await select<{ customer_id: string }>(
            db.ds,
            'SELECT customer_id FROM wecom_follows WHERE external_userid = ?',
            [other],
          )
        )[0]?.customer_id,
    );
    // The member deletes the customer in WeCom and no callback reaches Siyu: Siyu still holds the relation.
    await world.control(`/wecom/${corpId}/relations/delete`, { userid: staff, externalUserId: other, by: 'member' });
    const r = await api(`/customers/${otherId}/follows/${corpId}/${staff}`, {
      method: 'PATCH',
      json: { remark: '李先生' },
    });
    expect(r.status).toBe(202);
    const row = await waitFor(async () => {
      const x = await remarkRow(other);
      return x?.status === 'dead' ? x : undefined;
    });
    expect(row).toEqual({ status: 'dead', attempts: 1, last_errcode: 84061 });
    const [stored] = await select<{ remark: string | null }>(
      db.ds,
      'SELECT remark FROM wecom_follows WHERE external_userid = ? AND staff_userid = ?',
      [other, staff],
    );
    expect(stored!.remark).toBeNull();
    const dead = (await api('/outbox?status=dead&channel=wecom-remark')).body.items as { opKey: string }[];
    expect(dead.some((d) => d.opKey.includes(other))).toBe(true);
  });

  it('retries a temporary failure (-1) with backoff and lands the remark once WeChat answers again', async () => {
    await world.control('/chaos', {
      seed: 1,
      latencyMs: 0,
      rules: [{ api: 'qyapi.weixin.qq.com/cgi-bin/externalcontact/remark', errcode: -1, rate: 1 }],
    });
    try {
      const r = await api(`/customers/${customerId}/follows/${corpId}/${staff}`, {
        method: 'PATCH',
        json: { remark: '王女士-重试' },
      });
      expect(r.status).toBe(202);
      const failed = await waitFor(async () => {
        const x = await remarkRow(ext);
        return x && x.status === 'pending' && x.attempts >= 1 ? x : undefined;
      });
      expect(failed.last_errcode).toBe(-1);
      expect(emulatorRelation().remark).toBe('王女士-户外');
    } finally {
      await world.control('/chaos', { seed: 1, latencyMs: 0, rules: [] });
    }
    await waitFor(async () => ((await remarkRow(ext))?.status === 'done' ? true : undefined));
    expect(emulatorRelation().remark).toBe('王女士-重试');
    expect((await storedRemark())?.remark).toBe('王女士-重试');
    expect((await remarkRow(ext))!.attempts).toBeGreaterThanOrEqual(2);
  });

  it('clears the remark alone by sending the description along (WeChat refuses an all-empty call)', async () => {
    const r = await api(`/customers/${customerId}/follows/${corpId}/${staff}`, {
      method: 'PATCH',
      json: { remark: '' },
    });
    expect(r.status).toBe(202);
    await waitFor(async () => ((await storedRemark())?.remark === null ? true : undefined));
    expect(emulatorRelation()).toMatchObject({ remark: '', description: '两个孩子，喜欢露营' });
  });
});
