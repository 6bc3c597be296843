/**
 * The JSON of `GET /api/v1/overview` and `GET /api/v1/overview/rfm` (DESIGN §13). The console imports these
 * types through `@server`; they import only storage's pure type files, so the browser build can use them.
 */
import type { Bucket, LatestSync, OverviewChannel } from '../storage/overview/overview.types';

export type { Bucket, LatestSync, OverviewChannel };

export interface BindingHealth {
  tagId: string;
  name: string;
  channel: 'oa' | 'wecom';
  /** appid (oa) or corpid (wecom). */
  account: string;
  desired: number;
  pushed: number;
  pending: number;
  failed: number;
}

/** `GET /api/v1/overview` (DESIGN §13); `timezone` and `accounts` are additions for the console. */
export interface Overview {
  customers: { total: number; byChannel: Record<OverviewChannel, number> };
  identities: Record<string, number>;
  daily: { date: string; new: number; lost: number }[];
  /** The same days per channel: OA subscribe / unsubscribe, WeCom add / delete. */
  dailyBySource: { date: string; oaSubscribe: number; oaUnsubscribe: number; wecomAdd: number; wecomDelete: number }[];
  tags: { bindings: BindingHealth[] };
  outbox: Record<string, number>;
  inbox: Record<string, number>;
  syncs: LatestSync[];
  timezone: string;
  accounts: { id: string; kind: string; name: string | null; appId?: string; corpId?: string; mchId?: string }[];
  generatedAt: string;
}

/** `GET /api/v1/overview/rfm`: customers per (recency, frequency) cell and per spend bucket. */
export interface RfmDistribution {
  /** Active customers with at least one purchase, and without. */
  customers: number;
  withoutPurchase: number;
  recency: readonly Bucket[];
  frequency: readonly Bucket[];
  /** Every recency × frequency cell, zeros included, recency-major. */
  heatmap: { recency: string; frequency: string; customers: number }[];
  spend: (Bucket & { customers: number })[];
  generatedAt: string;
}
