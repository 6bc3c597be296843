import type { Clients } from '../tokens/clients';
import { AssignmentService } from './assignments/assignment.service';
import { BulkAssigner } from './bulk/bulk-assigner';
import { TagJobRunner } from './bulk/tag-job.runner';
import { TagCatalogService } from './catalog/tag-catalog.service';
import { OutboxPusher, type OutboxPusherOptions } from './outbox/outbox-pusher';
import { TagSweeper } from './outbox/tag-sweeper';
import { CorpTagLibrary } from './reconcile/corp-tag-library';
import { OaReconciler } from './reconcile/oa-reconcile';
import { SegmentExplainer } from './segments/segment-explainer';
import { SegmentRunner } from './segments/segment-runner';
import { SegmentService } from './segments/segment.service';
import type { TagsDeps } from './tags-deps';

/** The services behind the tags API: no WeChat calls (those happen in the worker). */
export interface TagServices {
  catalog: TagCatalogService;
  assignments: AssignmentService;
  bulk: BulkAssigner;
  segments: SegmentService;
  /** Why a customer is (not) in a segment, and a customer's segments. */
  explainer: SegmentExplainer;
  sweeper: TagSweeper;
}

export function tagServices(deps: TagsDeps): TagServices {
  const assignments = new AssignmentService(deps);
  return {
    catalog: new TagCatalogService(deps),
    assignments,
    bulk: new BulkAssigner(deps, assignments),
    segments: new SegmentService(deps, new SegmentRunner(deps, assignments)),
    explainer: new SegmentExplainer(deps),
    sweeper: new TagSweeper(deps),
  };
}

/** The parts that talk to WeChat: pusher, job runner (incl. the corp tag library re-read), OA reconcile. */
export interface TagWorkers extends TagServices {
  pusher: OutboxPusher;
  jobs: TagJobRunner;
  library: CorpTagLibrary;
  reconciler: OaReconciler;
}

/**
 * The WeChat calls go through `clients.singleAttempt`: the outbox retries with its own backoff and counts every
 * retry (see OutboxPusher).
 */
export function tagWorkers(
  deps: TagsDeps,
  allClients: Clients,
  options: Omit<OutboxPusherOptions, 'clients' | 'onInvalidCorpTag'> = {},
): TagWorkers {
  const clients = allClients.singleAttempt;
  const services = tagServices(deps);
  const withClients = { ds: deps.ds, config: deps.config, logger: deps.logger, now: () => deps.now(), clients };
  const library = new CorpTagLibrary(withClients);
  const pusher = new OutboxPusher(deps, {
    ...options,
    clients,
    onInvalidCorpTag: async (corpId) => {
      await library.refresh(corpId);
    },
  });
  return {
    ...services,
    pusher,
    jobs: new TagJobRunner(deps, { ...services, library }, pusher.owner),
    library,
    reconciler: new OaReconciler(withClients),
  };
}
