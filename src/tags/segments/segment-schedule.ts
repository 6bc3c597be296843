import { createTask } from 'node-cron';

/** How far back a segment's missed slots are caught up (one run covers them all). */
const CATCH_UP_MS = 24 * 3_600_000;
const MINUTE = 60_000;

/**
 * Whether a segment's cron `schedule` had a slot in (lastRun, now] (minutes, node-cron's own matcher, local
 * time like the scheduler's timers). A gateway that was down runs a missed segment once when it comes back;
 * a new segment waits for its first slot.
 */
export function isDue(schedule: string, lastRunAt: Date | null, createdAt: Date, now: Date): boolean {
  const task = createTask(schedule, () => undefined);
  try {
    const from = Math.max((lastRunAt ?? createdAt).getTime(), now.getTime() - CATCH_UP_MS);
    const start = Math.floor(from / MINUTE) * MINUTE + MINUTE;
    for (let t = start; t <= now.getTime(); t += MINUTE) if (task.match(new Date(t))) return true;
    return false;
  } finally {
    void task.destroy();
  }
}
