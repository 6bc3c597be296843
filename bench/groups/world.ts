import type { WorldOptionsInput } from '../../emulator/options';

export interface GroupsBenchSize {
  groups: number;
  perGroup: number;
  contacts: number;
  followers: number;
  /** Member changes made after the sync, each sending one callback. */
  changes: number;
  /** Groups the changes are spread over. */
  active: number;
}

/**
 * The emulated world of bench:groups: one OA (bound to the open platform, so the unionid of a group member who
 * follows it links the two) and one corp whose groups hold 60 % contacts and, of the strangers, 70 % WeChat
 * users (unionid) — the emulator's defaults, spelled out here because the targets are stated for them. 200 staff
 * members own the groups: few enough that groupchat/list may be read unfiltered (WeCom refuses that above 1000).
 */
export function groupsWorld(size: GroupsBenchSize): WorldOptionsInput {
  return {
    seed: 16,
    followers: size.followers,
    officialAccounts: 1,
    miniPrograms: 0,
    corps: 1,
    merchants: 0,
    wecomStaff: 200,
    wecomContacts: size.contacts,
    wecomGroups: size.groups,
    wecomGroupMembers: size.perGroup,
    oaTags: 0,
    corpTagGroups: 0,
    overlap: { groupContacts: 0.6, groupUnionid: 0.7 },
  };
}
