import {
  type CallbackFields,
  type CallbackValue,
  identifier,
  malformed,
  optionalText,
  optionalTypeName,
} from '../../common/callback-fields';
import { dedupeKey } from '../../common/dedupe-key';
import type { GroupMemberDelta, NormalizedEvent } from '../../common/normalized-event';
import { dropUndefined, type MappedCallback } from '../../common/push-mapping';
import type { ChatChangeType, WecomChatEventFields } from '../types';
import type { WecomContext } from './contact.mapper';

const MEMBER_ID = /^[\x21-\x7e]{1,64}$/;

function integer(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v)) throw malformed(`${name} is not an integer`);
  return Number(v);
}

/**
 * MemChangeList: `<Item>` children as real payloads carry them (one Item parses to a string, several to an
 * array); a plain string is the older comma-separated form some senders wrote (wechat-api-wecom-ops.md §2).
 */
function memberList(v: CallbackValue | undefined): string[] {
  if (v === undefined || v === '') return [];
  if (Array.isArray(v)) throw malformed('MemChangeList appears more than once');
  let items: CallbackValue[];
  if (typeof v === 'string') {
    items = v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  } else {
    if (Object.keys(v).some((k) => k !== 'Item')) throw malformed('MemChangeList holds elements other than Item');
    const item = v.Item;
    items = item === undefined ? [] : Array.isArray(item) ? item : [item];
  }
  return items.map((i) => {
    if (typeof i !== 'string' || !MEMBER_ID.test(i))
      throw malformed('a MemChangeList Item is not a userid or external_userid');
    return i;
  });
}

/**
 * change_external_chat → group.changed (create, update with UpdateDetail and, for add_member / del_member, the
 * member delta) or group.dismissed. WeChat may lose or reorder these, so the core treats them as hints and
 * re-reads the group with groupchat/get (DESIGN §10.1).
 * Dedupe: ChangeType + ChatId + UpdateDetail + CreateTime + scenes, member versions and the member list, so two
 * distinct changes of one group in the same second (two joins, a join then a leave) both reach the inbox while
 * WeChat's retries of one change do not (DESIGN §6).
 * https://developer.work.weixin.qq.com/document/path/92130 (客户群变更事件)
 */
export function mapChatChange(ctx: WecomContext, changeType: ChatChangeType, fields: CallbackFields): MappedCallback {
  const field = (name: keyof WecomChatEventFields): string | undefined => optionalText(fields, name);
  const chatId = identifier(fields, 'ChatId');
  const detail = changeType === 'update' ? optionalTypeName(fields, 'UpdateDetail') : undefined;
  const joinScene = field('JoinScene');
  const quitScene = field('QuitScene');
  const count = field('MemChangeCnt');
  const lastMemVer = field('LastMemVer');
  const curMemVer = field('CurMemVer');
  const userIds = memberList(fields.MemChangeList);
  const base = { channel: 'wecom' as const, account: ctx.corpId, occurredAt: ctx.occurredAt, chatId };

  let event: NormalizedEvent;
  if (changeType === 'dismiss') {
    event = { ...base, kind: 'group.dismissed' };
  } else {
    const direction = detail === 'add_member' ? 'joined' : detail === 'del_member' ? 'left' : undefined;
    const members: GroupMemberDelta | undefined = direction
      ? {
          direction,
          userIds,
          ...dropUndefined({
            count: integer(count, 'MemChangeCnt'),
            scene: direction === 'joined' ? integer(joinScene, 'JoinScene') : integer(quitScene, 'QuitScene'),
            previousVersion: lastMemVer,
            version: curMemVer,
          }),
        }
      : undefined;
    event = {
      ...base,
      kind: 'group.changed',
      change: changeType === 'create' ? 'created' : 'updated',
      ...dropUndefined({ detail, members }),
    };
  }
  return {
    kind: `wecom.change_external_chat.${changeType}`,
    dedupeKey: dedupeKey(
      ['wecom', ctx.corpId, 'chat'],
      [changeType, chatId, detail, ctx.createTime, joinScene, quitScene, lastMemVer, curMemVer, userIds.join(',')],
    ),
    events: [event],
  };
}
