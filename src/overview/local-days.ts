import type { OffsetSpan } from '../storage/offset-span';

export type { OffsetSpan };

/**
 * Calendar days in the configured zone (`server.timezone`): the overview counts per local day, so the SQL needs
 * the UTC instants where those days start and, inside the window, the spans where the zone's UTC offset is
 * constant (one span for Asia/Shanghai; a DST zone adds one per transition).
 */
export interface DayWindow {
  /** `YYYY-MM-DD`, oldest first, the last one being today in the zone. */
  dates: string[];
  start: number;
  end: number;
  spans: OffsetSpan[];
}

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(zone, f);
  }
  return f;
}

function localFields(ms: number, zone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of format(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** The zone's offset from UTC at an instant, in whole minutes. */
export function offsetMinutes(ms: number, zone: string): number {
  const f = localFields(ms, zone);
  const asUtc = Date.UTC(f.year!, f.month! - 1, f.day!, f.hour!, f.minute!, f.second!);
  return Math.round((asUtc - (ms - (((ms % 1000) + 1000) % 1000))) / 60_000);
}

/** `YYYY-MM-DD` of an instant in the zone. */
export function localDate(ms: number, zone: string): string {
  const f = localFields(ms, zone);
  return `${String(f.year).padStart(4, '0')}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`;
}

function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC instant at which a local date begins. */
export function startOfLocalDay(date: string, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // Re-evaluated once: the offset at the first guess can differ from the one at midnight across a transition.
  const guess = wall - offsetMinutes(wall, zone) * 60_000;
  return wall - offsetMinutes(guess, zone) * 60_000;
}

/** The first whole second in (lo, hi] whose offset differs from lo's, by bisection (zones change on whole seconds). */
function transition(lo: number, hi: number, zone: string): number {
  const before = offsetMinutes(lo, zone);
  let a = Math.floor(lo / 1000);
  let b = Math.ceil(hi / 1000);
  while (b - a > 1) {
    const mid = a + Math.floor((b - a) / 2);
    if (offsetMinutes(mid * 1000, zone) === before) a = mid;
    else b = mid;
  }
  return b * 1000;
}

/** The last `days` local days up to and including today (at `now`), with their constant-offset spans. */
export function dayWindow(now: number, days: number, zone: string): DayWindow {
  const today = localDate(now, zone);
  return dateWindow(addDays(today, 1 - days), today, zone);
}

/** The local days `from` to `to` (`YYYY-MM-DD`, both included), with their constant-offset spans. */
export function dateWindow(first: string, last: string, zone: string): DayWindow {
  const days = Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS) + 1;
  const dates = Array.from({ length: days }, (_, i) => addDays(first, i));
  const bounds = [...dates, addDays(last, 1)].map((d) => startOfLocalDay(d, zone));
  const spans: OffsetSpan[] = [];
  let from = bounds[0]!;
  let offset = offsetMinutes(from, zone);
  for (let i = 1; i < bounds.length; i++) {
    const at = bounds[i]!;
    const prev = bounds[i - 1]!;
    // A transition inside (prev, at]: close the span where the offset changes.
    while (offsetMinutes(at - 1, zone) !== offset) {
      const t = transition(Math.max(from, prev), at - 1, zone);
      spans.push({ from, to: t, offsetMinutes: offset });
      from = t;
      offset = offsetMinutes(t, zone);
    }
  }
  spans.push({ from, to: bounds[bounds.length - 1]!, offsetMinutes: offset });
  return { dates, start: bounds[0]!, end: bounds[bounds.length - 1]!, spans };
}

/** The local days `from`..`to` (`YYYY-MM-DD`, both included) with their constant-offset spans. */
export function rangeWindow(from: string, to: string, zone: string): DayWindow {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
  return dayWindow(startOfLocalDay(to, zone), days, zone);
}
