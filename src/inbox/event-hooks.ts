import type { NormalizedEvent, NormalizedEventKind } from '../../connectors/common/normalized-event';
import type { ApplyContext } from './event-applier';
import { refreshHintsHook } from '../syncs/refresh/refresh-hints.hook';
import { tagEventHook } from '../tags/reconcile/tag-event.hook';
import { staffEventHook } from '../staff/staff-event.hook';
import { groupEventHook } from '../syncs/wecom/group-event.hook';
import { channelEventHook } from '../channels/channel-event.hook';
import { transferFailHook } from '../transfers/transfer-fail.hook';

/**
 * Extra work other modules attach to inbound events, run after the core applied the event and inside the same
 * transaction (so a failing hook makes the row retry). Listed explicitly: e.g. the tags module refreshing the
 * corp tag library on `tag.changed`, syncs queueing a re-read on `follow.edited`.
 */
export interface EventHook {
  name: string;
  kinds: readonly NormalizedEventKind[];
  apply(ctx: ApplyContext, event: NormalizedEvent): Promise<void>;
}

export const eventHooks: EventHook[] = [
  refreshHintsHook,
  tagEventHook,
  staffEventHook,
  groupEventHook,
  channelEventHook,
  transferFailHook,
];
