import type { DataSource } from '../../storage';
import type { IdentityService } from '../../identity/identity.service';
import type { RefreshQueueRepository } from '../../storage/syncs/refresh-queue.repository';

/** What a re-read that resolves people needs: the database, its WeChat client, identity resolution and the queue. */
export interface RefreshDeps<Client> {
  ds: DataSource;
  client: Client;
  identity: IdentityService;
  queue: RefreshQueueRepository;
  now: () => number;
}
