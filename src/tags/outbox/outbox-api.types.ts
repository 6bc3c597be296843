/**
 * The JSON of `GET /api/v1/outbox` and `POST /api/v1/outbox/:id/retry` (DESIGN §8.3). The console imports these
 * types through `@server`; they import nothing, so the browser build can use them.
 */

/** The push queue's statuses (the outbox table's `status`; the entity's type must fit this one). */
export type OutboxStatusJson = 'pending' | 'in_flight' | 'done' | 'dead';

/** One push: OA rows carry `{ op, openids }`, WeCom rows one relation with its `add` / `remove` lists. */
export interface OutboxView {
  id: string;
  channel: string;
  account: string;
  opKey: string;
  tagId: string | null;
  status: OutboxStatusJson;
  attempts: number;
  nextAttemptAt: string;
  lastErrcode: number | null;
  lastError: string | null;
  payload: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface OutboxPage {
  items: OutboxView[];
  nextCursor: string | null;
}
