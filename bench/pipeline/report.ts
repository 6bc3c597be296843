import type { StepResult } from './step';

/** Lag p99 at or under this, with every offered callback accepted, is keeping up (DESIGN §9). */
export const LAG_P99_TARGET_MS = 2_000;
export const MYSQL_TARGET_PER_S = 3_000;

const n0 = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '–');
const secs = (ms: number, lowerBound: boolean): string =>
  Number.isFinite(ms) ? `${lowerBound ? '>' : ''}${(ms / 1000).toFixed(2)} s` : '–';
const us = (v: number | undefined): string => (v === undefined ? 'n/a' : n0(v));

export function keepsUp(s: StepResult): boolean {
  return s.send.acked === s.send.offered && s.processing.lagP99Ms <= LAG_P99_TARGET_MS;
}

export function stepTable(steps: readonly StepResult[]): string[] {
  const head = [
    'rate/s',
    'offered/s',
    'accepted/s',
    'errors',
    'late',
    'processed/s',
    'done by last send',
    'pending',
    'failed',
    'lag p50',
    'lag p99',
    'gateway µs/cb',
    'database µs/cb',
    'statements/cb',
  ];
  const rows = steps.map((s) => [
    n0(s.rate),
    n0(s.offeredPerS),
    n0(s.acceptedPerS),
    n0(s.send.errors + s.send.unsent),
    n0(s.send.late),
    n0(s.processing.processedPerS),
    `${n0((s.processing.doneWhileSending / Math.max(1, s.processing.rows)) * 100)} %`,
    n0(s.processing.pending),
    n0(s.processing.failed),
    secs(s.processing.lagP50Ms, s.processing.lagIsLowerBound),
    secs(s.processing.lagP99Ms, s.processing.lagIsLowerBound),
    us(s.gatewayCpuUs),
    us(s.databaseCpuUs),
    s.statementsPerCallback === undefined ? 'n/a' : s.statementsPerCallback.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(head), ...rows.map(line)];
}

export function highestKeepingUp(steps: readonly StepResult[]): string {
  const ok = steps.filter(keepsUp).map((s) => s.rate);
  return ok.length > 0 ? `${n0(Math.max(...ok))}/s` : 'none of the rates tried';
}

/** The target line from the MySQL steps, or "not measured" when MySQL was not in the run. */
export function targetLine(mysqlSteps: readonly StepResult[] | undefined): string {
  const what = `target: ≥ ${n0(MYSQL_TARGET_PER_S)} callbacks/s processed on MySQL with lag p99 ≤ ${LAG_P99_TARGET_MS / 1000} s`;
  if (!mysqlSteps) return `${what} — not measured (no mysql in --db)`;
  const met = mysqlSteps.some((s) => keepsUp(s) && s.processing.processedPerS >= MYSQL_TARGET_PER_S);
  return `${what} — ${met ? 'met' : 'NOT met'}`;
}
