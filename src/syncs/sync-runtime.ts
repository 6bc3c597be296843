import type { AppContext } from '../app-context';
import type { IdentityService } from '../identity/identity.service';
import { identityServiceFor } from '../identity/identity-service.factory';
import { IdentityHasher } from '../security/identity-hash';
import { createClients, type Clients } from '../tokens/clients';
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

const runtimes = new WeakMap<AppContext, SyncRuntime>();

/** Which resource fits which account kind (anything else is RESOURCE_NOT_SUPPORTED → 422). */
export function syncTasks(rt: Omit<SyncRuntime, 'syncs'>, app: AppContext): SyncTaskFactory {
  return (account, resource) => {
    if (account.kind === 'official-account' && resource === 'followers') {
      return followersSync({ ds: app.ds, client: (id) => rt.clients.oa(id), resolver: rt.resolver });
    }
    if (account.kind === 'wecom' && resource === 'contacts') return contactsSync({ ds: app.ds, client: (id) => rt.clients.wecom(id), resolver: rt.resolver });
    if (account.kind === 'wecom' && resource === 'corp-tags') return corpTagsSync((corpId) => new CorpTagLibrary({ ds: app.ds, config: app.config, logger: app.logger, now: () => app.now(), clients: rt.clients }).refresh(corpId));
    if (account.kind === 'wecom' && resource === 'staff') return staffSync(app.ds, (id) => rt.clients.wecom(id));
    if (account.kind === 'wecom' && resource === 'groups') return groupsSync({ ds: app.ds, client: (id) => rt.clients.wecom(id), resolver: rt.resolver });
    return undefined;
  };
}

/** One runtime per AppContext (one token manager and one concurrency cap per WeChat account per process). */
export function syncRuntime(app: AppContext, opts: { clients?: Clients } = {}): SyncRuntime {
  let rt = runtimes.get(app);
  if (rt) return rt;
  const clients = opts.clients ?? createClients({ ds: app.ds, config: app.config, logger: app.logger }, { now: app.now });
  const hasher = new IdentityHasher(app.config.security.dataKey);
  const identity = identityServiceFor(app);
  const resolver = new BulkIdentityResolver({ identity, hasher, now: app.now });
  const base = { clients, identity, resolver };
  rt = { ...base, syncs: new SyncService({ ds: app.ds, config: app.config, logger: app.logger.child({ module: 'syncs' }), now: app.now, tasks: syncTasks(base, app) }) };
  runtimes.set(app, rt);
  return rt;
}

/**
 * Background worker (src/background.ts) that owns nothing but the shutdown of syncs started through the API or
 * jobs: on stop they finish the writes in flight and are left paused, resumable.
 */
export function syncsWorker(app: AppContext): { name: string; stop(): Promise<void> } {
  return { name: 'syncs', stop: async () => runtimes.get(app)?.syncs.stop() };
}
