import type { Job } from './job';

/**
 * The outbox safety net (DESIGN §5): the tags worker pushes continuously; every ten minutes this sweeps every
 * bound tag for differences no assignment call queued (new identities or relations of tagged customers, merges,
 * new bindings) and drains what is due.
 */
export const pushTagsJob: Job = {
  name: 'push-tags',
  schedule: '*/10 * * * *',
  budgetMs: 9 * 60_000,
  async run({ app, signal, logger }) {
    const { sweeper, pusher } = app.tags;
    const queued = await sweeper.sweepAll(() => signal.aborted);
    const pushed = await pusher.drain(() => signal.aborted);
    logger.info({ queued, pushed }, 'tags swept and pushed');
  },
};
