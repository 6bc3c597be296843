import { type CallbackFields, optionalText } from '../../common/callback-fields';
import { dedupeKey } from '../../common/dedupe-key';
import type { MappedCallback } from '../../common/push-mapping';
import type { TagChangeType, WecomTagEventFields } from '../types';
import type { WecomContext } from './contact.mapper';

/**
 * change_external_tag (wechat-api.md §5.9) → tag.changed; the core re-reads the corp tag library.
 * `shuffle` may come without TagType (it re-orders a group's tags, or the groups when Id is empty), so it
 * defaults to `tag_group`; the other change types default to `tag`.
 * Dedupe: ChangeType + TagType + Id + StrategyId + CreateTime (deleting a group may emit several events in one
 * second, one per id).
 * https://developer.work.weixin.qq.com/document/path/92277
 */
export function mapTagChange(ctx: WecomContext, changeType: TagChangeType, fields: CallbackFields): MappedCallback {
  const field = (name: keyof WecomTagEventFields): string | undefined => optionalText(fields, name);
  const rawType = field('TagType');
  const tagType =
    rawType === 'tag' || rawType === 'tag_group' ? rawType : changeType === 'shuffle' ? 'tag_group' : 'tag';
  const tagId = field('Id') ?? '';
  const strategyId = field('StrategyId');
  return {
    kind: `wecom.change_external_tag.${changeType}`,
    dedupeKey: dedupeKey(['wecom', ctx.corpId, 'tag'], [changeType, tagType, tagId, strategyId, ctx.createTime]),
    events: [
      {
        kind: 'tag.changed',
        channel: 'wecom',
        account: ctx.corpId,
        occurredAt: ctx.occurredAt,
        changeType,
        tagType,
        tagId,
        ...(strategyId !== undefined ? { strategyId } : {}),
      },
    ],
  };
}
