import type { ExternalContactWire } from '../../../connectors/wecom/client-types';
import type { WechatValue } from '../../storage/attributes/wechat-attribute.writer';

/** externalcontact/get `gender`: 0 unknown, 1 male, 2 female (wechat-api.md §5). */
const GENDER: Record<number, string> = { 0: '未知', 1: '男', 2: '女' };

/** The profile fields WeCom still gives about an external contact, as `wechat` attribute values (DESIGN §10.4). */
export function contactValues(customerId: string, c: ExternalContactWire): WechatValue[] {
  const out: WechatValue[] = [];
  const gender = c.gender === undefined ? undefined : GENDER[c.gender];
  if (gender) out.push({ customerId, key: 'wecom.gender', value: gender });
  if (c.corp_name) out.push({ customerId, key: 'wecom.corpName', value: c.corp_name.slice(0, 500) });
  if (c.position) out.push({ customerId, key: 'wecom.position', value: c.position.slice(0, 500) });
  return out;
}
