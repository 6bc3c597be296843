import { WxError } from '../../core/wx-error';
import { corpOf, type Call, type Endpoint } from '../../http/endpoint';
import type { Relation } from '../../world/wecom-corp';
import { CONTACT_API, customerOrThrow, staffOrThrow } from './contact.api';

/** The (member, customer) relation named by a body: bad userid 40003, bad external_userid 40096, none 84061. */
function relationOf(call: Call, b: Record<string, unknown>): Relation {
  const { corp } = corpOf(call);
  const staff = staffOrThrow(corp, b.userid);
  const slot = customerOrThrow(corp, b.external_userid);
  const rel = corp.relation(staff, slot);
  if (!rel) throw new WxError(84061);
  return rel;
}

function tagIds(v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new WxError(47001);
  return v as string[];
}

/**
 * POST /cgi-bin/externalcontact/mark_tag {"userid","external_userid","add_tag","remove_tag"} — both lists empty
 * → 40058, unknown tag → 40068. Silent: no edit_external_contact callback for API changes.
 * https://developer.work.weixin.qq.com/document/path/92118
 */
const markTag: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/mark_tag',
  method: 'POST',
  handle(call) {
    const b = call.body();
    const add = tagIds(b.add_tag);
    const remove = tagIds(b.remove_tag);
    if (add.length === 0 && remove.length === 0) throw new WxError(40058);
    const rel = relationOf(call, b);
    const { corp } = corpOf(call);
    const addNums = add.map((id) => corp.tags.liveTag(id).num);
    const removeNums = new Set(remove.map((id) => corp.tags.liveTag(id).num));
    const next = rel.tags.filter((n) => !removeNums.has(n));
    for (const n of addNums) if (!next.includes(n)) next.push(n);
    rel.tags = next;
    return {};
  },
};

const LIMITS = { remark: 20, description: 150, remark_company: 20 };
const FIELDS = ['remark', 'description', 'remark_company', 'remark_mobiles', 'remark_pic_mediaid'] as const;

/** A field left out or an empty string counts as empty; a mobile list, even `[""]` (which clears it), does not. */
const isEmpty = (v: unknown): boolean => v === undefined || v === '';

/**
 * POST /cgi-bin/externalcontact/remark — remark ≤20, description ≤150, remark_company ≤20 characters (40058
 * beyond); remark_mobiles replaces the list ([""] clears it); the five fields may not all be empty (40058);
 * remark_company only takes effect for a WeChat user and is ignored for a WeCom contact; an unknown member is
 * 60111, an unknown external_userid 40096, no relation 84061 (wechat-api-wecom-ops.md §7). No callback follows.
 * https://developer.work.weixin.qq.com/document/path/92115
 */
const remark: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/remark',
  method: 'POST',
  handle(call) {
    const b = call.body();
    if (FIELDS.every((f) => isEmpty(b[f]))) throw new WxError(40058);
    for (const [k, max] of Object.entries(LIMITS)) {
      const v = b[k];
      if (v !== undefined && (typeof v !== 'string' || [...v].length > max)) throw new WxError(40058);
    }
    const mobiles = b.remark_mobiles;
    if (mobiles !== undefined && (!Array.isArray(mobiles) || mobiles.some((m) => typeof m !== 'string')))
      throw new WxError(47001);
    if (typeof b.userid !== 'string' || !corpOf(call).corp.staffByUserid.get(b.userid)) throw new WxError(60111);
    const rel = relationOf(call, b);
    if (typeof b.remark === 'string') rel.remark = b.remark;
    if (typeof b.description === 'string') rel.description = b.description;
    if (typeof b.remark_company === 'string' && corpOf(call).corp.slotType.get(rel.slot) === 1)
      rel.remarkCorpName = b.remark_company;
    if (Array.isArray(mobiles)) rel.remarkMobiles = (mobiles as string[]).filter((m) => m !== '');
    return {};
  },
};

export const markTagEndpoints: Endpoint[] = [markTag, remark];
