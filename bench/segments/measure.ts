import type { DataSource } from 'typeorm';
import { fromJsonText, select } from '../../src/storage/sql';
import type { SegmentRecord } from '../../src/storage/segments/segment.repository';
import type { Actor } from '../../src/tags/tags-deps';
import type { SegmentService } from '../../src/tags/segments/segment.service';
import type { BenchRule } from './rules';

/** DESIGN §9 segments targets. */
export const PREVIEW_TARGET_S = 2;
export const FLOOR_RATIO_TARGET = 2;
export const RUN_TARGET_S = 30;
/** The run target is stated for a run changing 100,000 memberships; smaller runs are shown without a verdict. */
export const RUN_TARGET_CHANGES = 90_000;
const REPEATS = 3;

export interface RuleFigures {
  name: string;
  count: number;
  floorCount: number;
  previewS: number;
  floorS: number;
  ratio: number;
  /** Against the hand-written statement over the kept figures, where the rule has one. */
  keptRatio?: number;
  runS: number;
  changed: number;
  queuedOpenids: number;
  countsAgree: boolean;
  lines: string[];
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
const n = (x: number) => x.toLocaleString('en');
const secs = (xs: readonly number[]) => xs.map((x) => x.toFixed(2)).join(' ');

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await f();
  return [v, (performance.now() - t) / 1000];
}

/**
 * One segment through the service: preview and the floor alternately (so neither gets the warmer cache every
 * time), medians of three, then the first run, which creates the memberships and queues their pushes.
 */
export async function measureRule(
  ds: DataSource,
  segments: SegmentService,
  segment: SegmentRecord,
  r: BenchRule,
  actor: Actor,
): Promise<RuleFigures> {
  const previews: number[] = [];
  const floors: number[] = [];
  const counts = new Set<number>();
  const floorCounts = new Set<number>();
  const keptFloors: number[] = [];
  const keptCounts = new Set<number>();
  for (let i = 0; i < REPEATS; i++) {
    const [p, ps] = await timed(() => segments.preview(segment.id, {}));
    previews.push(ps);
    counts.add(p.count);
    const [f, fs] = await timed(() => select(ds, r.floor.sql, r.floor.params));
    floors.push(fs);
    floorCounts.add(Number(f[0]?.n ?? -1));
    if (r.keptFloor) {
      const kept = r.keptFloor;
      const [k, ks] = await timed(() => select(ds, kept.sql, kept.params));
      keptFloors.push(ks);
      keptCounts.add(Number(k[0]?.n ?? -1));
    }
  }
  const count = [...counts][0]!;
  const floorCount = [...floorCounts][0]!;
  const [run, runS] = await timed(() => segments.runNow(segment, actor));
  const queued = await select(ds, 'SELECT payload FROM outbox WHERE tag_id = ?', [segment.tagId]);
  const queuedOpenids = queued.reduce(
    (s, row) => s + (fromJsonText<{ openids?: string[] }>(row.payload)?.openids?.length ?? 0),
    0,
  );
  const previewS = median(previews);
  const floorS = median(floors);
  const ratio = previewS / floorS;
  const keptS = keptFloors.length ? median(keptFloors) : undefined;
  const keptRatio = keptS === undefined ? undefined : previewS / keptS;
  const changed = run.added + run.removed;
  // No consents are seeded, so the run's members are exactly the previewed set (DESIGN §12 excludes withdrawals).
  const keptAgree = keptCounts.size === 0 || (keptCounts.size === 1 && keptCounts.has(count));
  const countsAgree =
    counts.size === 1 && floorCounts.size === 1 && count === floorCount && run.members === count && keptAgree;
  const lines = [
    `  ${r.name}`,
    `    preview ${n(count).padStart(9)} customers  ${previewS.toFixed(2)} s (${secs(previews)})  target ≤ ${PREVIEW_TARGET_S} s: ${verdict(previewS <= PREVIEW_TARGET_S)}`,
    `    floor   ${n(floorCount).padStart(9)} customers  ${floorS.toFixed(2)} s (${secs(floors)})  preview/floor ${ratio.toFixed(2)}×  target ≤ ${FLOOR_RATIO_TARGET}×: ${verdict(ratio <= FLOOR_RATIO_TARGET)}`,
    ...(keptS === undefined || keptRatio === undefined
      ? []
      : [
          `    figures ${n([...keptCounts][0]!).padStart(9)} customers  ${keptS.toFixed(2)} s (${secs(keptFloors)})  preview/figures floor ${keptRatio.toFixed(2)}×  target ≤ ${FLOOR_RATIO_TARGET}×: ${verdict(keptRatio <= FLOOR_RATIO_TARGET)}`,
        ]),
    `    run     +${n(run.added)} −${n(run.removed)} memberships (${n(run.members)} members, ${n(run.scanned)} scanned), ` +
      `${n(queuedOpenids)} openids queued for push in ${n(queued.length)} outbox rows  ${runS.toFixed(1)} s  ` +
      (changed >= RUN_TARGET_CHANGES
        ? `target ≤ ${RUN_TARGET_S} s: ${verdict(runS <= RUN_TARGET_S)}`
        : `(target ≤ ${RUN_TARGET_S} s is for ~100,000 changes)`),
  ];
  if (!countsAgree)
    lines.push(
      `    MISMATCH: previews ${[...counts].join('/')}, floors ${[...floorCounts].join('/')}${keptCounts.size ? `, figures floors ${[...keptCounts].join('/')}` : ''}, run members ${run.members}`,
    );
  return {
    name: r.name,
    count,
    floorCount,
    previewS,
    floorS,
    ratio,
    keptRatio,
    runS,
    changed,
    queuedOpenids,
    countsAgree,
    lines,
  };
}
