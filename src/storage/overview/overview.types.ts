/**
 * What the overview queries answer, as `GET /api/v1/overview` and `/overview/rfm` send it (overview-api.types.ts
 * re-exports these). Pure types, importing nothing: the console's browser build reads them through `@server`.
 */

/** Channels of the overview's `customers.byChannel`, as `GET /api/v1/customers?channel=` reads them. */
export type OverviewChannel = 'oa' | 'mp' | 'h5' | 'wecom' | 'pay';

/** The newest run of an (account, resource) pair. */
export interface LatestSync {
  id: string;
  accountId: string;
  resource: string;
  status: string;
  processed: number;
  total: number | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** A bucket of a dimension: `min`..`max` inclusive, `max` null = open-ended (days, orders, or fen for spend). */
export interface Bucket {
  key: string;
  min: number;
  max: number | null;
}
