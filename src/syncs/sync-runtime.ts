import type { AppContext } from '../app-context';
import type { Worker } from '../background';
import type { IdentityService } from '../identity/identity.service';
import { IdentityHasher } from '../security/identity-hash';
import type { Clients } from '../tokens/clients';
import { CorpTagLibrary } from '../tags/reconcile/corp-tag-library';
import { corpTagsSync } from './wecom/corp-tags.sync';
import { contactsSync } from './wecom/contacts.sync';
import { staffSync } from './wecom/staff.sync';
import { groupsSync } from './wecom/groups.sync';
import { followersSync } from './oa/followers.sync';
import { BulkIdentityResolver } from './identity/bulk-resolver';
import { SyncService, type SyncTaskFactory } from './sync.service';

/** What syncs, the refresh worker, the sync routes and the nightly job share in one process. */
export interface SyncRuntime {
  clients: Clients;
  identity: IdentityService;
  resolver: BulkIdentityResolver;
  syncs: SyncService;
}

/** Which resource fits which account kind (anything else is RESOURCE_NOT_SUPPORTED → 422). */
export function syncTasks(rt: Omit<SyncRuntime, 'syncs'>, app: AppContext): SyncTaskFactory {
  return (account, resource) => {
    if (account.kind === 'official-account' && resource === 'followers') {
      return followersSync({ ds: app.ds, client: (id) => rt.clients.oa(id), resolver: rt.resolver });
    }
    if (account.kind === 'wecom' && resource === 'contacts')
      return contactsSync({ ds: app.ds, client: (id) => rt.clients.wecom(id), resolver: rt.resolver });
    if (account.kind === 'wecom' && resource === 'corp-tags')
      return corpTagsSync((corpId) =>
        new CorpTagLibrary({
          ds: app.ds,
          config: app.config,
          logger: app.logger,
          now: () => app.now(),
          clients: rt.clients,
        }).refresh(corpId),
      );
    if (account.kind === 'wecom' && resource === 'staff') return staffSync(app.ds, (id) => rt.clients.wecom(id));
    if (account.kind === 'wecom' && resource === 'groups')
      return groupsSync({ ds: app.ds, client: (id) => rt.clients.wecom(id), resolver: rt.resolver });
    return undefined;
  };
}

/** The sync service and bulk resolver on the process's clients and identity service (src/services.ts). */
export function createSyncRuntime(
  app: AppContext,
  deps: { clients: Clients; identity: IdentityService; instanceId: string },
): SyncRuntime {
  const resolver = new BulkIdentityResolver({
    identity: deps.identity,
    hasher: new IdentityHasher(app.config.security.dataKey),
    now: () => app.now(),
  });
  const base = { clients: deps.clients, identity: deps.identity, resolver };
  return {
    ...base,
    syncs: new SyncService({
      ds: app.ds,
      config: app.config,
      logger: app.logger.child({ module: 'syncs' }),
      now: () => app.now(),
      instance: deps.instanceId,
      tasks: syncTasks(base, app),
    }),
  };
}

/**
 * Background worker (src/background.ts) that owns nothing but the shutdown of syncs started through the API or
 * jobs: on stop they finish the writes in flight and are left paused, resumable.
 */
export function syncsWorker(app: { syncs: SyncService }): Worker {
  return { name: 'syncs', stop: () => app.syncs.stop() };
}
