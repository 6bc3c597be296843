import { parseArgs } from '../../src/cli/args';
import { pushTagsCommand } from '../../src/cli/commands/push-tags.command';
import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { silentLogger } from '../../src/logger';
import { tagServices } from '../../src/tags/tags-services.factory';
import { useTestDatabase } from '../helpers/describe-db';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

/**
 * Tag pushes through the real gateway (startGateway with its background workers): the tags worker pushes as soon
 * as an assignment commits; WeCom callbacks reach the tags module through the inbox processor (change_external_tag)
 * and the syncs' relation re-read (edit_external_contact); `siyu push-tags` drains what is left.
 */
describe('tags through the running gateway', () => {
  const db = useTestDatabase();
  let world: World;
  let gw: RunningGateway;
  let key: string;
  let corpId: string;
  const api = async (p: string, init: { method?: string; json?: unknown } = {}) => {
    const res = await fetch(`${gw.url}/api/v1${p}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const relationTagIds = (ext: string, userid: string) => {
    const corp = world.emulator.state.world.corp(corpId)!;
    return corp.relationsBySlot[corp.slotOf(ext)]!.find((r) => r.staff.userid === userid)!.tags.map(
      (n) => corp.tags.tag(n)!.id,
    );
  };

  beforeAll(async () => {
    world = await startWorld(db.url);
    gw = await gateway(world.config);
    corpId = world.apps.corps[0]!.corpId;
    await world.control(`/apps/${corpId}`, { url: `${gw.url}/wechat/wecom/${corpId}` }, 'PATCH');
    key = (await new ApiKeyService(db.ds).create('tags-e2e', 'operator')).key;
  });
  afterAll(async () => {
    await gw.stop();
    await world.close();
  });

  it('pushes an assignment without being asked, and turns a tag a staff member adds in WeCom into an assignment', async () => {
    const staff = world.emulator.state.world.corp(corpId)!.staff.find((s) => s.contactFeature)!.userid;
    const added = await world.control(`/wecom/${corpId}/contacts`, {
      personId: 4,
      followers: [{ userid: staff }],
      notify: true,
    });
    const ext = added.externalUserId as string;
    const customerId = await waitFor(
      async () =>
        (
          await select<{ customer_id: string }>(
            db.ds,
            'SELECT customer_id FROM wecom_follows WHERE external_userid = ?',
            [ext],
          )
        )[0]?.customer_id,
    );

    const vip = (
      await api('/tags', { method: 'POST', json: { name: 'VIP', bindings: [{ channel: 'wecom', corpId }] } })
    ).body;
    const lead = (
      await api('/tags', { method: 'POST', json: { name: 'Lead', bindings: [{ channel: 'wecom', corpId }] } })
    ).body;
    expect(
      (await api(`/customers/${customerId}/tags`, { method: 'POST', json: { tagIds: [vip.id, lead.id] } })).status,
    ).toBe(200);
    await waitFor(async () => relationTagIds(ext, staff).length === 2);
    await api(`/customers/${customerId}/tags/${lead.id}`, { method: 'DELETE' });
    const [vipRemote] = (await api(`/tags/${vip.id}`)).body.bindings.map((b: { remoteTagId: string }) => b.remoteTagId);
    const [leadRemote] = (await api(`/tags/${lead.id}`)).body.bindings.map(
      (b: { remoteTagId: string }) => b.remoteTagId,
    );
    await waitFor(async () => relationTagIds(ext, staff).join() === vipRemote);

    // The staff member puts "Lead" back in the WeCom client; WeCom sends edit_external_contact.
    const corp = world.emulator.state.world.corp(corpId)!;
    corp.relationsBySlot[corp.slotOf(ext)]![0]!.tags.push(corp.tags.liveTag(leadRemote).num);
    const edit = await world.control(`/callbacks/wecom/${corpId}/external-contact`, {
      changeType: 'edit_external_contact',
      userId: staff,
      externalUserId: ext,
    });
    expect(edit.delivery.delivered).toBe(true);
    const row = await waitFor(
      async () =>
        (
          await select<{ source: string; assigned_by: string }>(
            db.ds,
            'SELECT source, assigned_by FROM customer_tags WHERE customer_id = ? AND tag_id = ?',
            [customerId, lead.id],
          )
        )[0],
    );
    expect(row).toEqual({ source: 'wechat', assigned_by: `wecom:${staff}` });
    expect((await api(`/tags/${lead.id}`)).body.bindings[0].stats).toMatchObject({ desired: 1, pushed: 1, pending: 0 });
  });

  it('re-reads the corp tag library when WeCom reports a tag change', async () => {
    const gone = (
      await api('/tags', { method: 'POST', json: { name: 'Gone soon', bindings: [{ channel: 'wecom', corpId }] } })
    ).body;
    const person = (await select<{ customer_id: string }>(db.ds, 'SELECT customer_id FROM wecom_follows LIMIT 1'))[0]!
      .customer_id;
    await api(`/tags/${gone.id}/assign`, { method: 'POST', json: { customerIds: [person] } });
    const remote = await waitFor(
      async () => (await api(`/tags/${gone.id}`)).body.bindings[0].remoteTagId as string | null,
    );
    const corp = world.emulator.state.world.corp(corpId)!;
    corp.stripTags(corp.tags.delete([remote], []));
    const cb = await world.control(`/callbacks/wecom/${corpId}/external-tag`, {
      id: remote,
      tagType: 'tag',
      changeType: 'delete',
    });
    expect(cb.delivery.delivered).toBe(true);
    // Deleted in WeCom: the tag leaves the catalog with its assignment, audited as done by wechat.
    await waitFor(async () => ((await api(`/tags/${gone.id}`)).status === 404 ? true : undefined));
    expect(await select(db.ds, 'SELECT customer_id FROM customer_tags WHERE tag_id = ?', [gone.id])).toEqual([]);
    const audit = await select<{ actor: string }>(
      db.ds,
      "SELECT actor FROM audit_log WHERE action = 'tag.delete' AND target_id = ?",
      [gone.id],
    );
    expect(audit.map((a) => a.actor)).toEqual(['wechat']);
  });

  it('siyu push-tags drains the outbox and reports the queue', async () => {
    const vip = (
      await api('/tags', { method: 'POST', json: { name: 'From the CLI', bindings: [{ channel: 'wecom', corpId }] } })
    ).body;
    const people = await select<{ customer_id: string; staff_userid: string; external_userid: string }>(
      db.ds,
      'SELECT customer_id, staff_userid, external_userid FROM wecom_follows ORDER BY id',
    );
    await gw.stop();
    const services = tagServices({ ds: db.ds, config: world.config, logger: silentLogger(), now: () => Date.now() });
    const outcome = await services.assignments.assign(
      vip.id,
      people.map((p) => p.customer_id),
      { name: 'cli-test' },
    );
    expect(outcome.changed).toBeGreaterThan(0);
    const out: string[] = [];
    const code = await pushTagsCommand(
      parseArgs(['--sweep', '--json']),
      { out: (t) => out.push(t), err: () => undefined },
      () => world.config,
    );
    expect(code).toBe(0);
    const report = JSON.parse(out.join(''));
    expect(report.pushed.calls).toBeGreaterThan(0);
    expect(report.outbox).toMatchObject({ pending: 0, in_flight: 0 });
    const remote = (
      await select<{ remote_tag_id: string }>(db.ds, 'SELECT remote_tag_id FROM tag_bindings WHERE tag_id = ?', [
        vip.id,
      ])
    )[0]!.remote_tag_id;
    for (const p of people) expect(relationTagIds(p.external_userid, p.staff_userid)).toContain(remote);
  });
});
