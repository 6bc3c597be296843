import { writeGroupTimeline } from '../../events/group-timeline.writer';
import { timelineKey } from '../../events/timeline.writer';
import type { EventHook } from '../../inbox/event-hooks';
import { markGroupDismissed, recordLeaves } from '../../storage/groups/wecom-group.repository';

/**
 * The customer-group part of inbound events (DESIGN §10.1): a dismiss keeps the group with its history; a leave
 * records who left and how (QuitScene), which only the callback says, so a member who joined and left between two
 * re-reads is not lost, and goes on the timeline once (a later re-read finds the leave recorded). Everything else
 * comes from the re-read the refresh hints queue.
 */
export const groupEventHook: EventHook = {
  name: 'groups',
  kinds: ['group.changed', 'group.dismissed'],
  async apply(ctx, e) {
    if (e.kind === 'group.dismissed') await markGroupDismissed(ctx.em, e.account, e.chatId, ctx.now);
    else if (e.kind === 'group.changed' && e.members?.direction === 'left') {
      const left = await recordLeaves(
        ctx.em,
        e.account,
        e.chatId,
        e.members.userIds,
        e.members.scene ?? null,
        new Date(e.occurredAt),
        ctx.now,
      );
      await writeGroupTimeline(
        ctx.em,
        e.account,
        e.chatId,
        { left },
        timelineKey(ctx.row.dedupeKey, ctx.index),
        ctx.row.id,
        (userid) => ctx.customerOf({ type: 'wecom_external_userid', scope: e.account, value: userid }, 'wecom.group'),
      );
    }
  },
};
