import { loadavg } from 'os';
import path from 'path';
import type { DataSource } from '../src/storage';
import { select } from '../src/storage/sql';
import { groupsWorld, type GroupsBenchSize } from './groups/world';
import { liveGroups, memberChanges } from './groups/member-changes';
import { apiCalls, resetCounters } from './groups/api-calls';
import { scoreHeld } from './groups/identity-check';
import { runSyncs } from './identity/drive';
import { call } from './identity/http';
import { startBenchGateway } from './shared/bench-gateway';
import { startChild } from './shared/child-process';
import { drained } from './shared/drained';
import { arg, benchDatabase } from './shared/fresh-database';
import { cpuSeconds, databaseServerPid } from './shared/process-cpu';
import { RssWatch } from './shared/process-memory';

/**
 * `npm run bench:groups` (DESIGN §9, §10.1): an emulator corp with `--groups` customer groups holding `--members`
 * memberships in all (≈ 200 a group; 60 % of the external members are contacts of some staff member, the rest
 * strangers, most of them WeChat users with a unionid), and the real gateway on MySQL, each in its own process.
 * The OA followers and the corp's contacts are synced first (so group members have customers to join), then the
 * measured part: the full `groups` sync (groupchat/list + groupchat/get per group), then `--changes` member
 * changes (add / remove) made in the emulator, each sending `change_external_chat` to the gateway, until the inbox
 * and the re-reads are drained. Prints wall time, memberships/s, the gateway's peak RSS over both, groupchat calls
 * against the minimum, callbacks processed, whether the stored members match the emulator, and the identity
 * precision/recall against the emulator's truth, each next to its target.
 * Run: npm run bench:groups [-- --groups 10000 --members 2000000 --changes 10000 --active 1000 --contacts 100000
 *   --followers 100000 --database mysql://root:@127.0.0.1:3306/<fresh> --keep --cpu-prof <dir>]
 */
const SYNC_TARGET_S = 300;
const TARGET_MEMBERSHIPS = 2_000_000;
const RSS_TARGET_MB = 300;

