import { createHash } from 'crypto';
import { call, forEachLimit } from '../identity/http';

interface Delivered {
  delivery?: { delivered: boolean };
}

export interface ChangeCounts {
  adds: number;
  removes: number;
  /** Callbacks the gateway did not acknowledge. */
  undelivered: number;
  /** Member picks the emulator refused (409: already in the group) and that were made again. */
  repicked: number;
}

/** A stable number for the i-th pick of a kind, so one seed always drives the same changes. */
const pick = (...parts: (string | number)[]): number =>
  createHash('md5').update(parts.join(':')).digest().readUInt32LE(0);

/** Every live group's chat_id, through the emulator's state routes. */
export async function liveGroups(emu: string, corpId: string): Promise<{ chatId: string; memberCount: number }[]> {
  const out: { chatId: string; memberCount: number }[] = [];
  for (let from = 0; ; from += 10_000) {
    const page = await call<{ groups: { chatId: string; dismissed: boolean; memberCount: number }[]; total: number }>(
      `${emu}/_emulator/state/wecom/${corpId}/groups?from=${from}&limit=10000`,
    );
    out.push(...page.groups.filter((g) => !g.dismissed));
    if (from + 10_000 >= page.total) return out;
  }
}

/**
 * Member changes as people make them in the WeCom client, through the emulator's control routes with
 * `notify: true`, so each one sends WeChat's `change_external_chat` (update, add_member / del_member) to the
 * gateway: `changes` of them, alternating add and remove, spread round-robin over `active` live groups (so the
 * lanes in flight never touch one group at once). Added members are, in turn, a new WeChat user (with a unionid),
 * a new WeCom user, a seeded person (whose unionid may link them to a follower) and a contact of the corp;
 * removed ones are external members the group holds, some leaving (QuitScene 0), some removed (1).
 */
export async function memberChanges(
  emu: string,
  corpId: string,
  opts: { changes: number; active: readonly string[]; persons: number; contacts: readonly string[]; lanes?: number },
): Promise<ChangeCounts> {
  const counts: ChangeCounts = { adds: 0, removes: 0, undelivered: 0, repicked: 0 };
  const base = `${emu}/_emulator/wecom/${corpId}/groups`;
  const indexes = Array.from({ length: opts.changes }, (_, i) => i);
  await forEachLimit(indexes, opts.lanes ?? 8, async (i) => {
    const chatId = opts.active[i % opts.active.length]!;
    let r: Delivered;
    if (i % 2 === 0) {
      r = await add(base, chatId, i, opts, counts);
      counts.adds++;
    } else {
      const g = await call<{ members: { type: number; userid: string }[] }>(
        `${emu}/_emulator/state/wecom/${corpId}/groups/${chatId}`,
      );
      const external = g.members.filter((m) => m.type === 2);
      if (external.length === 0) {
        r = await add(base, chatId, i, opts, counts);
        counts.adds++;
      } else {
        const gone = external[pick('remove', i) % external.length]!.userid;
        r = await call<Delivered>(`${base}/${chatId}/members/remove`, {
          json: { members: [gone], quitScene: i % 4 === 1 ? 0 : 1, notify: true },
        });
        counts.removes++;
      }
    }
    if (!r.delivery?.delivered) counts.undelivered++;
  });
  return counts;
}

async function add(
  base: string,
  chatId: string,
  i: number,
  opts: { persons: number; contacts: readonly string[] },
  counts: ChangeCounts,
): Promise<Delivered> {
  const kind = (i >> 1) % 4;
  for (let attempt = 0; ; attempt++) {
    const member =
      kind === 0 || attempt >= 8
        ? { stranger: 1 }
        : kind === 1
          ? { stranger: 2 }
          : kind === 2 || opts.contacts.length === 0
            ? { personId: pick('person', i, attempt) % opts.persons }
            : { externalUserId: opts.contacts[pick('contact', i, attempt) % opts.contacts.length]! };
    try {
      return await call<Delivered>(`${base}/${chatId}/members`, {
        json: { members: [member], joinScene: i % 3 === 0 ? 3 : 1, notify: true },
      });
    } catch (err) {
      if (!/→ 409 .*ALREADY_MEMBER/.test(String(err))) throw err;
      counts.repicked++;
    }
  }
}
