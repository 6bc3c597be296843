import type { Command } from '../main';
import { buildContext } from '../../server';
import { createLogger } from '../../logger';
import { createServices } from '../../services';
import { countByStatus } from '../../storage/tags/outbox.repository';
import { nextDueAt } from '../../storage/tags/outbox-claim';
import { formatPushTagsReport, type PushTagsReport } from '../push-tags-summary';

/**
 * `siyu push-tags [--sweep] [--json]` (DESIGN §8.4): drains the outbox now — every row due is pushed to WeChat —
 * and prints what happened (`--json`: one JSON object); `--sweep` first queues every difference between the
 * desired state and what WeChat is known to hold. Rows backing off after a retryable failure stay for their next
 * attempt. Exit 0, or 1 when rows went dead in this run.
 */
export const pushTagsCommand: Command = async (args, io, config) => {
  const cfg = config();
  if (!cfg.accounts.some((a) => a.kind === 'official-account' || a.kind === 'wecom')) {
    io.err(
      'siyu push-tags: no Official Account or WeCom account is configured, so rows for them cannot be pushed; set SIYU_CONFIG to your config file (see config/example.yaml)\n',
    );
  }
  const app = createServices(
    await buildContext(cfg, {
      logger: createLogger(cfg.log.level === 'info' ? 'warn' : cfg.log.level, process.stderr),
    }),
  );
  try {
    const { sweeper, pusher } = app.tags;
    const queued = args.flags.sweep ? await sweeper.sweepAll() : undefined;
    const started = Date.now();
    const pushed = await pusher.drain();
    const durationMs = Date.now() - started;
    const next = await nextDueAt(app.ds);
    const report: PushTagsReport = {
      ...(queued ? { queued } : {}),
      pushed,
      durationMs,
      outbox: await countByStatus(app.ds),
      nextAttemptAt: next?.toISOString() ?? null,
    };
    io.out(args.flags.json ? `${JSON.stringify(report)}\n` : formatPushTagsReport(report));
    return pushed.rowsDead > 0 ? 1 : 0;
  } finally {
    await app.ds.destroy();
  }
};
