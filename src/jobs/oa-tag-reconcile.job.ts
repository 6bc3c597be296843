import type { Job } from './job';

/**
 * OA tag reconcile (DESIGN §5: OA has no tag callback): once a day each OA's tag list is read into the catalog
 * and every bound OA tag's fans are compared with the desired state (OaReconciler); drift is recorded per
 * subject (GET /api/v1/tags/:id `drifted`) and logged.
 */
export const oaTagReconcileJob: Job = {
  name: 'oa-tag-reconcile',
  schedule: '30 4 * * *',
  budgetMs: 2 * 3_600_000,
  async run({ app, logger }) {
    const report = await app.tags.reconciler.reconcileAll();
    for (const r of report) {
      const drifted = r.extra + r.missing;
      (drifted > 0 ? logger.warn.bind(logger) : logger.info.bind(logger))(
        { ...r },
        drifted > 0 ? 'OA tag drift found' : 'OA tag in sync',
      );
    }
  },
};
