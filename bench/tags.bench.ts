import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { createInterface } from 'readline';
import { buildContext } from '../src/server';
import { freshDatabase } from './shared/fresh-database';
import { uuidv7 } from '../src/storage/ids';
import { insertIgnore, select } from '../src/storage/sql';
import { countByStatus } from '../src/storage/tags/outbox.repository';
import { nextDueAt } from '../src/storage/tags/outbox-claim';
import { cpuSeconds } from './shared/process-cpu';
import { benchServices } from './shared/bench-app';

/**
 * `npm run bench:tags` (DESIGN §9): 100,000 tag assignments over OA and WeCom customers, drained to the
 * emulator (a child process, so WeChat's side has its own CPU). Two catalog tags, each bound to the OA and to
 * both WeCom corps, are assigned to every customer: 45,000 OA followers plus 2 × 2,500 WeCom-only customers by
 * default (6,250 customers per corp, 60 % of them also OA followers), 50,000 customers and 100,000 assignments.
 * Two corps because WeCom allows 10,000 calls per minute per corp and API (wechat-api.md §5.13): one corp's
 * relations would hit 45009 within the run. Prints the wall time (assignment, drain, total), WeChat calls
 * against the minimum (OA: followers / 50 per tag; WeCom: one mark_tag per relation) and retries, then checks
 * the emulator's tag state. Targets: ≤ 30 s, calls within 5 % of the minimum.
 * Run: npm run bench:tags [-- --followers 45000 --wecom-contacts 6250 --corps 2 --tags 2 --database mysql://root:@127.0.0.1:3306/test]
 */
function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}
const num = (name: string, def: number): number => {
  const v = Number(arg(name, String(def)));
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
};

interface Emulator {
  url: string;
  child: ChildProcess;
}

async function startEmulatorProcess(followers: number, contacts: number, corps: number): Promise<Emulator> {
  const bin = path.resolve(__dirname, '../../bin/siyu.js');
  const flags = [
    '--port',
    '0',
    '--seed',
    '1',
    '--followers',
    String(followers),
    '--official-accounts',
    '1',
    '--mini-programs',
    '0',
    '--corps',
    String(corps),
    '--merchants',
    '0',
    '--wecom-staff',
    '40',
    '--wecom-contacts',
    String(contacts),
    '--oa-tags',
    '0',
    '--corp-tag-groups',
    '0',
    '--overlap-unsubscribed',
    '0',
    '--recorder-size',
    '0',
  ];
  const child = spawn(process.execPath, [bin, 'emulator', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    lines.on('line', (l) => {
      const m = /listening on (http:\/\/\S+)/.exec(l);
      if (m) resolve(m[1]!);
    });
  });
  return { url, child };
}

