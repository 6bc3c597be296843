import path from 'path';
import { PhoneCrypto } from '../src/security/phone-crypto';
import { select } from '../src/storage/sql';
import { liveGroups, memberChanges } from './groups/member-changes';
import { call } from './identity/http';
import { mpLogins, replayCallbacks, runSyncs } from './identity/drive';
import { heldIdentities } from './identity/held';
import { scoreIdentities } from './identity/score';
import { loadTruth } from './identity/truth';
import { startBenchGateway } from './shared/bench-gateway';
import { startChild } from './shared/child-process';
import { arg, benchDatabase } from './shared/fresh-database';
import { drained } from './shared/drained';
import { BENCH_DATA_KEY } from './shared/gateway-child';

/**
 * Identity resolution against ground truth: an emulator world of ≥ 100,000 persons over 2 OAs (one
 * bound to the open platform, one not), 1 Mini Program and 1 WeCom corp with customer groups (contacts in
 * several groups, strangers with and without a unionid); the real gateway runs full syncs (followers of both OAs,
 * corp tags, contacts, groups), MP users log in through POST /mp/:appId/login (every fifth of them with a phone
 * also links it through the verified phone API), and callbacks are replayed through the emulator's sender (new
 * follows, WeCom adds and edits, unbound-OA follows, group members added and removed). Then Siyu's customers are
 * compared with the emulator's truth: customers vs persons, precision and recall (see identity/score.ts). Target:
 * both 100 %.
 * Run: npm run bench:identity [-- --followers 90000 --contacts 20000 --groups 300 --group-members 100 --mp-logins 20000 --replay 1000 --database mysql://…/<fresh>]
 */
