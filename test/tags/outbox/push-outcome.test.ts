import { WechatApiError } from '../../../connectors/common/http/wechat-api-error';
import { fromDbTime, select } from '../../../src/storage/sql';
import { claimDue } from '../../../src/storage/tags/outbox-claim';
import { insertOutboxRows } from '../../../src/storage/tags/outbox.repository';
import type { OaPayload, OutboxItem } from '../../../src/tags/outbox/outbox-types';
import { MAX_ATTEMPTS } from '../../../src/tags/outbox/push-errors';
import { PushOutcome, emptyStats, overlayKey } from '../../../src/tags/outbox/push-outcome';
import { statesOf } from '../../../src/storage/tags/remote-tag-state.repository';
import { useTestDatabase } from '../../helpers/describe-db';
import { clearTables } from '../../helpers/test-db';

const now = new Date('2026-03-01T00:00:00.000Z');
const temporary = new WechatApiError({ api: 'x', errcode: -1, errmsg: 'busy', category: 'TEMPORARY', retryable: true });
const tagGone = new WechatApiError({
  api: 'x',
  errcode: 40068,
  errmsg: 'gone',
  category: 'TAG_GONE',
  retryable: false,
});

const item = (id: string, attempts = 0, openids = ['o1']): OutboxItem => ({
  id,
  channel: 'oa',
  account: 'wxA',
  opKey: 'oa:wxA:1:add',
  payload: { op: 'add', openids },
  status: 'in_flight',
  attempts,
  nextAttemptAt: now,
  lastErrcode: null,
  lastError: null,
  tagId: '1',
  createdAt: now,
  updatedAt: now,
});

describe('PushOutcome (in memory)', () => {
  const outcome = (random = () => 0.5) => {
    const stats = emptyStats();
    return { stats, o: new PushOutcome(stats, () => now, random) };
  };

  it('counts done, skipped, retried, dead, deferred and split rows and remembers which rows ended', () => {
    const { stats, o } = outcome();
    o.done(item('1'));
    o.done(item('2'), undefined, true);
    expect(o.fail(item('3'), temporary)).toEqual({ dead: false, errcode: -1 });
    expect(o.fail(item('4'), tagGone)).toEqual({ dead: true, errcode: 40068 });
    o.defer(item('5'), new Date(now.getTime() + 60_000));
    o.split({
      channel: 'oa',
      account: 'wxA',
      opKey: 'oa:wxA:1:add',
      tagId: '1',
      payload: { op: 'add', openids: ['o9'] },
    });
    expect(stats).toEqual({ ...emptyStats(), rowsDone: 2, rowsSkipped: 1, retries: 1, rowsDead: 2, deferred: 1 });
    expect(['1', '2', '3', '4', '5', '6'].map((id) => o.ended(id))).toEqual([true, true, true, true, true, false]);
  });

  it('sends a retryable failure dead on the last allowed attempt', () => {
    const { o } = outcome();
    expect(o.fail(item('1', MAX_ATTEMPTS - 2), temporary).dead).toBe(false);
    expect(o.fail(item('2', MAX_ATTEMPTS - 1), temporary).dead).toBe(true);
  });

  it('coalesces the round’s pushes per subject and tag for the next round: the last write wins', () => {
    const { stats, o } = outcome();
    o.statePushed('oa', 'wxA', [
      { subject: 'o1', remoteTagId: '100', customerId: 'c1', present: true },
      { subject: 'o2', remoteTagId: '100', customerId: 'c2', present: true },
    ]);
    o.statePushed('oa', 'wxA', [{ subject: 'o1', remoteTagId: '100', customerId: 'c1', present: false }]);
    o.statePushed('wecom', 'ww1', [{ subject: 'zs|wm1', remoteTagId: 'etA', customerId: 'c1', present: true }]);
    expect(stats.itemsPushed).toBe(4);
    expect(o.overlay()).toEqual(
      new Map([
        [overlayKey('oa', 'wxA', 'o1', '100'), false],
        [overlayKey('oa', 'wxA', 'o2', '100'), true],
        [overlayKey('wecom', 'ww1', 'zs|wm1', 'etA'), true],
      ]),
    );
  });
});

