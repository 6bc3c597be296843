import type { NormalizedEvent } from '../../connectors/common/normalized-event';
import type { IdentityRef } from '../../connectors/common/identity-types';
import { useTestDatabase } from '../helpers/describe-db';
import { testConfig } from '../helpers/test-app';
import { silentLogger } from '../../src/logger';
import { InboxProcessor } from '../../src/inbox/inbox-processor';
import { InboxRepository } from '../../src/storage/inbox/inbox.repository';
import { select } from '../../src/storage/sql';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { createIdentityService } from '../../src/identity/identity.service';
import { OA } from './callback-support';

/**
 * A claimed batch reads its rows' identities at once and writes their timeline at its end (InboxBatch): what it
 * produces must be what the rows applied one by one would have produced, in the same order.
 */
describe('inbox batch', () => {
  const db = useTestDatabase();
  const clock = Date.parse('2025-03-01T09:00:00Z');
  const at = '2025-03-01T08:00:00.000Z';
  const config = () => testConfig(db.url, { accounts: [OA] });
  const identity = () => createIdentityService({ config: config(), now: () => clock });
  const processor = () =>
    new InboxProcessor(
      { ds: db.ds, config: config(), logger: silentLogger(), now: () => clock, identity: identity() },
      { batchSize: 50 },
    );
  const oa = (openid: string): IdentityRef => ({ type: 'oa_openid', scope: OA.appId, value: openid });
  const base = { channel: 'official-account' as const, account: OA.appId, occurredAt: at };
  const subscribe = (openid: string): NormalizedEvent[] => [
    { ...base, kind: 'identity.observed', identities: [oa(openid)], source: 'oa.subscribe' },
    { ...base, kind: 'subscription.changed', openid, subscribed: true },
  ];
  const text = (openid: string, msgId: string): NormalizedEvent[] => [
    { ...base, kind: 'message.received', openid, msgType: 'text', msgId, content: `hi ${msgId}`, fields: {} },
  ];
  const observed = (refs: IdentityRef[]): NormalizedEvent[] => [
    { ...base, kind: 'identity.observed', identities: refs, source: 'oa.user_info' },
  ];
  /** Rows stored in this order, all due: one drainOnce claims them as one batch. */
  const store = (rows: NormalizedEvent[][]) =>
    new InboxRepository(db.ds).insertMany(
      rows.map((events, i) => ({
        account: OA.appId,
        channel: 'official-account',
        kind: 'oa.event',
        dedupeKey: `batch-${Math.random().toString(36).slice(2)}-${i}`,
        raw: '<xml/>',
        events,
      })),
      new Date(clock),
    );
  const customerOf = async (ref: IdentityRef) =>
    (
      await select<{ customer_id: string }>(
        db.ds,
        'SELECT customer_id FROM identities WHERE type = ? AND scope = ? AND value = ?',
        [ref.type, ref.scope, ref.value],
      )
    )[0]?.customer_id;
  const timelineOf = async (customerId: string) =>
    (
      await select<{ type: string; msg: string | null }>(
        db.ds,
        'SELECT type, payload AS msg FROM events WHERE customer_id = ? ORDER BY id',
        [customerId],
      )
    ).map((r) => `${r.type}${String(r.msg ?? '').includes('"msgId"') ? `:${JSON.parse(String(r.msg)).msgId}` : ''}`);

  it('creates a person named by several rows once, and writes their timeline in row order', async () => {
    await store([subscribe('b-new-1'), text('b-new-1', 'm1'), subscribe('b-new-2'), text('b-new-1', 'm2')]);
    expect(await processor().drainOnce()).toBe(4);

    const one = await customerOf(oa('b-new-1'));
    const two = await customerOf(oa('b-new-2'));
    expect(one).toBeDefined();
    expect(two).toBeDefined();
    expect(one).not.toBe(two);
    expect(await timelineOf(one!)).toEqual(['oa.subscribe', 'oa.message.text:m1', 'oa.message.text:m2']);
    expect(await timelineOf(two!)).toEqual(['oa.subscribe']);
    const queued = await select(db.ds, "SELECT subject FROM refresh_queue WHERE kind = 'oa_user' AND subject LIKE ?", [
      'b-new-%',
    ]);
    expect(queued.map((r) => r.subject).sort()).toEqual(['b-new-1', 'b-new-2']);
  });

  it('moves what the batch wrote before a merge to the survivor', async () => {
    // Two customers already on file: one by OA openid, one by unionid (e.g. from a Mini Program).
    const unionid: IdentityRef = { type: 'unionid', scope: 'open-platform-1', value: 'b-union-1' };
    await retryingTransaction(db.ds, async (em) => {
      await identity().resolve(em, { identities: [oa('b-merge-oa')], source: 'test' });
      await identity().resolve(em, { identities: [unionid], source: 'test' });
    });
    const [a, b] = [await customerOf(oa('b-merge-oa')), await customerOf(unionid)];
    expect(a).not.toBe(b);

    // One batch: a message, then the evidence that both are one person, then another message.
    await store([text('b-merge-oa', 'before'), observed([oa('b-merge-oa'), unionid]), text('b-merge-oa', 'after')]);
    expect(await processor().drainOnce()).toBe(3);

    const survivor = await customerOf(oa('b-merge-oa'));
    expect(await customerOf(unionid)).toBe(survivor);
    const merged = survivor === a ? b! : a!;
    const [status] = await select<{ status: string }>(db.ds, 'SELECT status FROM customers WHERE id = ?', [merged]);
    expect(status!.status).toBe('merged');
    expect(await timelineOf(survivor!)).toEqual(['oa.message.text:before', 'oa.message.text:after']);
    expect(await timelineOf(merged)).toEqual([]);
  });

  it('follows one subscription and one relation through several changes in a batch to their latest state', async () => {
    const at = (s: number) => new Date(Date.parse('2025-03-01T08:00:00Z') + s * 1000).toISOString();
    const sub = (subscribed: boolean, s: number): NormalizedEvent[] => [
      { ...base, occurredAt: at(s), kind: 'subscription.changed', openid: 'b-flip', subscribed },
    ];
    const wecom = { channel: 'wecom' as const, account: 'ww-batch', staffUserId: 'zhang', externalUserId: 'wm-flip' };
    const follow = (kind: 'follow.added' | 'follow.removed', s: number): NormalizedEvent[] => [
      kind === 'follow.added'
        ? { ...wecom, occurredAt: at(s), kind, half: false }
        : { ...wecom, occurredAt: at(s), kind, by: 'customer' },
    ];
    await store([sub(true, 1), follow('follow.added', 1), sub(false, 2), follow('follow.removed', 2)]);
    await store([sub(true, 3), follow('follow.added', 3), sub(false, 2.5), follow('follow.removed', 2.5)]);
    const p = processor();
    expect((await p.drainOnce()) + (await p.drainOnce())).toBe(8);

    const [s] = await select<{ subscribed: unknown; subscribe_time: unknown; unsubscribe_time: unknown }>(
      db.ds,
      'SELECT subscribed, subscribe_time, unsubscribe_time FROM oa_subscriptions WHERE openid = ?',
      ['b-flip'],
    );
    // The last two changes are older than what the row shows by then: ignored.
    expect(Number(s!.subscribed)).toBe(1);
    const [f] = await select<{ deleted: unknown }>(
      db.ds,
      'SELECT deleted FROM wecom_follows WHERE external_userid = ?',
      ['wm-flip'],
    );
    expect(Number(f!.deleted)).toBe(0);
  });

  it('deletes what the batch wrote for a person whose account is cancelled later in the same batch', async () => {
    await store([
      subscribe('b-gone'),
      text('b-gone', 'bye'),
      [{ ...base, kind: 'privacy.notice', action: 'cancellation', subjects: [oa('b-gone')] }],
      subscribe('b-stays'),
    ]);
    expect(await processor().drainOnce()).toBe(4);

    expect(await customerOf(oa('b-gone'))).toBeUndefined();
    const left = await select<{ n: unknown }>(
      db.ds,
      "SELECT COUNT(*) AS n FROM events WHERE type LIKE 'oa.message%' AND payload LIKE ?",
      ['%"bye"%'],
    );
    expect(Number(left[0]!.n)).toBe(0);
    const stays = await customerOf(oa('b-stays'));
    expect(await timelineOf(stays!)).toEqual(['oa.subscribe']);
  });
});
