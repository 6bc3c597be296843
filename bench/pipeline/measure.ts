import type { DataSource } from '../../src/storage';
import { fromDbTime, select } from '../../src/storage/sql';
import { percentile } from '../welcome/adds';

/** The newest inbox row's id: a step's rows are the ones after it (ids only grow). */
export async function lastInboxId(ds: DataSource): Promise<string> {
  const [r] = await select<{ id: unknown }>(ds, 'SELECT COALESCE(MAX(id), 0) AS id FROM inbox');
  return String(r!.id);
}

/** Waits until no row after `afterId` is pending or processing, at most `timeoutMs`. Answers whether they all ended. */
export async function awaitStepRows(ds: DataSource, afterId: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [r] = await select<{ n: unknown }>(
      ds,
      "SELECT COUNT(*) AS n FROM inbox WHERE id > ? AND status IN ('pending', 'processing')",
      [afterId],
    );
    if (Number(r!.n) === 0) return true;
    if (Date.now() > until) return false;
    await new Promise((res) => setTimeout(res, 250));
  }
}

export interface StepRow {
  status: string;
  receivedAt: number;
  processedAt: number | null;
}

/** The step's inbox rows: status and the two times (intake commit, processing commit), in ms. */
export async function stepRows(ds: DataSource, afterId: string): Promise<StepRow[]> {
  const rows = await select<{ status: string; received_at: unknown; processed_at: unknown }>(
    ds,
    'SELECT status, received_at, processed_at FROM inbox WHERE id > ?',
    [afterId],
  );
  return rows.map((r) => ({
    status: r.status,
    receivedAt: fromDbTime(r.received_at)!.getTime(),
    processedAt: fromDbTime(r.processed_at)?.getTime() ?? null,
  }));
}

export interface StepProcessing {
  rows: number;
  done: number;
  /** Still pending or processing when measured. */
  pending: number;
  failed: number;
  /** Rows done by the step's last send: how much the processor did while callbacks were still arriving. */
  doneWhileSending: number;
  /** Rows done per second from the step's first send to its last row done. */
  processedPerS: number;
  lagP50Ms: number;
  lagP99Ms: number;
  /** Some rows were not done when measured: their age then stands in for their lag, so the percentiles are lower bounds. */
  lagIsLowerBound: boolean;
}

/**
 * Ack → visible for each row: `processed_at − received_at` (the intake stamps received_at in the commit the ack
 * waits for; the customer and timeline rows commit with processed_at). A row not done by `measuredAt` counts with
 * its age then, so unfinished work raises the percentiles instead of leaving the sample.
 */
export function summarize(
  rows: readonly StepRow[],
  send: { firstSendUnixMs: number; lastSendUnixMs: number },
  measuredAt: number,
): StepProcessing {
  const lags: number[] = [];
  let done = 0;
  let pending = 0;
  let failed = 0;
  let doneWhileSending = 0;
  let lastDone = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    if (r.status === 'done' && r.processedAt !== null) {
      done++;
      lastDone = Math.max(lastDone, r.processedAt);
      if (r.processedAt <= send.lastSendUnixMs) doneWhileSending++;
      lags.push(r.processedAt - r.receivedAt);
    } else if (r.status === 'failed') failed++;
    else {
      pending++;
      lags.push(measuredAt - r.receivedAt);
    }
  }
  lags.sort((a, b) => a - b);
  return {
    rows: rows.length,
    done,
    pending,
    failed,
    doneWhileSending,
    processedPerS: done > 0 ? done / Math.max(0.001, (lastDone - send.firstSendUnixMs) / 1000) : 0,
    lagP50Ms: percentile(lags, 50),
    lagP99Ms: percentile(lags, 99),
    lagIsLowerBound: pending > 0,
  };
}
