import { customersOfExternalUserids, groupName, type MembershipChange } from '../storage/groups/wecom-group.repository';
import type { Db } from '../storage/sql';
import { fitKey, writeTimelines } from './timeline.writer';
import { recordWebhookEvents } from '../webhooks/webhook-event.writer';

/**
 * `wecom.group.joined` / `wecom.group.left` per customer (DESIGN §10.1): external members only (staff are not
 * customers), keyed by what observed the change (`keyBase`: the inbox row's event, or the read) and the member,
 * so a retried callback or transaction never writes one twice. `resolve` gives a customer to a member no read
 * has resolved yet (a leave heard by callback before any read of the group).
 */
export async function writeGroupTimeline(
  db: Db,
  corpId: string,
  chatId: string,
  changes: { joined?: readonly MembershipChange[]; left?: readonly MembershipChange[] },
  keyBase: string,
  inboxId: string | null = null,
  resolve?: (externalUserid: string) => Promise<string | null>,
): Promise<void> {
  const entries = [
    ...(changes.joined ?? []).map((c) => ({ kind: 'joined' as const, c })),
    ...(changes.left ?? []).map((c) => ({ kind: 'left' as const, c })),
  ].filter((x) => x.c.memberType === 2);
  if (entries.length === 0) return;
  const customers = await customersOfExternalUserids(
    db,
    corpId,
    entries.map((x) => x.c.userid),
  );
  if (resolve) {
    for (const { c } of entries) {
      if (customers.has(c.userid)) continue;
      const id = await resolve(c.userid);
      if (id) customers.set(c.userid, id);
    }
  }
  const name = await groupName(db, corpId, chatId);
  for (const kind of ['joined', 'left'] as const)
    await recordWebhookEvents(
      db,
      kind === 'joined' ? 'group.joined' : 'group.left',
      entries
        .filter((x) => x.kind === kind)
        .map(({ c }) => ({
          customerId: customers.get(c.userid) ?? null,
          corpId,
          chatId,
          groupName: name,
          externalUserId: c.userid,
          scene: c.scene,
          at: c.at.toISOString(),
        })),
    );
  await writeTimelines(
    db,
    entries.map(({ kind, c }) => ({
      customerId: customers.get(c.userid) ?? null,
      source: 'wecom',
      account: corpId,
      type: `wecom.group.${kind}`,
      occurredAt: c.at,
      payload: {
        chatId,
        groupName: name,
        externalUserId: c.userid,
        ...(kind === 'joined' ? { joinScene: c.scene } : { quitScene: c.scene }),
      },
      dedupeKey: fitKey(`${keyBase}:${kind}:${c.userid}`),
      inboxId,
    })),
  );
}