/** User + system CPU of a child process so far (Linux /proc), to see which side of the drain is busy. */
function emulatorCpuMs(pid: number | undefined): number {
  return (cpuSeconds(pid) ?? 0) * 1000;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function main(): Promise<void> {
  const followers = num('followers', 45_000);
  const contacts = num('wecom-contacts', 6_250);
  const corps = num('corps', 2);
  const tagCount = num('tags', 2);
  const db = await freshDatabase(arg('database', 'sqlite'));
  const emu = await startEmulatorProcess(followers, contacts, corps);
  try {
    const apps = await getJson<{
      accounts: Record<string, unknown>[];
      officialAccounts: { appId: string }[];
      corps: { corpId: string }[];
    }>(`${emu.url}/_emulator/apps`);
    const appId = apps.officialAccounts[0]!.appId;
    const corpIds = apps.corps.map((c) => c.corpId);
    const app = await benchServices(db.url, {
      accounts: apps.accounts,
    });
    let offset = 0;
    app.now = () => Date.now() + offset;

    const seeded = await seed(app.ds, emu.url, appId, corpIds);
    const rt = app.tags;
    const tagIds: string[] = [];
    for (let i = 0; i < tagCount; i++) {
      const tag = await rt.catalog.create(
        {
          name: `Bench ${i + 1}`,
          bindings: [
            { channel: 'oa', appId },
            ...corpIds.map((corpId) => ({ channel: 'wecom' as const, corpId, groupName: 'Bench' })),
          ],
        },
        { name: 'bench' },
      );
      tagIds.push(tag.id);
    }
    console.log(
      `world: ${seeded.customers} customers (${seeded.oaFollowers} OA followers, ${seeded.wecomCustomers} WeCom customers in ${corps} corps, ${seeded.relations} relations); ${app.config.database.url.split(':')[0]}`,
    );

    const t0 = performance.now();
    let assignments = 0;
    for (const tagId of tagIds)
      assignments += (
        await rt.bulk.run('assign', tagId, { filter: {} }, { source: 'manual', actor: { name: 'bench' } })
      ).changed;
    const t1 = performance.now();
    const cpu1 = process.cpuUsage();
    const emuCpu1 = emulatorCpuMs(emu.child.pid);
    const before = await countByStatus(app.ds);
    for (;;) {
      await rt.pusher.drain();
      const next = await nextDueAt(app.ds);
      if (!next) break;
      offset += Math.max(0, next.getTime() - app.now()) + 1;
    }
    const t2 = performance.now();
    const cpu2 = process.cpuUsage(cpu1);
    const emuCpu = emulatorCpuMs(emu.child.pid) - emuCpu1;

    const s = rt.pusher.stats;
    const oaMin = tagCount * Math.ceil(seeded.oaFollowers / 50);
    const wecomMin = seeded.relations;
    const counters = (
      await getJson<{ counters: Record<string, { calls: number; ok: number }> }>(`${emu.url}/_emulator/counters`)
    ).counters;
    const calls = (suffix: string) =>
      Object.entries(counters)
        .filter(([k]) => k.endsWith(suffix))
        .reduce((n, [, c]) => n + c.calls, 0);
    const oaCalls = calls('/tags/members/batchtagging');
    const wecomCalls = calls('/externalcontact/mark_tag');
    const created = calls('/tags/create') + calls('/externalcontact/add_corp_tag');
    const verified = await verify(emu.url, appId, corpIds, seeded, tagCount);

    console.log(
      `assignments: ${assignments} (${tagCount} tags × ${seeded.customers} customers); outbox rows queued: ${before.pending}`,
    );
    console.log(
      `wall time: assign ${((t1 - t0) / 1000).toFixed(1)} s + drain ${((t2 - t1) / 1000).toFixed(1)} s = ${((t2 - t0) / 1000).toFixed(1)} s (target ≤ 30 s)`,
    );
    console.log(`OA batchtagging calls: ${oaCalls} (minimum ${oaMin})`);
    console.log(`WeCom mark_tag calls: ${wecomCalls} (minimum ${wecomMin}, one per relation)`);
    const total = oaCalls + wecomCalls;
    const min = oaMin + wecomMin;
    console.log(
      `API calls: ${total} + ${created} tag creations vs minimum ${min}: ${(((total - min) / min) * 100).toFixed(2)} % over (target ≤ 5 %)`,
    );
    console.log(
      `drain CPU: gateway ${((cpu2.user + cpu2.system) / 1000).toFixed(0)} ms, emulator ${emuCpu.toFixed(0)} ms`,
    );
    console.log(
      `retries: ${s.retries}; dead rows: ${s.rowsDead}; rows skipped (nothing to push): ${s.rowsSkipped}; pushes recorded: ${s.itemsPushed}`,
    );
    console.log(
      `emulator state: ${verified ? 'every OA follower and every relation carries every tag' : 'MISMATCH'}; deferred by rate limits: ${s.deferred}`,
    );
    await app.ds.destroy();
    if (!verified) process.exitCode = 1;
  } finally {
    emu.child.kill('SIGTERM');
    await db.drop();
  }
}

interface Seeded {
  customers: number;
  oaFollowers: number;
  wecomCustomers: number;
  relations: number;
}

/** Customers as identity resolution leaves them: one per emulator person, with OA openids and WeCom relations. */
async function seed(
  ds: Awaited<ReturnType<typeof buildContext>>['ds'],
  url: string,
  appId: string,
  corpIds: string[],
): Promise<Seeded> {
  const now = new Date();
  const byPerson = new Map<number, string>();
  const customerOf = (p: number): string => byPerson.get(p) ?? (byPerson.set(p, uuidv7()), byPerson.get(p)!);
  const identities: Record<string, unknown>[] = [];
  const subs: Record<string, unknown>[] = [];
  const text = await (await fetch(`${url}/_emulator/truth/export`)).text();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const p = JSON.parse(line) as { personId: number; identities: { type: string; scope: string; value: string }[] };
    const openid = p.identities.find((i) => i.type === 'oa_openid' && i.scope === appId)?.value;
    if (!openid) continue;
    const customer = customerOf(p.personId);
    identities.push({
      customer_id: customer,
      type: 'oa_openid',
      scope: appId,
      value: openid,
      verified: false,
      created_at: now,
      updated_at: now,
    });
    subs.push({ app_id: appId, openid, customer_id: customer, subscribed: true, created_at: now, updated_at: now });
  }
  const follows: Record<string, unknown>[] = [];
  let wecomCustomers = 0;
  for (const corpId of corpIds) {
    const { relations } = await getJson<{
      relations: { userid: string; externalUserId: string; personId: number; createtime: number }[];
    }>(`${url}/_emulator/state/wecom/${corpId}/relations?limit=10000000`);
    for (const r of relations)
      follows.push({
        corp_id: corpId,
        staff_userid: r.userid,
        external_userid: r.externalUserId,
        customer_id: customerOf(r.personId),
        created_time: new Date(r.createtime * 1000),
        deleted: false,
        created_at: now,
        updated_at: now,
      });
    const externals = new Map(relations.map((r) => [r.externalUserId, customerOf(r.personId)]));
    for (const [ext, customer] of externals)
      identities.push({
        customer_id: customer,
        type: 'wecom_external_userid',
        scope: corpId,
        value: ext,
        verified: false,
        created_at: now,
        updated_at: now,
      });
    wecomCustomers += externals.size;
  }
  await ds.transaction(async (m) => {
    await insertIgnore(
      m,
      'customers',
      [...byPerson.values()].map((id) => ({ id, status: 'active', created_at: now, updated_at: now })),
    );
    await insertIgnore(m, 'identities', identities);
    await insertIgnore(m, 'oa_subscriptions', subs);
    await insertIgnore(m, 'wecom_follows', follows);
  });
  const [n] = await select(ds, 'SELECT COUNT(*) AS n FROM customers');
  return { customers: Number(n?.n), oaFollowers: subs.length, wecomCustomers, relations: follows.length };
}

/** The emulator holds every tag on every follower and every relation. */
async function verify(
  url: string,
  appId: string,
  corpIds: string[],
  seeded: Seeded,
  tagCount: number,
): Promise<boolean> {
  const { tags } = await getJson<{ tags: { name: string; count: number }[] }>(
    `${url}/_emulator/state/oa/${appId}/tags?limit=0`,
  );
  const bench = tags.filter((t) => t.name.startsWith('Bench '));
  let ok = bench.length === tagCount && bench.every((t) => t.count === seeded.oaFollowers);
  let relations = 0;
  for (const corpId of corpIds) {
    const r = await getJson<{ relations: { tags?: unknown[] }[] }>(
      `${url}/_emulator/state/wecom/${corpId}/relations?limit=10000000`,
    );
    relations += r.relations.length;
    ok &&= r.relations.every((x) => (x.tags?.length ?? 0) === tagCount);
  }
  return ok && relations === seeded.relations;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
