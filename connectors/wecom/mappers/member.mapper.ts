import { type CallbackFields, malformed, optionalText, requiredText } from '../../common/callback-fields';
import { dedupeKey } from '../../common/dedupe-key';
import type { StaffChanged } from '../../common/normalized-event';
import { dropUndefined, type MappedCallback } from '../../common/push-mapping';
import type { MemberChangeType, WecomMemberEventFields } from '../types';
import type { WecomContext } from './contact.mapper';

const CHANGE: Record<MemberChangeType, StaffChanged['change']> = {
  create_user: 'created',
  update_user: 'updated',
  delete_user: 'deleted',
};

function departmentList(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const ids = v
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (ids.some((p) => !/^\d{1,10}$/.test(p))) throw malformed('Department is not a list of department ids');
  return ids.map(Number);
}

function integer(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,10}$/.test(v)) throw malformed(`${name} is not an integer`);
  return Number(v);
}

/**
 * change_contact member events → staff.changed. Only the fields present are carried: callback URLs set up after
 * 2022-08-15 send just UserID and Department, and the staff sync's user/get fills in the rest.
 * Dedupe: ChangeType + UserID + NewUserID + CreateTime + the changed fields, so two edits of one member within a
 * second both reach the inbox while WeChat's retries of one edit do not.
 * https://developer.work.weixin.qq.com/document/path/90970
 */
export function mapMemberChange(
  ctx: WecomContext,
  changeType: MemberChangeType,
  fields: CallbackFields,
): MappedCallback {
  const field = (name: keyof WecomMemberEventFields): string | undefined => optionalText(fields, name);
  const userId = requiredText(fields, 'UserID');
  const department = field('Department');
  const name = field('Name');
  const position = field('Position');
  const status = field('Status');
  const newUserId = field('NewUserID');
  const event: StaffChanged = {
    kind: 'staff.changed',
    channel: 'wecom',
    account: ctx.corpId,
    occurredAt: ctx.occurredAt,
    change: CHANGE[changeType],
    userId,
    ...dropUndefined({
      newUserId,
      name,
      departments: departmentList(department),
      position,
      status: integer(status, 'Status'),
    }),
  };
  return {
    kind: `wecom.change_contact.${changeType}`,
    dedupeKey: dedupeKey(
      ['wecom', ctx.corpId, changeType],
      [userId, newUserId, ctx.createTime, name, department, position, status],
    ),
    events: [event],
  };
}
