import { listSegments } from '../storage/segments/segment.repository';
import { isDue } from '../tags/segments/segment-schedule';
import type { Job } from './job';

/**
 * Scheduled segment runs (DESIGN §5): every minute, each enabled segment whose own cron `schedule` had a slot
 * since its last run is evaluated (one after another; the scheduler runs this job once across instances).
 */
export const segmentsJob: Job = {
  name: 'segments',
  schedule: '* * * * *',
  budgetMs: 3_600_000,
  async run({ app, signal, logger }) {
    const { segments } = app.tags;
    const now = new Date(app.now());
    let after: string | undefined;
    for (;;) {
      const page = await listSegments(app.ds, { after, limit: 100, scheduledOnly: true });
      for (const s of page) {
        if (signal.aborted) return;
        if (!s.schedule || !isDue(s.schedule, s.lastRunAt, s.createdAt, now)) continue;
        try {
          const result = await segments.runNow(s, { name: 'scheduler' });
          logger.info({ segmentId: s.id, ...result }, 'segment run');
        } catch (err) {
          logger.error({ err, segmentId: s.id }, 'segment run failed');
        }
      }
      if (page.length < 100) return;
      after = page[page.length - 1]!.id;
    }
  },
};
