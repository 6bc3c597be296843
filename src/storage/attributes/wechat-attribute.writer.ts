import { type Db, excluded, insertIgnore, toDbTime, upsert } from '../sql';

/** A profile field WeChat still gives, as a custom field of source `wechat` (DESIGN §10.4). */
export interface WechatValue {
  customerId: string;
  key: string;
  value: string;
}

/**
 * The fields WeChat still gives: the WeCom contact APIs (externalcontact/get `external_contact`) and OA user/info
 * (`language`: zh_CN, zh_TW, en), each defined on first use.
 */
export const WECHAT_FIELDS = {
  'wechat.language': { zh: '微信语言', en: 'WeChat language', type: 'text', options: null },
  'wecom.gender': { zh: '性别（企业微信）', en: 'Gender (WeCom)', type: 'enum', options: ['男', '女', '未知'] },
  'wecom.corpName': { zh: '企业名称（企业微信）', en: 'Company (WeCom)', type: 'text', options: null },
  'wecom.position': { zh: '职位（企业微信）', en: 'Position (WeCom)', type: 'text', options: null },
} as const;

/**
 * Stores WeChat's values: the field is defined once (nobody edits it but WeChat), a value from another source
 * (an operator's, a rep's) is never overwritten, a `wechat` value follows WeChat.
 */
export async function writeWechatValues(db: Db, values: readonly WechatValue[], now: Date): Promise<void> {
  if (values.length === 0) return;
  const at = toDbTime(now);
  const keys = [...new Set(values.map((v) => v.key))] as (keyof typeof WECHAT_FIELDS)[];
  await insertIgnore(
    db,
    'attribute_definitions',
    keys.map((k) => ({
      attr_key: k,
      label_zh: WECHAT_FIELDS[k].zh,
      label_en: WECHAT_FIELDS[k].en,
      type: WECHAT_FIELDS[k].type,
      options: WECHAT_FIELDS[k].options ? JSON.stringify(WECHAT_FIELDS[k].options) : null,
      pii: false,
      editable_by: '[]',
      created_by: 'wechat',
      created_at: at,
      updated_at: at,
    })),
  );
  const keep = (column: string): string =>
    `CASE WHEN source = 'wechat' THEN ${excluded(db, column)} ELSE ${column} END`;
  await upsert(
    db,
    'customer_attributes',
    values.map((v) => ({
      customer_id: v.customerId,
      attr_key: v.key,
      value_text: v.value,
      source: 'wechat',
      updated_by: 'wechat',
      updated_at: at,
    })),
    {
      conflict: ['customer_id', 'attr_key'],
      update: { value_text: keep('value_text'), updated_at: keep('updated_at') },
    },
  );
}
