import { type CallbackFields, identifier, optionalText } from '../../common/callback-fields';
import { dedupeKey } from '../../common/dedupe-key';
import type { NormalizedEvent } from '../../common/normalized-event';
import { dropUndefined, type MappedCallback } from '../../common/push-mapping';
import type { WecomContactEventFields, ContactChangeType } from '../types';

export interface WecomContext {
  corpId: string;
  createTime: string;
  occurredAt: string;
}

/**
 * change_external_contact (wechat-api.md §5.9) → follow.* plus identity.observed when the relation exists.
 * Dedupe: ChangeType + UserID + ExternalUserID + CreateTime + every extra field, so two distinct changes of one
 * pair in the same second (e.g. a delete by transfer and a re-add) both reach the inbox.
 * https://developer.work.weixin.qq.com/document/path/92130
 */
export function mapContactChange(
  ctx: WecomContext,
  changeType: ContactChangeType,
  fields: CallbackFields,
): MappedCallback {
  const field = (name: keyof WecomContactEventFields): string | undefined => optionalText(fields, name);
  const staffUserId = identifier(fields, 'UserID');
  const externalUserId = identifier(fields, 'ExternalUserID');
  const state = field('State');
  const welcomeCode = field('WelcomeCode');
  const source = field('Source');
  const failReason = field('FailReason');
  const base = { channel: 'wecom' as const, account: ctx.corpId, occurredAt: ctx.occurredAt };
  const pair = { ...base, staffUserId, externalUserId };
  const observed: NormalizedEvent = {
    ...base,
    kind: 'identity.observed',
    identities: [{ type: 'wecom_external_userid', scope: ctx.corpId, value: externalUserId }],
    source: 'wecom.change_external_contact',
  };

  let events: NormalizedEvent[];
  switch (changeType) {
    case 'add_external_contact':
    case 'add_half_external_contact':
      events = [
        observed,
        {
          ...pair,
          kind: 'follow.added',
          half: changeType === 'add_half_external_contact',
          ...dropUndefined({ state, welcomeCode }),
        },
      ];
      break;
    case 'edit_external_contact':
      events = [observed, { ...pair, kind: 'follow.edited' }];
      break;
    case 'del_external_contact':
      events = [{ ...pair, kind: 'follow.removed', by: 'staff', ...dropUndefined({ source }) }];
      break;
    case 'del_follow_user':
      events = [{ ...pair, kind: 'follow.removed', by: 'customer' }];
      break;
    case 'transfer_fail':
      events = [{ ...pair, kind: 'follow.transfer_failed', ...dropUndefined({ failReason }) }];
      break;
  }
  return {
    kind: `wecom.change_external_contact.${changeType}`,
    dedupeKey: dedupeKey(
      ['wecom', ctx.corpId, changeType],
      [staffUserId, externalUserId, ctx.createTime, state, source, failReason, welcomeCode],
    ),
    events,
  };
}