async function main(): Promise<void> {
  const followers = Number(arg('followers', '90000'));
  const contacts = Number(arg('contacts', '20000'));
  const replay = Number(arg('replay', '1000'));
  // Groups hold contacts (several groups each, at these sizes) and strangers with and without a unionid.
  const groups = Number(arg('groups', '300'));
  const groupMembers = Number(arg('group-members', '100'));
  const maxLogins = Number(arg('mp-logins', '20000'));
  const db = await benchDatabase(arg('database'));
  const log = (s: string) => console.log(s);
  const started = Date.now();
  const emu = await startChild(
    path.join(__dirname, 'shared'),
    'emulator-child',
    {
      BENCH_WORLD: JSON.stringify({
        seed: 5,
        followers,
        officialAccounts: 2,
        miniPrograms: 1,
        corps: 1,
        merchants: 0,
        wecomStaff: 60,
        wecomContacts: contacts,
        wecomGroups: groups,
        wecomGroupMembers: groupMembers,
      }),
    },
    ['--max-old-space-size=4096'],
  );
  try {
    const emuUrl = String(emu.ready.url);
    log(
      `identity bench: ${Number(emu.ready.persons).toLocaleString('en')} persons (2 OAs, 1 MP, 1 corp) → ${db.url.replace(/\/\/[^@]*@/, '//')}`,
    );
    const { ds, child: gwChild, gw, apps } = await startBenchGateway(db.url, emu.ready);
    try {
      for (const a of apps.officialAccounts)
        await call(`${emuUrl}/_emulator/apps/${a.appId}`, {
          method: 'PATCH',
          json: { url: `${gw.url}/wechat/official-account/${a.appId}` },
        });
      for (const m of apps.miniPrograms)
        await call(`${emuUrl}/_emulator/apps/${m.appId}`, {
          method: 'PATCH',
          json: { url: `${gw.url}/wechat/mini-program/${m.appId}` },
        });
      for (const c of apps.corps)
        await call(`${emuUrl}/_emulator/apps/${c.corpId}`, {
          method: 'PATCH',
          json: { url: `${gw.url}/wechat/wecom/${c.corpId}` },
        });

      log('full syncs:');
      const corp = apps.corps[0]!.corpId;
      await runSyncs(
        gw,
        [
          ...apps.officialAccounts.map((a): [string, string] => [a.appId, 'followers']),
          [corp, 'corp-tags'],
          [corp, 'contacts'],
          [corp, 'groups'],
        ],
        log,
      );
      const before = await loadTruth(emuUrl);
      const mp = apps.miniPrograms[0]!.appId;
      const t1 = Date.now();
      const phoneEvery = 5;
      const logins = await mpLogins(emuUrl, gw, mp, before, phoneEvery, maxLogins);
      log(
        `mini program: ${logins.logins} logins, ${logins.phones.size} verified phones in ${((Date.now() - t1) / 1000).toFixed(0)} s`,
      );
      const replayed: Record<string, number> = await replayCallbacks(emuUrl, apps, before, replay);
      if (groups > 0) {
        const live = await liveGroups(emuUrl, corp);
        const contactIds = (
          await call<{ relations: { externalUserId: string }[] }>(
            `${emuUrl}/_emulator/state/wecom/${corp}/relations?limit=2000`,
          )
        ).relations.map((r) => r.externalUserId);
        const changed = await memberChanges(emuUrl, corp, {
          changes: replay,
          active: live.slice(0, Math.max(8, Math.ceil(live.length / 4))).map((g) => g.chatId),
          persons: before.length,
          contacts: contactIds,
        });
        replayed.groupAdd = changed.adds;
        replayed.groupRemove = changed.removes;
      }
      log(
        `callbacks replayed: ${Object.entries(replayed)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
      const d = await drained(ds);
      log(
        `inbox and refresh queue drained in ${(d.ms / 1000).toFixed(0)} s (failed: inbox ${d.failedInbox}, refresh ${d.failedRefresh})`,
      );

      const truth = await loadTruth(emuUrl);
      const verifiedPhones = logins.phones;
      const held = await heldIdentities(ds);
      const phones = new PhoneCrypto(Buffer.from(BENCH_DATA_KEY, 'hex'));
      const bound = new Set([...apps.officialAccounts.filter((a) => a.bound).map((a) => a.appId), mp, corp]);
      const s = scoreIdentities(truth, held, { bound, verifiedPhones, phoneKey: (p) => phones.hash(p) });
      const active = (
        await select<{ n: unknown }>(ds, "SELECT COUNT(*) AS n FROM customers WHERE status = 'active'")
      )[0]!.n;
      const merges = (await select<{ n: unknown }>(ds, 'SELECT COUNT(*) AS n FROM merge_log'))[0]!.n;
      const conflicts = (await select<{ n: unknown }>(ds, 'SELECT COUNT(*) AS n FROM identity_conflicts'))[0]!.n;
      await ds.destroy();
      log('');
      log(
        `persons   ${s.persons.toLocaleString('en')} in the world, ${s.personsSeen.toLocaleString('en')} seen by Siyu`,
      );
      log(
        `customers ${Number(active).toLocaleString('en')} active (${s.customers.toLocaleString('en')} holding identities); a perfect resolver: ${s.idealCustomers.toLocaleString('en')}; merges ${merges}, conflicts ${conflicts}`,
      );
      log(
        `precision ${(s.precision * 100).toFixed(3)} % (${s.impureCustomers} customers hold identities of two persons; ${s.unknownIdentities} identities unknown to the truth)`,
      );
      log(
        `recall    ${(s.recall * 100).toFixed(3)} % (${s.splitPersons} of ${s.personsCounted.toLocaleString('en')} persons with connected identities split over customers)`,
      );
      for (const p of s.splits)
        log(`  split person ${p.personId}: ${p.held.map((h) => `${h.key} → ${h.customerId}`).join(', ')}`);
      log(`wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
      if (s.precision < 1 || s.recall < 1) process.exitCode = 1;
    } finally {
      await gwChild.stop();
    }
  } finally {
    await emu.stop();
    if (!process.argv.includes('--keep')) await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
