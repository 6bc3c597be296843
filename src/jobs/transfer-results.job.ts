import type { Job } from './job';

/**
 * Polls WeCom transfer results (DESIGN §10.3): every five minutes, running transfers whose next poll is due read
 * transfer_result and apply what became final (moved relations, tags, timeline).
 */
export const transferResultsJob: Job = {
  name: 'transfer-results',
  schedule: '*/5 * * * *',
  budgetMs: 4 * 60_000,
  async run({ app, signal, logger }) {
    const completed = await app.transfers.poll({ shouldStop: () => signal.aborted });
    if (completed > 0) logger.info({ completed }, 'transfers completed');
  },
};
