import { hash32 } from '../../core/hash';
import type { Relation, WecomCorp } from '../../world/wecom-corp';

/**
 * Response shapes of externalcontact/get and batch/get_by_user (wechat-api.md §5.3, §5.4). `unionid` only for
 * WeChat users (type 1) of a corp bound to an open platform; position/corp names only for WeCom users (type 2);
 * `oper_userid` is the member or, when the customer initiated the add, the customer's external_userid.
 * https://developer.work.weixin.qq.com/document/path/92114
 */
export function externalContact(corp: WecomCorp, slot: number, withProfile: boolean): Record<string, unknown> {
  const type = corp.slotType.get(slot);
  const person = corp.slotPerson.get(slot);
  const out: Record<string, unknown> = {
    external_userid: corp.externalUserid(slot),
    name: corp.customerName(slot),
    avatar: `http://wx.qlogo.cn/mmhead/${hash32(person, 0xa7a).toString(36)}${hash32(slot, 0xa7b).toString(36)}/0`,
    type,
    gender: corp.gender(slot),
  };
  const op = corp.corp.openPlatform;
  if (type === 1 && op) out.unionid = op.unionCodec.encode(person);
  if (type === 2) {
    const c = corp.company(slot);
    out.position = c.position;
    out.corp_name = c.corpName;
    out.corp_full_name = c.corpFullName;
  }
  if (withProfile && type === 2) out.external_profile = { external_attr: [] };
  return out;
}

function relationCommon(r: Relation): Record<string, unknown> {
  return { userid: r.staff.userid, remark: r.remark, description: r.description, createtime: r.createtime };
}

function relationTail(corp: WecomCorp, r: Relation, out: Record<string, unknown>): Record<string, unknown> {
  if (r.remarkCorpName) out.remark_corp_name = r.remarkCorpName;
  out.remark_mobiles = r.remarkMobiles;
  out.oper_userid = r.byCustomer ? corp.externalUserid(r.slot) : r.staff.userid;
  out.add_way = r.addWay;
  if (r.state) out.state = r.state;
  return out;
}

/** A `follow_user` element of externalcontact/get: corp tags with group and tag names (type 1). */
export function followUser(corp: WecomCorp, r: Relation): Record<string, unknown> {
  const out = relationCommon(r);
  out.tags = r.tags.flatMap((num) => {
    const t = corp.tags.tag(num);
    return t ? [{ group_name: t.group.name, tag_name: t.name, tag_id: t.id, type: 1 }] : [];
  });
  return relationTail(corp, r, out);
}

/** The `follow_info` of batch/get_by_user: corp tag ids only. */
export function followInfo(corp: WecomCorp, r: Relation): Record<string, unknown> {
  const out = relationCommon(r);
  out.tag_id = r.tags.flatMap((num) => {
    const t = corp.tags.tag(num);
    return t ? [t.id] : [];
  });
  return relationTail(corp, r, out);
}
