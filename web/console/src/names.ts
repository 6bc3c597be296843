import { ref } from 'vue';
import { api } from './api/http';
import type { CustomerSummary, StaffPageJson, SyncSource } from './api/types';
import { t } from './i18n';
import { identityLabel } from './labels';

/**
 * A customer's title: the API's best known name, else the display name, else the channel it came from with the
 * last characters of that id — never the UUID (DESIGN §8.3 `Customer`).
 */
export function customerTitle(
  c: Pick<CustomerSummary, 'displayName'> & {
    identities?: CustomerSummary['identities'];
    name?: string | null;
    nameSource?: string | null;
  },
): string {
  // A name the gateway could only derive from the id is no better than the channel label below.
  if (c.name && c.nameSource !== 'id') return c.name;
  if (c.displayName) return c.displayName;
  const ids = c.identities ?? [];
  const first = ids.find((i) => i.type !== 'phone' && i.type !== 'unionid') ?? ids[0];
  if (!first) return t('customer.unnamed');
  return t('customer.channelLabel', { channel: identityLabel(first.type), tail: first.value.slice(-4) });
}

/** A name for a customer known only by id (merges, conflicts): the name the API sent, else a short id. */
export function customerRef(id: string, name?: string | null): string {
  return name || t('customer.byId', { id: id.slice(0, 8) });
}

const sources = ref<SyncSource[] | null>(null);
let loading: Promise<void> | null = null;

/**
 * Configured accounts with their names (`GET /api/v1/syncs/sources`, operators and up). A viewer, or a gateway
 * without names, sees the appid / corpid instead.
 */
export function loadAccounts(): Promise<void> {
  loading ??= api<{ items: SyncSource[] }>('/syncs/sources')
    .then((r) => {
      sources.value = r.items;
    })
    .catch(() => {
      sources.value = [];
    });
  return loading;
}

export function accounts() {
  return sources;
}

const seen = ref<Record<string, string>>({});

/**
 * Account names the API sent with rows (a profile's identities, follows and subscriptions): a viewer may not read
 * the account list, so the timeline names the accounts the profile already named.
 */
export function rememberAccountNames(pairs: readonly (readonly [string, string | null | undefined])[]): void {
  const next = { ...seen.value };
  for (const [account, name] of pairs) if (name) next[account] = name;
  seen.value = next;
}

/** The configured name of an account given its id, appid or corpid (or the name the API sent with a row). */
export function accountName(account: string | null | undefined, known?: string | null): string {
  if (known) return known;
  if (!account) return '—';
  const s = sources.value?.find((x) => x.accountId === account || x.appId === account || x.corpId === account);
  return s?.accountName || seen.value[account] || account;
}

export function resetAccounts(): void {
  sources.value = null;
  seen.value = {};
  loading = null;
}

const staff = ref<Record<string, string>>({});
const staffLoaded = new Set<string>();

/** Staff names of a corp from the directory (`GET /api/v1/staff?corpId=`); absent directory = userids shown. */
export function loadStaff(corpId: string): Promise<void> {
  if (staffLoaded.has(corpId)) return Promise.resolve();
  staffLoaded.add(corpId);
  return api<StaffPageJson>(`/staff?corpId=${encodeURIComponent(corpId)}`)
    .then((r) => {
      const next = { ...staff.value };
      for (const s of r.items) if (s.name) next[`${s.corpId}/${s.userid}`] = s.name;
      staff.value = next;
    })
    .catch(() => undefined);
}

export function staffName(corpId: string, userid: string, known?: string | null): string {
  return known || staff.value[`${corpId}/${userid}`] || userid;
}

/** Every corp's staff, for pickers (segment builder "followed by"). */
export function staffList(): { corpId: string; userid: string; name: string }[] {
  return Object.entries(staff.value).map(([k, name]) => {
    const [corpId = '', userid = ''] = k.split('/');
    return { corpId, userid, name };
  });
}
