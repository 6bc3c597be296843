import type { DataSource } from 'typeorm';
import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { WorldOptionsInput } from '../../emulator/options';
import type { SiyuConfig } from '../../config';
import { uuidv7 } from '../../src/storage/ids';
import { insertIgnore } from '../../src/storage/sql';
import { createClients, type Clients } from '../../src/tokens/clients';
import { tagWorkers, type TagWorkers } from '../../src/tags/tags-services.factory';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

export interface SeededOa {
  customerId: string;
  openid: string;
}

export interface SeededWecom {
  customerId: string;
  externalUserid: string;
  relations: { userid: string; createtime: number }[];
}

export interface TagsWorld {
  emulator: RunningEmulator;
  config: SiyuConfig;
  api: TestApp;
  workers: TagWorkers;
  clients: Clients;
  appId: string;
  corpId: string;
  oa: SeededOa[];
  wecom: SeededWecom[];
  /** Moves the gateway clock (outbox backoff) forward. */
  advance(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

/**
 * An emulator world with no pre-seeded tags, the real admin API on 127.0.0.1:0, the tag workers with WeChat
 * clients pointing at the emulator (one attempt per call: retries are the outbox's), and the emulator's OA
 * followers and WeCom customers stored as customers (one per emulator person, as identity resolution would).
 */
export async function startTagsWorld(
  db: { ds: DataSource; url: string },
  opts: { world?: WorldOptionsInput; config?: Record<string, unknown> } = {},
): Promise<TagsWorld> {
  const emulator = await startEmulator({
    seed: 7,
    followers: 60,
    officialAccounts: 1,
    miniPrograms: 0,
    corps: 1,
    merchants: 0,
    wecomStaff: 4,
    wecomContacts: 40,
    oaTags: 0,
    corpTagGroups: 0,
    ...opts.world,
  });
  const accounts = gatewayAccounts(emulator.state, emulator.url);
  const config = testConfig(db.url, { accounts, ...opts.config });
  const ds = db.ds;
  const api = await startTestApp(ds, config);
  let offset = 0;
  const now = (): number => Date.now() + offset;
  api.app.now = now;
  // The view the tag workers call through, so a test that wraps one of its calls wraps the workers' call.
  const clients = createClients(api.app, { now, http: { maxAttempts: 1, timeoutMs: 5_000 } }).singleAttempt;
  const workers = tagWorkers(api.app, clients, { random: () => 0.5 });
  const appId = emulator.state.world.oa[0]!.app.appId;
  const corpId = emulator.state.world.wecom[0]!.corp.corpId;
  const seeded = await seedCustomers(ds, emulator, appId, corpId);
  return {
    emulator,
    config,
    api,
    workers,
    clients,
    appId,
    corpId,
    ...seeded,
    advance: (ms) => {
      offset += ms;
    },
    now,
    close: async () => {
      await api.close();
      await emulator.close();
    },
  };
}

/** Customers, identities, OA subscriptions and WeCom follows for the emulator's population. */
async function seedCustomers(
  ds: DataSource,
  emulator: RunningEmulator,
  appId: string,
  corpId: string,
): Promise<{ oa: SeededOa[]; wecom: SeededWecom[] }> {
  const world = emulator.state.world;
  const aud = world.oa[0]!;
  const corp = world.wecom[0]!;
  const now = new Date();
  const byPerson = new Map<number, string>();
  const customerOf = (person: number): string => {
    let id = byPerson.get(person);
    if (!id) byPerson.set(person, (id = uuidv7()));
    return id;
  };
  const oa: SeededOa[] = [];
  for (let slot = 0; slot < aud.size; slot++) {
    if (!aud.isFollower(slot)) continue;
    oa.push({ customerId: customerOf(aud.slotPerson.get(slot)), openid: aud.openid(slot) });
  }
  const wecom: SeededWecom[] = [];
  for (let slot = 0; slot < corp.customerCount; slot++) {
    const rels = corp.relationsBySlot[slot] ?? [];
    if (rels.length === 0) continue;
    wecom.push({
      customerId: customerOf(corp.slotPerson.get(slot)),
      externalUserid: corp.externalUserid(slot),
      relations: rels.map((r) => ({ userid: r.staff.userid, createtime: r.createtime })),
    });
  }
  await insertIgnore(
    ds,
    'customers',
    [...byPerson.values()].map((id) => ({
      id,
      status: 'active',
      display_name: `c-${id.slice(-6)}`,
      created_at: now,
      updated_at: now,
    })),
  );
  await insertIgnore(ds, 'identities', [
    ...oa.map((o) => ({
      customer_id: o.customerId,
      type: 'oa_openid',
      scope: appId,
      value: o.openid,
      verified: false,
      created_at: now,
      updated_at: now,
    })),
    ...wecom.map((w) => ({
      customer_id: w.customerId,
      type: 'wecom_external_userid',
      scope: corpId,
      value: w.externalUserid,
      verified: false,
      created_at: now,
      updated_at: now,
    })),
  ]);
  await insertIgnore(
    ds,
    'oa_subscriptions',
    oa.map((o) => ({
      app_id: appId,
      openid: o.openid,
      customer_id: o.customerId,
      subscribed: true,
      created_at: now,
      updated_at: now,
    })),
  );
  await insertIgnore(
    ds,
    'wecom_follows',
    wecom.flatMap((w) =>
      w.relations.map((r) => ({
        corp_id: corpId,
        staff_userid: r.userid,
        external_userid: w.externalUserid,
        customer_id: w.customerId,
        created_time: new Date(r.createtime * 1000),
        deleted: false,
        created_at: now,
        updated_at: now,
      })),
    ),
  );
  return { oa, wecom };
}

/** openids WeChat (the emulator) lists under an OA tag. */
export function oaMembers(w: TagsWorld, remoteTagId: string | null): Set<string> {
  const aud = w.emulator.state.world.oa[0]!;
  const tag = remoteTagId === null ? undefined : aud.tags.tags.get(Number(remoteTagId));
  const out = new Set<string>();
  if (!tag) return out;
  for (let s = tag.members.nextSet(0); s >= 0; s = tag.members.nextSet(s + 1)) out.add(aud.openid(s));
  return out;
}

/** Corp tag ids the emulator holds on one relation. */
export function relationTags(w: TagsWorld, userid: string, externalUserid: string): string[] {
  const corp = w.emulator.state.world.wecom[0]!;
  const slot = corp.slotOf(externalUserid);
  const rel = corp.relationsBySlot[slot]?.find((r) => r.staff.userid === userid);
  return (rel?.tags ?? []).map((n) => corp.tags.tag(n)!.id);
}

/** Drains the outbox, moving the clock past every backoff, until nothing is pending (bounded). */
export async function drainAll(w: TagsWorld, rounds = 40): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await w.workers.pusher.drain();
    const [row] = await w.api.app.ds.query("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'in_flight')");
    if (Number((row as { n: unknown }).n) === 0) return;
    w.advance(15 * 60_000);
  }
  throw new Error('outbox did not drain');
}
