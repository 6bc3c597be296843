import type { DataSource } from 'typeorm';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { CookieJar, startFrontDoors, type FrontDoorHarness, type Reply } from '../integration/h5-harness';

export interface SidebarCustomer {
  externalUserId: string;
  personId: number;
  name: string;
}

export interface SidebarHarness extends FrontDoorHarness {
  corpId: string;
  /** alice follows `mine` (remark 老客户); bob follows `theirs`; nobody follows `stranger` in the gateway's data. */
  mine: SidebarCustomer;
  theirs: SidebarCustomer;
  adminKey: string;
  /** The whole sidebar login as a browser does it: /sidebar → /sidebar/login → emulator authorize → callback → /sidebar. */
  login(userid: string, jar?: CookieJar): Promise<{ jar: CookieJar; callback: Reply; callbackUrl: string }>;
  /** A sidebar API call with the session of `jar` (writes carry the CSRF header unless `csrf: false`). */
  api(
    path: string,
    init?: { jar?: CookieJar; method?: string; json?: unknown; csrf?: boolean; headers?: Record<string, string> },
  ): Promise<Reply>;
}

/**
 * The gateway and an emulator corp with two members (alice, bob) and two customers, synced into the gateway by
 * the real WeCom contacts and staff syncs, plus an admin key for the catalog.
 */
export async function startSidebar(
  db: { ds: DataSource; url: string },
  overrides: Record<string, unknown> = {},
): Promise<SidebarHarness> {
  const h = await startFrontDoors(db, overrides, {
    officialAccounts: 1,
    miniPrograms: 0,
    followers: 5,
    corps: 1,
    wecomStaff: 1,
    wecomContacts: 0,
    corpTagGroups: 0,
  });
  const corpId = h.config.accounts.find((a) => a.kind === 'wecom')!.id;
  for (const userid of ['alice', 'bob']) await h.control.post(`/wecom/${corpId}/staff`, { userid, name: userid });
  const contact = async (name: string, userid: string, remark: string): Promise<SidebarCustomer> => {
    const r = await h.control.post(`/wecom/${corpId}/contacts`, { name, followers: [{ userid, remark }] });
    if (r.status !== 200) throw new Error(`contact not created: ${JSON.stringify(r.data)}`);
    return { externalUserId: r.data.externalUserId, personId: r.data.personId, name };
  };
  const mine = await contact('王小明', 'alice', '老客户');
  const theirs = await contact('李雷', 'bob', '新客户');
  await syncContacts(h, corpId);
  await syncContacts(h, corpId, 'staff');
  const adminKey = (await new ApiKeyService(db.ds).create('sidebar-test-admin', 'admin')).key;

  const login = async (userid: string, jar = new CookieJar()) => {
    const start = await h.request(`/sidebar/login?corpId=${corpId}`, { jar });
    if (start.status !== 302 || !start.location)
      throw new Error(`login did not redirect: ${start.status} ${start.text}`);
    const authorize = await fetch(withEmulatorUser(start.location, userid), { redirect: 'manual' });
    const callbackUrl = authorize.headers.get('location');
    if (authorize.status !== 302 || !callbackUrl)
      throw new Error(`authorize page did not redirect: ${authorize.status} ${await authorize.text()}`);
    return { jar, callback: await h.request(callbackUrl, { jar }), callbackUrl };
  };
  const api: SidebarHarness['api'] = (path, init = {}) => {
    const write = init.method !== undefined && init.method !== 'GET';
    const headers = { ...(write && init.csrf !== false ? { 'x-siyu-sidebar': '1' } : {}), ...init.headers };
    return h.request(`/sidebar/api${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(init.jar ? { jar: init.jar } : {}),
      ...(init.json !== undefined ? { json: init.json } : {}),
    });
  };
  return { ...h, corpId, mine, theirs, adminKey, login, api };
}

export async function syncContacts(
  h: FrontDoorHarness,
  corpId: string,
  resource: 'contacts' | 'staff' | 'groups' = 'contacts',
): Promise<void> {
  const started = await h.app.syncs.start(corpId, resource);
  const done = await started.done;
  if (done.status !== 'done') throw new Error(`${resource} sync ended ${done.status}: ${done.error ?? ''}`);
}

/** The emulator's authorize page takes `emulator_userid` to pick the member signing in (emulator/README.md). */
export function withEmulatorUser(authorizeUrl: string, userid: string): string {
  const u = new URL(authorizeUrl);
  u.searchParams.set('emulator_userid', userid);
  return u.toString();
}
