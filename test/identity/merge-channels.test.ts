import type { IdentityRef } from '../../connectors/common/identity-types';
import { IdentityService } from '../../src/identity/identity.service';
import { undoMerge } from '../../src/identity/merge.service';
import { IdentityHasher } from '../../src/security/identity-hash';
import { PhoneCrypto } from '../../src/security/phone-crypto';
import { firstChannelOf } from '../../src/storage/channels/customer-channel.repository';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { fromDbTime, idString, insertIgnore, select } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';

const KEY = Buffer.alloc(32, 5);
const oa = (v: string): IdentityRef => ({ type: 'oa_openid', scope: 'wxoa', value: v });
const union = (v: string): IdentityRef => ({ type: 'unionid', scope: 'default', value: v });

/**
 * A merge and its undo carry the channel rows (DESIGN §4, §10.2): a channel only the merged customer came through
 * moves, one both came through is combined into the survivor's row with the earliest first touch, and undo puts
 * every customer_channels and channel_activity row back exactly.
 */
describe('merging customers who came through channels', () => {
  const db = useTestDatabase();
  let clock = Date.parse('2026-03-01T00:00:00Z');
  const svc = new IdentityService({
    phoneCrypto: new PhoneCrypto(KEY),
    hasher: new IdentityHasher(KEY),
    mergeByPhone: true,
    now: () => (clock += 1000),
  });
  const resolve = (identities: IdentityRef[]) =>
    retryingTransaction(db.ds, (em) => svc.resolve(em, { source: 'test', identities }));
  const day = 86_400_000;
  const base = clock;
  const ago = (d: number) => new Date(base - d * day);

  /** Every channel row, as plain values in id order. */
  const snapshot = async () => ({
    customerChannels: (
      await select(
        db.ds,
        'SELECT id, customer_id, channel_id, first_at, last_at, touches FROM customer_channels ORDER BY id',
      )
    ).map((r) => ({
      id: idString(r.id),
      customerId: String(r.customer_id),
      channelId: idString(r.channel_id),
      firstAt: fromDbTime(r.first_at)!.toISOString(),
      lastAt: fromDbTime(r.last_at)!.toISOString(),
      touches: Number(r.touches),
    })),
    channelActivity: (
      await select(db.ds, 'SELECT id, customer_id, channel_id, kind, at FROM channel_activity ORDER BY id')
    ).map((r) => ({
      id: idString(r.id),
      customerId: String(r.customer_id),
      channelId: idString(r.channel_id),
      kind: String(r.kind),
      at: fromDbTime(r.at)!.toISOString(),
    })),
  });

  it('combines their channel rows (first touch the earliest) and undo restores them exactly', async () => {
    const older = (await resolve([oa('mc-o1')])).customerId!;
    const newer = (await resolve([union('mc-u1')])).customerId!;
    const t = ago(60);
    const channel: Record<string, string> = {};
    for (const code of ['poster', 'store']) {
      await insertIgnore(db.ds, 'channels', [
        {
          name: code,
          kind: 'oa-qrcode',
          account_id: 'wxoa',
          code: `ch_mc_${code}`,
          permanent: true,
          skip_verify: false,
          tag_ids: '[]',
          created_at: t,
          updated_at: t,
        },
      ]);
      channel[code] = idString(
        (await select(db.ds, 'SELECT id FROM channels WHERE code = ?', [`ch_mc_${code}`]))[0]!.id,
      );
    }
    const row = (customer: string, ch: string, first: number, last: number, touches: number) => ({
      customer_id: customer,
      channel_id: channel[ch]!,
      first_at: ago(first),
      last_at: ago(last),
      touches,
    });
    // The openid customer came through the poster 10 days ago (and again 2 days ago) and the store 5 days ago; the
    // unionid customer, who survives the merge, only through the poster, 3 days ago and yesterday.
    await insertIgnore(db.ds, 'customer_channels', [
      row(older, 'poster', 10, 2, 2),
      row(older, 'store', 5, 5, 1),
      row(newer, 'poster', 3, 1, 1),
    ]);
    const act = (customer: string, ch: string, kind: string, d: number, key: string) => ({
      channel_id: channel[ch]!,
      customer_id: customer,
      kind,
      at: ago(d),
      dedupe_key: `mc:${key}`,
    });
    await insertIgnore(db.ds, 'channel_activity', [
      act(older, 'poster', 'new', 10, 'o1'),
      act(older, 'poster', 'returning', 2, 'o2'),
      act(older, 'store', 'new', 5, 'o3'),
      act(newer, 'poster', 'new', 3, 'n1'),
      act(newer, 'poster', 'returning', 1, 'n2'),
    ]);
    const before = await snapshot();
    expect(await firstChannelOf(db.ds, newer)).toBe(channel.poster);

    const merge = await resolve([oa('mc-o1'), union('mc-u1')]);
    expect(merge.customerId).toBe(newer);
    expect(merge.merges).toHaveLength(1);

    const merged = await snapshot();
    const rowsOf = (s: typeof merged, customer: string) =>
      s.customerChannels
        .filter((r) => r.customerId === customer)
        .map(({ id: _id, customerId: _c, ...r }) => r)
        .sort((a, b) => Number(a.channelId) - Number(b.channelId));
    expect(rowsOf(merged, newer)).toEqual([
      // Both came through the poster: the survivor's row, with the earliest first touch, the latest last and both counts.
      { channelId: channel.poster, firstAt: ago(10).toISOString(), lastAt: ago(1).toISOString(), touches: 3 },
      // Only the merged customer came through the store: its row moves.
      { channelId: channel.store, firstAt: ago(5).toISOString(), lastAt: ago(5).toISOString(), touches: 1 },
    ]);
    expect(merged.channelActivity.every((a) => a.customerId === newer)).toBe(true);
    expect(merged.channelActivity).toHaveLength(5);

    await undoMerge(db.ds, merge.merges[0]!, 'admin-key', () => clock);
    expect(await snapshot()).toEqual(before);
  });
});
