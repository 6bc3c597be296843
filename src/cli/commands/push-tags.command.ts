import type { Command } from '../main';
import { buildContext } from '../../server';
import { createLogger } from '../../logger';
import { countByStatus } from '../../tags/outbox/outbox.repository';
import { nextDueAt } from '../../tags/outbox/outbox-claim';
import { tagRuntime } from '../../tags/tags.runtime';

/**
 * `siyu push-tags [--sweep]` (DESIGN §8.4): drains the outbox now — every row due is pushed to WeChat — and
 * prints what happened; `--sweep` first queues every difference between the desired state and what WeChat is
 * known to hold. Rows backing off after a retryable failure stay for their next attempt. Exit 0, or 1 when
 * rows went dead in this run.
 */
export const pushTagsCommand: Command = async (args, io, config) => {
  const cfg = config();
  const app = await buildContext(cfg, createLogger(cfg.log.level === 'info' ? 'warn' : cfg.log.level, process.stderr));
  try {
    const { sweeper, pusher } = tagRuntime(app);
    if (args.flags.sweep) io.out(`queued: ${JSON.stringify(await sweeper.sweepAll())}\n`);
    const started = Date.now();
    const stats = await pusher.drain();
    const counts = await countByStatus(app.ds);
    const next = await nextDueAt(app.ds);
    io.out(`pushed in ${Date.now() - started} ms: ${JSON.stringify(stats)}\n`);
    io.out(`outbox: ${JSON.stringify(counts)}${next ? `; next attempt at ${next.toISOString()}` : ''}\n`);
    return stats.rowsDead > 0 ? 1 : 0;
  } finally {
    await app.ds.destroy();
  }
};