describe('PushOutcome.flush', () => {
  const db = useTestDatabase();
  beforeEach(async () => clearTables(db.ds));

  /** Queues `n` OA rows and claims them as `owner`, as the pusher does before pushing. */
  const claimed = async (n: number, owner = 'p1'): Promise<OutboxItem[]> => {
    await insertOutboxRows(
      db.ds,
      Array.from({ length: n }, (_, i) => ({
        channel: 'oa' as const,
        account: 'wxA',
        opKey: 'oa:wxA:1:add',
        tagId: '1',
        payload: { op: 'add' as const, openids: [`o${i}`] },
      })),
      now,
    );
    return claimDue(db.ds, { owner, now, limit: 100, leaseMs: 60_000 });
  };
  const rows = async () =>
    (
      await select(
        db.ds,
        'SELECT status, attempts, next_attempt_at, last_errcode, payload, locked_by FROM outbox ORDER BY id',
      )
    ).map((r) => ({
      status: String(r.status),
      attempts: Number(r.attempts),
      errcode: r.last_errcode === null ? null : Number(r.last_errcode),
      openids: (JSON.parse(String(r.payload)) as OaPayload).openids,
      lockedBy: r.locked_by ?? null,
      nextAt: fromDbTime(r.next_attempt_at)!,
    }));

  it('writes every row’s end, the split-off dead rows and the remote state in one go', async () => {
    const [a, b, c, d] = await claimed(4);
    const o = new PushOutcome(
      emptyStats(),
      () => now,
      () => 0.5,
    );
    o.done(a!);
    o.fail(b!, temporary);
    o.fail(c!, tagGone);
    o.defer(d!, new Date(now.getTime() + 60_000));
    o.split({
      channel: 'oa',
      account: 'wxA',
      opKey: 'oa:wxA:1:add',
      tagId: '1',
      payload: { op: 'add', openids: ['o9'], failed: ['o9'] },
      lastErrcode: 45059,
      lastError: 'errcode 45059',
    });
    o.statePushed('oa', 'wxA', [{ subject: 'o0', remoteTagId: '100', customerId: null, present: true }]);
    o.stateFailed('oa', 'wxA', 45059, [{ subject: 'o9', remoteTagId: '100', customerId: null, present: false }]);
    o.stateFailed('oa', 'wxA', null, [{ subject: 'o8', remoteTagId: '100', customerId: null, present: false }]);
    await o.flush(db.ds, 'p1');

    const after = await rows();
    expect(after.map(({ nextAt: _, ...r }) => r)).toEqual([
      { status: 'done', attempts: 1, errcode: null, openids: ['o0'], lockedBy: null },
      { status: 'pending', attempts: 1, errcode: -1, openids: ['o1'], lockedBy: null },
      { status: 'dead', attempts: 1, errcode: 40068, openids: ['o2'], lockedBy: null },
      { status: 'pending', attempts: 0, errcode: null, openids: ['o3'], lockedBy: null },
      { status: 'dead', attempts: 0, errcode: 45059, openids: ['o9'], lockedBy: null },
    ]);
    // Backoff of attempt 1 with the jitter at half: 1 s; a deferred row waits for the account's window.
    expect(after[1]!.nextAt.getTime() - now.getTime()).toBe(1_000);
    expect(after[3]!.nextAt.getTime() - now.getTime()).toBe(60_000);
    const states = await statesOf(db.ds, 'oa', 'wxA', ['o0', 'o8', 'o9'], '100');
    expect(states.map((s) => [s.subject, s.present, s.lastErrcode]).sort()).toEqual([
      ['o0', true, null],
      ['o9', false, 45059],
    ]);
  });

  it('changes nothing when another pusher took the rows over (the lease is fenced on locked_by)', async () => {
    const [a, b] = await claimed(2, 'p1');
    const o = new PushOutcome(
      emptyStats(),
      () => now,
      () => 0.5,
    );
    o.done(a!);
    o.fail(b!, tagGone);
    await o.flush(db.ds, 'p2');
    expect((await rows()).map((r) => [r.status, r.attempts, r.lockedBy])).toEqual([
      ['in_flight', 0, 'p1'],
      ['in_flight', 0, 'p1'],
    ]);
  });
});
