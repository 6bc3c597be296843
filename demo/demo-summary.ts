import type { CallbackOutcome, StoryPerson } from './story-callbacks';
import type { SyncOutcome } from './story-syncs';
import type { TagFacts } from './story-tags';
import type { DemoWorld } from './demo-world';
import type { GroupFacts } from './story-groups';
import type { SidebarFacts } from './story-sidebar';
import type { ConsoleFacts } from './story-console';

type Identity = { type: string; scope: string; value: string };

export interface DemoSummary {
  gatewayUrl: string;
  emulatorUrl: string;
  adminKey: string;
  database: string;
  /** The demo's config as a file, for `SIYU_CONFIG=… siyu import …` and other CLI commands against it. */
  configFile: string;
  /** The configured third-party source id CRM files import under. */
  sourceId: string;
  seconds: number;
  callbacks: CallbackOutcome[];
  inboxFailed: number;
  syncs: SyncOutcome[];
  /** Persons in the emulator's world, and those the gateway holds at least one identity of. */
  persons: number;
  personsSeen: number;
  customers: number;
  /** Checked against the emulator's truth: customers holding identities of two persons (wrong merges) … */
  customersMixingPersons: number;
  /** … and persons whose identities are spread over several customers (links not made). */
  personsSplit: number;
  merges: number;
  identitiesByType: Record<string, number>;
  person: StoryPerson & {
    name: string;
    identityTypes: string[];
    orders: number;
    totalSpent: number;
    tags: { name: string; source: string }[];
    /** The customer groups the profile lists (`groups[].name`). */
    groups: string[];
  };
  tag: TagFacts;
  group: GroupFacts;
  /** Browser pages this build serves (DESIGN §8.2), found by asking the gateway: path → URL to open. */
  pages: { path: string; url: string; note: string }[];
}

interface CustomerItem {
  id: string;
  identities: Identity[];
}

/** Reads the numbers of the summary through the admin API and the emulator's truth (nothing from the DB). */
export async function collectSummary(
  w: DemoWorld,
  facts: {
    callbacks: CallbackOutcome[];
    person: StoryPerson;
    inboxFailed: number;
    syncs: SyncOutcome[];
    tag: TagFacts;
    group: GroupFacts;
    sidebar: SidebarFacts;
    console: ConsoleFacts;
    startedAt: number;
  },
): Promise<DemoSummary> {
  const customers = await w.api.all<CustomerItem>('/customers');
  const merges = (await w.api.all<{ undoneAt: string | null }>('/merges')).filter((m) => m.undoneAt === null).length;
  const truth = await w.control.get<{ total: number; items: { personId: number; identities: Identity[] }[] }>(
    '/truth/persons?limit=10000',
  );
  const owner = new Map<string, number>();
  for (const p of truth.items)
    for (const i of p.identities) if (i.type !== 'phone') owner.set(`${i.type}|${i.scope}|${i.value}`, p.personId);

  const identitiesByType: Record<string, number> = {};
  const customersOfPerson = new Map<number, Set<string>>();
  let mixing = 0;
  for (const c of customers) {
    const persons = new Set<number>();
    for (const i of c.identities) {
      identitiesByType[i.type] = (identitiesByType[i.type] ?? 0) + 1;
      const p = owner.get(`${i.type}|${i.scope}|${i.value}`);
      if (p !== undefined) persons.add(p);
    }
    if (persons.size > 1) mixing++;
    for (const p of persons) customersOfPerson.set(p, (customersOfPerson.get(p) ?? new Set()).add(c.id));
  }
  const profile = await w.api.get<{
    id: string;
    name: string;
    identities: Identity[];
    rfm: { orders: number; totalSpent: number };
    tags: { name: string; source: string }[];
    groups: { name: string | null }[];
  }>(
    `/customers/lookup?type=mp_openid&scope=${facts.person.mpAppId}&value=${encodeURIComponent(facts.person.mpOpenid)}`,
  );
  const offered = [
    {
      path: '/console',
      url: facts.console.url,
      note: `click 使用企业微信登录 to sign in as ${facts.console.operatorName} (${facts.console.userid}, admin); the story person is ${profile.name} under 客户, their group ${facts.group.name} under 客户群`,
    },
    {
      path: '/sidebar',
      url: facts.sidebar.url,
      note: `as ${facts.sidebar.staffUserid}, in the chat with ${facts.sidebar.externalUserId}`,
    },
  ];
  const pages: DemoSummary['pages'] = [];
  for (const p of offered) if ((await fetch(p.url, { redirect: 'manual' })).status !== 404) pages.push(p);
  return {
    gatewayUrl: w.gateway.url,
    emulatorUrl: w.emulator.url,
    adminKey: w.adminKey,
    configFile: w.configFile,
    sourceId: w.config.sources[0]!.id,
    database: w.database,
    seconds: (Date.now() - facts.startedAt) / 1000,
    callbacks: facts.callbacks,
    inboxFailed: facts.inboxFailed,
    syncs: facts.syncs,
    persons: truth.total,
    personsSeen: customersOfPerson.size,
    customers: customers.length,
    customersMixingPersons: mixing,
    personsSplit: [...customersOfPerson.values()].filter((s) => s.size > 1).length,
    merges,
    identitiesByType,
    person: {
      ...facts.person,
      customerId: profile.id,
      name: profile.name,
      identityTypes: [...new Set(profile.identities.map((i) => i.type))].sort(),
      orders: profile.rfm.orders,
      totalSpent: profile.rfm.totalSpent,
      tags: profile.tags.map((t) => ({ name: t.name, source: t.source })),
      groups: profile.groups.map((g) => g.name ?? '—'),
    },
    tag: facts.tag,
    group: facts.group,
    pages,
  };
}
