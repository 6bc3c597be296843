import type { DataSource } from '../storage';
import type { SiyuConfig } from '../../config';
import { bindingStats } from '../storage/tags/tag-stats.repository';
import { dayWindow } from './local-days';
import type { BindingHealth, Overview, RfmDistribution } from './overview-api.types';
import {
  customerCounts,
  dailyChanges,
  identityCounts,
  latestSyncs,
  liveBindings,
  statusCounts,
} from '../storage/overview/overview.repository';
import {
  FREQUENCY_BUCKETS,
  RECENCY_BUCKETS,
  SPEND_BUCKETS,
  customersWithoutPurchase,
  rfmCells,
} from '../storage/overview/rfm-distribution.repository';

export interface OverviewDeps {
  ds: DataSource;
  config: SiyuConfig;
  now(): number;
}
export const OVERVIEW_DAYS_DEFAULT = 30;
export const OVERVIEW_DAYS_MAX = 365;

/** Counts for the console's landing page, each computed by the database (no rows are loaded to count them). */
export class OverviewService {
  constructor(private readonly deps: OverviewDeps) {}

  async overview(days: number): Promise<Overview> {
    const { ds, config } = this.deps;
    const zone = config.server.timezone;
    const window = dayWindow(this.deps.now(), days, zone);
    const [customers, identities, changes, outbox, inbox, syncs, bindings] = await Promise.all([
      customerCounts(ds),
      identityCounts(ds),
      dailyChanges(ds, window.spans),
      statusCounts(ds, 'outbox', ['pending', 'in_flight', 'done', 'dead']),
      statusCounts(ds, 'inbox', ['pending', 'processing', 'done', 'failed']),
      latestSyncs(ds),
      liveBindings(ds),
    ]);
    const byDate = new Map(window.dates.map((d) => [d, { date: d, new: 0, lost: 0 }]));
    const bySource = new Map(
      window.dates.map((d) => [d, { date: d, oaSubscribe: 0, oaUnsubscribe: 0, wecomAdd: 0, wecomDelete: 0 }]),
    );
    for (const c of changes) {
      if (c.src === 'all') {
        const day = byDate.get(c.date);
        if (day) day[c.kind] += c.n;
        continue;
      }
      const day = bySource.get(c.date);
      const field =
        c.src === 'oa'
          ? c.kind === 'new'
            ? 'oaSubscribe'
            : 'oaUnsubscribe'
          : c.kind === 'new'
            ? 'wecomAdd'
            : 'wecomDelete';
      if (day) day[field] += c.n;
    }
    // One binding at a time: each is three aggregate statements over its targets.
    const health: BindingHealth[] = [];
    for (const b of bindings) {
      const s = await bindingStats(ds, b, config.tags.wecomFanout);
      health.push({
        tagId: b.tagId,
        name: b.tagName,
        channel: b.channel,
        account: b.account,
        desired: s.desired,
        pushed: s.pushed,
        pending: s.pending,
        failed: s.failed,
      });
    }
    return {
      customers,
      identities,
      daily: [...byDate.values()],
      dailyBySource: [...bySource.values()],
      tags: { bindings: health },
      outbox,
      inbox,
      syncs,
      timezone: zone,
      accounts: config.accounts.map((a) => ({
        id: a.id,
        kind: a.kind,
        name: 'name' in a && typeof a.name === 'string' ? a.name : null,
        ...('appId' in a ? { appId: a.appId } : {}),
        ...('corpId' in a ? { corpId: a.corpId } : {}),
        ...('mchId' in a ? { mchId: a.mchId } : {}),
      })),
      generatedAt: new Date(this.deps.now()).toISOString(),
    };
  }

  async rfm(): Promise<RfmDistribution> {
    const now = new Date(this.deps.now());
    const [cells, withoutPurchase] = await Promise.all([
      rfmCells(this.deps.ds, now),
      customersWithoutPurchase(this.deps.ds),
    ]);
    const heat = RECENCY_BUCKETS.map(() => FREQUENCY_BUCKETS.map(() => 0));
    const spend = SPEND_BUCKETS.map(() => 0);
    let customers = 0;
    for (const c of cells) {
      heat[c.r]![c.f]! += c.n;
      spend[c.s]! += c.n;
      customers += c.n;
    }
    return {
      customers,
      withoutPurchase,
      recency: RECENCY_BUCKETS,
      frequency: FREQUENCY_BUCKETS,
      heatmap: RECENCY_BUCKETS.flatMap((r, i) =>
        FREQUENCY_BUCKETS.map((f, j) => ({ recency: r.key, frequency: f.key, customers: heat[i]![j]! })),
      ),
      spend: SPEND_BUCKETS.map((b, i) => ({ ...b, customers: spend[i]! })),
      generatedAt: now.toISOString(),
    };
  }
}
