import type { IdentityRef, IdentityType } from '../../connectors/common/identity-types';
import type { World } from './world';

/**
 * Ground truth for scoring identity resolution: every identity a person holds, and which person holds a given
 * identity. A unionid counts only when the person reached an app bound to its open platform (that is the only
 * way it ever shows up in WeChat traffic, wechat-api.md §9). `h5_openid` has the OA openid's value and exists
 * once the person signed in through H5 OAuth.
 */
export interface PersonTruth {
  personId: number;
  phone: string | null;
  identities: IdentityRef[];
}

export function personTruth(w: World, p: number): PersonTruth {
  const ids: IdentityRef[] = [];
  let unionVisible = false;
  for (const aud of w.oa) {
    const slot = aud.personSlot.get(p);
    if (slot < 0) continue;
    const openid = aud.openid(slot);
    ids.push({ type: 'oa_openid', scope: aud.app.appId, value: openid });
    if (aud.h5Slots.has(slot)) ids.push({ type: 'h5_openid', scope: aud.app.appId, value: openid });
    if (aud.app.openPlatform) unionVisible = true;
  }
  for (const aud of w.mp) {
    const slot = aud.personSlot.get(p);
    if (slot < 0) continue;
    ids.push({ type: 'mp_openid', scope: aud.app.appId, value: aud.openid(slot) });
    if (aud.app.openPlatform) unionVisible = true;
  }
  for (const corp of w.wecom) {
    const slot = corp.personSlot.get(p);
    if (slot < 0) continue;
    ids.push({ type: 'wecom_external_userid', scope: corp.corp.corpId, value: corp.externalUserid(slot) });
    if (corp.corp.openPlatform && corp.slotType.get(slot) === 1) unionVisible = true;
  }
  const op = w.registry.openPlatform;
  if (unionVisible) ids.unshift({ type: 'unionid', scope: op.id, value: op.unionCodec.encode(p) });
  const phone = w.persons.phoneOf(p) ?? null;
  if (phone) ids.push({ type: 'phone', scope: 'default', value: phone });
  return { personId: p, phone, identities: ids };
}

/** The person holding an identity, or -1. `scope` may be omitted for app-scoped types (all apps are tried). */
export function ownerOf(w: World, type: IdentityType, scope: string | undefined, value: string): number {
  const inScope = (id: string) => scope === undefined || scope === '' || scope === id;
  switch (type) {
    case 'oa_openid':
    case 'h5_openid':
      for (const aud of w.oa) {
        if (!inScope(aud.app.appId)) continue;
        const slot = aud.slotOf(value);
        if (slot >= 0 && (type === 'oa_openid' || aud.h5Slots.has(slot))) return aud.slotPerson.get(slot);
      }
      return -1;
    case 'mp_openid':
      for (const aud of w.mp) {
        const slot = inScope(aud.app.appId) ? aud.slotOf(value) : -1;
        if (slot >= 0) return aud.slotPerson.get(slot);
      }
      return -1;
    case 'wecom_external_userid':
      for (const corp of w.wecom) {
        const slot = inScope(corp.corp.corpId) ? corp.slotOf(value) : -1;
        if (slot >= 0) return corp.slotPerson.get(slot);
      }
      return -1;
    case 'unionid': {
      const op = w.registry.openPlatform;
      if (!inScope(op.id)) return -1;
      const p = op.unionCodec.decode(value);
      return p >= 0 && w.persons.exists(p) && personTruth(w, p).identities[0]?.type === 'unionid' ? p : -1;
    }
    case 'phone':
      return w.persons.ownerOfPhone(value);
    case 'external_id':
    case 'anonymous_id':
      // Another system's ids and a browser's pre-login id are not WeChat's: the emulator's world holds none.
      return -1;
  }
}
