/**
 * The JSON of `GET /api/v1/inbox` and `POST /api/v1/inbox/:id/retry` (DESIGN §6). The console imports these
 * types through `@server`; they import nothing, so the browser build can use them.
 */

/** The inbox table's statuses (the entity's type must fit this one). */
export type InboxStatusJson = 'pending' | 'processing' | 'done' | 'failed';

/** A received callback: what it was, how processing went, and the normalized events it carried. */
export interface InboxRowJson {
  id: string;
  account: string;
  channel: string;
  kind: string;
  dedupeKey: string;
  status: InboxStatusJson;
  attempts: number;
  nextAttemptAt: string;
  error: string | null;
  receivedAt: string;
  processedAt: string | null;
  /** The connector's normalized events (their shape is the connectors' vocabulary, not spelled out here). */
  events: unknown[];
}

export interface InboxPageJson {
  items: InboxRowJson[];
  nextCursor: string | null;
}
