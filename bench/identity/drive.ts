import type { PersonTruth } from './truth';
import { call, forEachLimit } from './http';

export interface Apps {
  officialAccounts: { appId: string; bound: boolean }[];
  miniPrograms: { appId: string }[];
  corps: { corpId: string }[];
}

export interface Gateway {
  url: string;
  key: string;
}

const has = (p: PersonTruth, type: string, scope?: string) =>
  p.identities.find((i) => i.type === type && (scope === undefined || i.scope === scope));

/**
 * Runs the full syncs through the admin API, one after another as the nightly job does; answers each one's items
 * and wall time (from the POST to the poll that saw it end).
 */
export async function runSyncs(
  gw: Gateway,
  jobs: [string, string][],
  log: (s: string) => void,
): Promise<{ processed: number; ms: number }[]> {
  const out: { processed: number; ms: number }[] = [];
  for (const [accountId, resource] of jobs) {
    const t0 = performance.now();
    const { id } = await call<{ id: string }>(`${gw.url}/api/v1/syncs`, { json: { accountId, resource }, key: gw.key });
    for (;;) {
      const p = await call<{ status: string; processed: number; rate: number; error: string | null }>(
        `${gw.url}/api/v1/syncs/${id}`,
        { key: gw.key },
      );
      if (p.status !== 'running') {
        log(
          `  sync ${accountId} ${resource}: ${p.status}, ${p.processed} items at ${p.rate}/s${p.error ? ` (${p.error})` : ''}`,
        );
        if (p.status !== 'done') throw new Error(`sync ${id} ended ${p.status}`);
        out.push({ processed: p.processed, ms: performance.now() - t0 });
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return out;
}

/**
 * Mini Program users (the first `max`) log in (wx.login code → POST /mp/:appId/login → jscode2session); every
 * `phoneEvery`-th of them with a phone also links it through the verified phone API (POST /mp/:appId/phone).
 */
export async function mpLogins(
  emu: string,
  gw: Gateway,
  appId: string,
  persons: PersonTruth[],
  phoneEvery: number,
  max: number,
): Promise<{ logins: number; phones: Set<number> }> {
  const users = persons.filter((p) => has(p, 'mp_openid', appId)).slice(0, max);
  const phones = new Set<number>();
  await forEachLimit(users, 32, async (p, i) => {
    const openid = has(p, 'mp_openid', appId)!.value;
    const { code } = await call<{ code: string }>(`${emu}/_emulator/mp/${appId}/js-codes`, { json: { openid } });
    const login = await call<{ token: string }>(`${gw.url}/mp/${appId}/login`, { json: { code } });
    if (p.phone && i % phoneEvery === 0) {
      const phone = await call<{ code: string }>(`${emu}/_emulator/mp/${appId}/phone-codes`, { json: { openid } });
      await call(`${gw.url}/mp/${appId}/phone`, { json: { code: phone.code }, key: login.token });
      phones.add(p.personId);
    }
  });
  return { logins: users.length, phones };
}

/**
 * Callbacks WeChat would send after the syncs, replayed through the emulator's sender to the gateway: people who
 * follow the first OA now (subscribe → user/info brings their unionid), people already known who are added by
 * staff on WeCom (add → externalcontact/get brings the unionid), edits of existing relations, and new followers
 * of the unbound OA (openid only: nothing to link).
 */
export async function replayCallbacks(
  emu: string,
  apps: Apps,
  persons: PersonTruth[],
  n: number,
): Promise<Record<string, number>> {
  const [oa1, oa2] = apps.officialAccounts;
  const corp = apps.corps[0]!.corpId;
  const counts: Record<string, number> = { subscribe: 0, wecomAdd: 0, wecomEdit: 0, unboundSubscribe: 0 };
  const oa1Openids = persons.flatMap((p) =>
    has(p, 'oa_openid', oa1!.appId) ? [has(p, 'oa_openid', oa1!.appId)!.value] : [],
  );
  const notFollowing: string[] = [];
  for (const openid of oa1Openids.slice(-Math.ceil(n * 3))) {
    const u = await call<{ subscribe: number }>(`${emu}/_emulator/state/oa/${oa1!.appId}/users/${openid}`);
    if (u.subscribe === 0) notFollowing.push(openid);
    if (notFollowing.length >= n) break;
  }
  await forEachLimit(notFollowing, 8, async (openid) => {
    await call(`${emu}/_emulator/oa/${oa1!.appId}/users/${openid}/subscribe`, { json: { notify: true } });
    counts.subscribe!++;
  });

  const relations = (
    await call<{ relations: { userid: string; externalUserId: string }[] }>(
      `${emu}/_emulator/state/wecom/${corp}/relations?limit=${n}`,
    )
  ).relations;
  const staff = [...new Set(relations.map((r) => r.userid))];
  const newContacts = persons
    .filter((p) => has(p, 'oa_openid', oa1!.appId) && !has(p, 'wecom_external_userid'))
    .slice(0, n);
  await forEachLimit(newContacts, 8, async (p, i) => {
    await call(`${emu}/_emulator/wecom/${corp}/contacts`, {
      json: { personId: p.personId, followers: [{ userid: staff[i % staff.length]! }], notify: true },
    });
    counts.wecomAdd!++;
  });
  await forEachLimit(relations, 8, async (r) => {
    await call(`${emu}/_emulator/callbacks/wecom/${corp}/external-contact`, {
      json: { changeType: 'edit_external_contact', userId: r.userid, externalUserId: r.externalUserId },
    });
    counts.wecomEdit!++;
  });
  if (oa2) {
    const fresh = persons.filter((p) => !has(p, 'oa_openid', oa2.appId)).slice(0, Math.ceil(n / 2));
    await forEachLimit(fresh, 8, async (p) => {
      const { users } = await call<{ users: { openid: string }[] }>(`${emu}/_emulator/oa/${oa2.appId}/users`, {
        json: { personId: p.personId, subscribed: false },
      });
      await call(`${emu}/_emulator/oa/${oa2.appId}/users/${users[0]!.openid}/subscribe`, { json: { notify: true } });
      counts.unboundSubscribe!++;
    });
  }
  return counts;
}
