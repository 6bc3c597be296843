import path from 'path';
import type { DemoSummary } from './demo-summary';

const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;

function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `./${rel}` : file;
}

/** The text `siyu demo` prints at the end: what happened, then where to look and what to try. */
export function formatSummary(s: DemoSummary): string {
  const accepted = s.callbacks.filter((c) => c.accepted).length;
  const ids = Object.entries(s.identitiesByType)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([t, n]) => `${t} ${n}`)
    .join(' · ');
  const t = s.tag;
  const p = s.person;
  const auth = `-H 'Authorization: Bearer ${s.adminKey}'`;
  return [
    '',
    `Siyu demo — done in ${s.seconds.toFixed(1)} s`,
    '',
    `  callbacks       ${accepted}/${s.callbacks.length} accepted: OA subscribe + text in safe, compatible and plaintext mode, WeCom add_external_contact, Pay TRANSACTION.SUCCESS (inbox: ${s.inboxFailed} failed)`,
    `  full syncs      ${s.syncs.map((x) => `${x.accountName ?? x.accountId} ${x.resource} ${x.processed}`).join(' · ')}`,
    `  customers       ${s.customers} for the ${s.personsSeen} emulator persons Siyu has seen (${s.persons} in the world); ${s.merges} merges`,
    `  vs. the truth   ${s.customersMixingPersons} customers mixing two persons · ${s.personsSplit} persons split over several customers`,
    `  identities      ${ids}`,
    `  story person    ${p.name} (${p.customerId}): ${p.identityTypes.join(', ')}; ${p.orders} order(s), ${yuan(p.totalSpent)}; tags: ${p.tags.map((x) => `${x.name} (${x.source})`).join(', ') || '—'}`,
    `  customer group  ${s.group.name} in WeCom ${s.group.corpId} (${s.group.members} members); on the story person's profile: ${p.groups.join(', ') || '—'}`,
    `  segment         "${t.tagName}" — paid at least once, or OA follower who is a WeCom contact: ${t.members} customers`,
    `  in WeChat       OA ${t.oa.appId}: tag ${t.oa.remoteTagId} on ${t.oa.emulatorMembers} followers (Siyu: ${t.oa.pushed} of ${t.oa.desired} pushed, ${t.oa.failed} refused)`,
    `                  WeCom ${t.wecom.corpId}: corp tag on ${t.wecom.emulatorRelations} relations (Siyu: ${t.wecom.pushed} of ${t.wecom.desired} pushed, ${t.wecom.failed} refused)`,
    `  outbox          ${t.outbox.done} done · ${t.outbox.dead} dead · ${t.outbox.pending} pending`,
    '',
    `  gateway         ${s.gatewayUrl}  (${s.database.startsWith('mysql:') ? s.database : `SQLite ${shown(s.database)}`})`,
    `  emulator        ${s.emulatorUrl}  (control API: ${s.emulatorUrl}/_emulator/apps)`,
    ...s.pages.map((pg) => `  ${pg.path.slice(1).padEnd(15)} ${pg.url}  (${pg.note})`),
    `  admin API key   ${s.adminKey}  (for scripts and curl; people sign in to the console as themselves)`,
    `  CLI config      ${shown(s.configFile)}  (SIYU_CONFIG for siyu commands on the demo's database: source "${s.sourceId}" for imports, H5 logins may redirect to the gateway)`,
    '',
    `  curl ${auth} '${s.gatewayUrl}/api/v1/customers?limit=5'`,
    `  curl ${auth} '${s.gatewayUrl}/api/v1/customers/lookup?type=mp_openid&scope=${p.mpAppId}&value=${p.mpOpenid}'`,
    `  curl ${auth} '${s.gatewayUrl}/api/v1/tags/${t.tagId}'`,
    `  SIYU_CONFIG=${shown(s.configFile)} npx siyu import customers.csv --kind customers --source ${s.sourceId}`,
    '',
  ].join('\n');
}
