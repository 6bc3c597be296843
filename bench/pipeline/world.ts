import type { Account } from '../../config';
import type { WorldOptionsInput } from '../../emulator/options';
import { call } from '../identity/http';
import { loadTruth } from '../identity/truth';
import type { CorpKeys, OaKeys } from './callbacks';
import type { Relation, worldNeeds } from './mix';

/**
 * The emulator world for the run: one OA bound to the open platform (its user/info answers unionids), in safe
 * mode, with enough followers for every new and known person; one corp (bound too, so externalcontact/get answers
 * unionids) with a relation for every WeCom add. No former followers: every openid of the OA is a follower, so a
 * subscribe is what user/info confirms.
 */
export function worldOptions(needs: ReturnType<typeof worldNeeds>): WorldOptionsInput {
  return {
    seed: 33,
    // Some followers are also WeCom contacts (overlap.wecomFromOa): those are left out of the OA-only pools.
    followers: needs.newPeople + needs.known + needs.relations,
    officialAccounts: 1,
    miniPrograms: 0,
    corps: 1,
    merchants: 0,
    wecomStaff: 50,
    wecomContacts: needs.relations,
    callbackMode: 'safe',
    oaTags: 0,
    overlap: { unsubscribed: 0 },
  };
}

export interface Pools {
  oa: OaKeys;
  corp: CorpKeys;
  /** The OA's followers who are not WeCom contacts: first the known pool, then the new people. */
  oaOnly: string[];
  relations: Relation[];
}

/** The accounts' keys and who the callbacks can be about, read from the emulator (its truth and its relations). */
export async function loadPools(emuUrl: string, accounts: Account[], relationsNeeded: number): Promise<Pools> {
  const oaAccount = accounts.find((a) => a.kind === 'official-account');
  const corpAccount = accounts.find((a) => a.kind === 'wecom');
  if (oaAccount?.kind !== 'official-account' || corpAccount?.kind !== 'wecom') throw new Error('emulator accounts');
  const oa = {
    appId: oaAccount.appId,
    token: oaAccount.token,
    encodingAESKey: oaAccount.encodingAESKey!,
    originalId: oaAccount.originalId!,
  };
  const corp = { corpId: corpAccount.corpId, token: corpAccount.token!, encodingAESKey: corpAccount.encodingAESKey! };
  const oaOnly: string[] = [];
  for (const p of await loadTruth(emuUrl)) {
    const openid = p.identities.find((i) => i.type === 'oa_openid' && i.scope === oa.appId);
    if (openid && !p.identities.some((i) => i.type === 'wecom_external_userid')) oaOnly.push(openid.value);
  }
  const { relations } = await call<{ relations: (Relation & { customerDeleted?: boolean })[] }>(
    `${emuUrl}/_emulator/state/wecom/${corp.corpId}/relations?limit=${relationsNeeded * 2}`,
  );
  return {
    oa,
    corp,
    oaOnly,
    relations: relations
      .filter((r) => !r.customerDeleted)
      .map((r) => ({ userid: r.userid, externalUserId: r.externalUserId })),
  };
}
