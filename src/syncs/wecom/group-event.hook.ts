import type { EventHook } from '../../inbox/event-hooks';
import { markGroupDismissed, recordLeaves } from '../../storage/wecom-group.repository';

/**
 * The customer-group part of inbound events (DESIGN §10.1): a dismiss keeps the group with its history; a leave
 * records who left and how (QuitScene), which only the callback says, so a member who joined and left between two
 * re-reads is not lost. Everything else comes from the re-read the refresh hints queue.
 */
export const groupEventHook: EventHook = {
  name: 'groups',
  kinds: ['group.changed', 'group.dismissed'],
  async apply(ctx, e) {
    if (e.kind === 'group.dismissed') await markGroupDismissed(ctx.em, e.account, e.chatId, ctx.now);
    else if (e.kind === 'group.changed' && e.members?.direction === 'left') {
      await recordLeaves(ctx.em, e.account, e.chatId, e.members.userIds, e.members.scene ?? null, new Date(e.occurredAt), ctx.now);
    }
  },
};
