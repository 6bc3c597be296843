import {
  ApiError,
  sidebarApi,
  type SidebarCustomerJson,
  type SidebarSessionJson,
  type SidebarTagPageJson,
} from './sidebar-api';
import { currentExternalUserId, WecomError } from './wecom-context';

/** What the page shows: one state at a time, each with what the rep needs to read. */
export type SidebarView =
  | { state: 'loading'; step: 'identifying' | 'loading' }
  | { state: 'ready'; externalUserId: string; customer: SidebarCustomerJson; library: SidebarTagPageJson }
  | { state: 'forbidden' }
  | { state: 'notfound' }
  | { state: 'notInChat' }
  | { state: 'sdkUnavailable' }
  | { state: 'agentConfigFailed'; detail: string }
  | { state: 'sessionLost' }
  | { state: 'error'; message: string };

const RELOGIN_KEY = 'siyu-sidebar-relogin';

/**
 * The session is gone: the page route sends the browser through WeCom's silent login once, not in a loop
 * (a second 401 within 30 s means the login itself does not stick).
 */
export function relogin(): SidebarView {
  const last = Number(sessionStorage.getItem(RELOGIN_KEY) ?? 0);
  if (Date.now() - last < 30_000) return { state: 'sessionLost' };
  sessionStorage.setItem(RELOGIN_KEY, String(Date.now()));
  location.replace(`/sidebar${location.search}`);
  return { state: 'loading', step: 'identifying' };
}

export function viewOfError(e: unknown): SidebarView {
  if (e instanceof WecomError) {
    if (e.code === 'NOT_IN_CHAT') return { state: 'notInChat' };
    if (e.code === 'SDK_UNAVAILABLE') return { state: 'sdkUnavailable' };
    return { state: 'agentConfigFailed', detail: e.message };
  }
  if (!(e instanceof ApiError)) return { state: 'error', message: e instanceof Error ? e.message : String(e) };
  if (e.status === 401) return relogin();
  if (e.status === 403 && e.code === 'NOT_YOUR_CUSTOMER') return { state: 'forbidden' };
  if (e.status === 404 && e.code === 'CUSTOMER_NOT_FOUND') return { state: 'notfound' };
  return { state: 'error', message: `${e.message} (${e.code})` };
}

/** Who is signed in (name and corp), read before anything else so every state can say it. */
export async function loadSession(): Promise<SidebarSessionJson> {
  return sidebarApi.session();
}

/** The chat's customer through the JS-SDK, then the profile and the tag library together. */
export async function loadCustomer(onStep: (view: SidebarView) => void): Promise<SidebarView> {
  onStep({ state: 'loading', step: 'identifying' });
  const pageUrl = location.href.split('#')[0] ?? location.href;
  const externalUserId = await currentExternalUserId(await sidebarApi.jssdkConfig(pageUrl));
  onStep({ state: 'loading', step: 'loading' });
  const [customer, library] = await Promise.all([sidebarApi.customer(externalUserId), sidebarApi.tags()]);
  sessionStorage.removeItem(RELOGIN_KEY);
  return { state: 'ready', externalUserId, customer, library };
}