async function main(): Promise<void> {
  const size = benchSize();
  const db = await benchDatabase(arg('database'));
  const log = (s: string) => console.log(s);
  const mark = (ok: boolean, target: string) => (ok ? `(target ${target} met)` : `(target ${target} NOT met)`);
  const started = Date.now();
  const emu = await startChild(
    path.join(__dirname, 'shared'),
    'emulator-child',
    { BENCH_WORLD: JSON.stringify(groupsWorld(size)) },
    ['--max-old-space-size=4096'],
  );
  let failed = false;
  try {
    const emuUrl = String(emu.ready.url);
    log(
      `groups bench: ${size.groups.toLocaleString('en')} groups × ${size.perGroup} members, ${size.contacts.toLocaleString('en')} contacts, ${Number(emu.ready.persons).toLocaleString('en')} persons (world seeded in ${(Number(emu.ready.seedMs) / 1000).toFixed(1)} s) → ${db.url.replace(/\/\/[^@]*@/, '//')}`,
    );
    const profDir = arg('cpu-prof');
    const {
      ds,
      child: gwChild,
      gw,
      apps,
    } = await startBenchGateway(db.url, emu.ready, profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
    try {
      const corp = apps.corps[0]!.corpId;
      await call(`${emuUrl}/_emulator/apps/${corp}`, {
        method: 'PATCH',
        json: { url: `${gw.url}/wechat/wecom/${corp}` },
      });

      log('before (not measured):');
      await runSyncs(
        gw,
        [...apps.officialAccounts.map((a): [string, string] => [a.appId, 'followers']), [corp, 'contacts']],
        log,
      );

      log('measured:');
      let rss = new RssWatch(gwChild.process.pid!);
      await resetCounters(emuUrl);
      // CPU seconds rather than wall time alone: the machine is shared, and the split says which side to work on.
      const cpu = () => [cpuSeconds(gwChild.process.pid), cpuSeconds(databaseServerPid()), cpuSeconds(emu.process.pid)];
      const cpu0 = cpu();
      const [sync] = await runSyncs(gw, [[corp, 'groups']], log);
      const syncCpu = cpu().map((c, i) => (c === undefined || cpu0[i] === undefined ? NaN : c - cpu0[i]!));
      const syncCalls = await apiCalls(emuUrl);
      const memberships = await currentMemberships(ds);
      const groups = await liveGroups(emuUrl, corp);
      const emuMemberships = groups.reduce((n, g) => n + g.memberCount, 0);

      const contacts = (
        await call<{ relations: { externalUserId: string }[] }>(
          `${emuUrl}/_emulator/state/wecom/${corp}/relations?limit=5000`,
        )
      ).relations.map((r) => r.externalUserId);
      const active = Array.from(
        { length: Math.min(size.active, groups.length) },
        (_, k) => groups[Math.floor((k * groups.length) / Math.min(size.active, groups.length))]!.chatId,
      );
      // One peak per phase: the sync and the member-change callbacks stress different paths.
      const syncMem = rss.stop();
      rss = new RssWatch(gwChild.process.pid!);
      const inboxBefore = await inboxDone(ds);
      await resetCounters(emuUrl);
      const t1 = performance.now();
      const changes = await memberChanges(emuUrl, corp, {
        changes: size.changes,
        active,
        persons: Number(emu.ready.persons),
        contacts,
      });
      const sentMs = performance.now() - t1;
      const d = await drained(ds);
      const changesMs = performance.now() - t1;
      const changeCalls = await apiCalls(emuUrl);
      const changesMem = rss.stop();
      const mem = { ...changesMem, peakMb: Math.max(syncMem.peakMb, changesMem.peakMb) };
      const processed = (await inboxDone(ds)) - inboxBefore;
      const stale = await staleGroups(ds, emuUrl, corp, active);

      const score = await scoreHeld(ds, emuUrl, apps);
      await ds.destroy();

      const syncS = sync!.ms / 1000;
      const minCalls = Math.max(1, Math.ceil(groups.length / 1000)) + groups.length;
      const calls = syncCalls.list + syncCalls.get;
      log('');
      // The target is for 2,000,000 memberships: a scaled-down run is judged by its rate at that size.
      const rate = memberships / syncS;
      const atTargetS = memberships >= TARGET_MEMBERSHIPS ? syncS : TARGET_MEMBERSHIPS / rate;
      log(
        `sync      ${sync!.processed.toLocaleString('en')} groups, ${memberships.toLocaleString('en')} current memberships stored (emulator: ${emuMemberships.toLocaleString('en')}) in ${syncS.toFixed(1)} s = ${rate.toFixed(0)} memberships/s${memberships < TARGET_MEMBERSHIPS ? `, ${(atTargetS / 60).toFixed(1)} min at this rate for 2,000,000` : ''} ${mark(atTargetS <= SYNC_TARGET_S && memberships === emuMemberships, '2,000,000 in ≤ 5 min, all stored')}`,
      );
      log(
        `cpu       over the sync: gateway ${syncCpu[0]!.toFixed(1)} s, database server ${syncCpu[1]!.toFixed(1)} s, emulator ${syncCpu[2]!.toFixed(1)} s (load average ${loadavg()[0]!.toFixed(1)} at the end)`,
      );
      log(
        `calls     groupchat/list ${syncCalls.list} + groupchat/get ${syncCalls.get} = ${calls} (minimum ${minCalls}: list pages + one get per group; errors ${syncCalls.errors}) ${mark(calls === minCalls, 'at the minimum')}`,
      );
      log(
        `callbacks ${(changes.adds + changes.removes).toLocaleString('en')} member changes (${changes.adds} add, ${changes.removes} remove over ${active.length} groups; ${changes.undelivered} not acknowledged) sent in ${(sentMs / 1000).toFixed(1)} s, ${processed.toLocaleString('en')} callbacks processed, drained ${(d.ms / 1000).toFixed(1)} s after the last (failed: inbox ${d.failedInbox}, re-reads ${d.failedRefresh}); ${(changesMs / 1000).toFixed(1)} s in all`,
      );
      log(
        `          re-reads: groupchat/get ${changeCalls.get} for ${changes.adds + changes.removes} callbacks (coalesced per group); groups whose stored members differ from the emulator: ${stale} of ${active.length} changed ${mark(stale === 0, 'none')}`,
      );
      log(
        `memory    gateway peak RSS ${mem.peakMb.toFixed(0)} MB: ${syncMem.peakMb.toFixed(0)} MB over the sync, ${changesMem.peakMb.toFixed(0)} MB over the callbacks (${mem.kernelPeak ? "kernel's high-water mark" : 'sampled every 100 ms'}) ${mark(mem.peakMb <= RSS_TARGET_MB, `≤ ${RSS_TARGET_MB} MB`)}`,
      );
      log(
        `identity  ${score.customers.toLocaleString('en')} customers for ${score.personsSeen.toLocaleString('en')} persons seen (a perfect resolver: ${score.idealCustomers.toLocaleString('en')}); precision ${(score.precision * 100).toFixed(3)} % (${score.impureCustomers} customers hold two persons, ${score.unknownIdentities} identities unknown to the truth), recall ${(score.recall * 100).toFixed(3)} % (${score.splitPersons} of ${score.personsCounted.toLocaleString('en')} persons split) ${mark(score.precision === 1 && score.recall === 1, '100 %')}`,
      );
      log(`wall time ${((Date.now() - started) / 1000).toFixed(0)} s for the whole bench`);
      failed =
        memberships !== emuMemberships ||
        stale > 0 ||
        changes.undelivered > 0 ||
        d.failedInbox + d.failedRefresh > 0 ||
        score.precision < 1 ||
        score.recall < 1;
    } finally {
      await gwChild.stop();
    }
  } finally {
    await emu.stop();
    if (!process.argv.includes('--keep')) await db.drop();
  }
  if (failed) process.exitCode = 1;
}

function benchSize(): GroupsBenchSize {
  const int = (name: string, def: number, min = 1): number => {
    const v = Number(arg(name, String(def)));
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return v;
  };
  const groups = int('groups', 10_000);
  const members = int('members', 2_000_000);
  const perGroup = Math.round(members / groups);
  if (perGroup < 4 || perGroup > 2000) throw new Error('--members / --groups must be 4..2000 (a group holds ≤ 2000)');
  const contacts = int('contacts', Math.max(1000, Math.round(members / 20)));
  return {
    groups,
    perGroup,
    contacts,
    followers: int('followers', contacts),
    changes: int('changes', 10_000, 0),
    active: int('active', Math.max(8, Math.round(groups / 10))),
  };
}

async function currentMemberships(ds: DataSource): Promise<number> {
  const [r] = await select<{ n: unknown }>(ds, 'SELECT COUNT(*) AS n FROM wecom_group_members WHERE left_at IS NULL');
  return Number(r!.n);
}

async function inboxDone(ds: DataSource): Promise<number> {
  const [r] = await select<{ n: unknown }>(ds, "SELECT COUNT(*) AS n FROM inbox WHERE status = 'done'");
  return Number(r!.n);
}

/** Of the changed groups, how many the gateway stores with other current members than the emulator holds. */
async function staleGroups(ds: DataSource, emu: string, corpId: string, chatIds: readonly string[]): Promise<number> {
  let stale = 0;
  for (const chatId of chatIds) {
    const g = await call<{ members: { userid: string }[] }>(`${emu}/_emulator/state/wecom/${corpId}/groups/${chatId}`);
    const rows = await select<{ userid: string }>(
      ds,
      'SELECT userid FROM wecom_group_members WHERE corp_id = ? AND chat_id = ? AND left_at IS NULL',
      [corpId, chatId],
    );
    const stored = new Set(rows.map((r) => String(r.userid)));
    if (stored.size !== g.members.length || g.members.some((m) => !stored.has(m.userid))) stale++;
  }
  return stale;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
