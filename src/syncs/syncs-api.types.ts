/**
 * The JSON of `/api/v1/syncs` (DESIGN §8.3). The console imports these types through `@server`; they import
 * nothing, so the browser build can use them.
 */

/** `GET /api/v1/syncs/:id` (DESIGN §8.3): a run and how far it got. */
export interface SyncProgress {
  id: string;
  accountId: string;
  resource: string;
  status: string;
  processed: number;
  total: number | null;
  /** 0–100, null while the total is unknown (WeCom contacts have no total up front). */
  percent: number | null;
  /** Items per second since the run started (until it finished). */
  rate: number;
  created: number;
  updated: number;
  error: string | null;
  triggeredBy: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** A run as the routes answer it: its progress and its account's configured name (null when unnamed). */
export interface SyncRunJson extends SyncProgress {
  accountName: string | null;
}

/** `GET /api/v1/syncs`: runs, newest first. */
export interface SyncRunPage {
  items: SyncRunJson[];
  nextCursor: string | null;
}

/** One account a sync can start on (`GET /api/v1/syncs/sources`, operators): ids and kinds, never secrets. */
export interface SyncSource {
  accountId: string;
  accountName: string | null;
  kind: string;
  /** The appid / corpid a tag binding names (an account's id may differ from it). */
  appId?: string;
  corpId?: string;
  resources: string[];
}
