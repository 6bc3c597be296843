import type { AppContext } from './app-context';
import { SessionTokens } from './auth/session-token';
import { ChannelService } from './channels/channel.service';
import { WelcomeSender } from './channels/welcome-sender';
import { EarlyGroupRereads } from './syncs/refresh/early-group-rereads';
import { ChannelStatsService } from './channels/channel-stats.service';
import { AttributeDefinitionService } from './attributes/attribute-definition.service';
import { CustomerAttributeService } from './attributes/customer-attribute.service';
import { CustomerNoteService } from './attributes/customer-note.service';
import { ConsentService } from './privacy/consent.service';
import { FollowRemarkService } from './attributes/follow-remark.service';
import { ProfileService } from './customers/profile.service';
import { createFrontDoors, type FrontDoors } from './h5/front-doors';
import { createIdentityService, type IdentityService } from './identity/identity.service';
import { createInboxWriter } from './inbox/inbox-writer.factory';
import type { InboxWriter } from './inbox/inbox-writer';
import { NodeReadiness } from './health/node-readiness';
import { newInstanceId } from './instance-id';
import { PhoneCrypto } from './security/phone-crypto';
import { createSidebarServices, type SidebarServices } from './sidebar/sidebar-services.factory';
import { createOperatorServices, type OperatorServices } from './operators/operator-services.factory';
import type { BulkIdentityResolver } from './syncs/identity/bulk-resolver';
import { createSyncRuntime } from './syncs/sync-runtime';
import type { SyncService } from './syncs/sync.service';
import { tagWorkers, type TagWorkers } from './tags/tags-services.factory';
import { createClients, type Clients, type ClientsOptions } from './tokens/clients';
import { TransferService } from './transfers/transfer.service';
import { WebhookService } from './webhooks/webhook.service';
import { ImportService } from './imports/import.service';
import { EventsIngestService } from './imports/events-ingest.service';

/**
 * Everything a gateway process runs on, each built once: the app context plus its services. `createApp`, the
 * background workers, the jobs and the CLI take what they need from it (DESIGN §2: one token manager per account
 * per process).
 */
export interface Services extends AppContext {
  /** Names this process on the rows it claims or locks (inbox, outbox, refresh queue, sync runs, job slots). */
  instanceId: string;
  /** Whether the database node is in the cluster, cached for a second: `/readyz` and every callback ask it. */
  readiness: NodeReadiness;
  /** One token manager and one HTTP caller per WeChat account; the tag workers use its `singleAttempt` view. */
  clients: Clients;
  identity: IdentityService;
  /** Signs visitor, Mini Program, OAuth-state and staff tokens. */
  sessionTokens: SessionTokens;
  /** Phone encryption and keyed hash under `security.dataKey` (the customer list's phone search). */
  phoneCrypto: PhoneCrypto;
  /** Customer profiles and summaries: the lookup and list routes and the sidebar's customer card. */
  profiles: ProfileService;
  /** Group-commits callbacks into the inbox, shared by every callback route. */
  inboxWriter: InboxWriter;
  resolver: BulkIdentityResolver;
  syncs: SyncService;
  frontDoors: FrontDoors;
  /** The one set of tag services and workers (API, jobs, sidebar, outbox pusher). */
  tags: TagWorkers;
  /** The WeCom sidebar's login, JS-SDK signing and customer card, on the clients, session tokens and tags above. */
  sidebar: SidebarServices;
  /** Console operators: their accounts, sessions and sign-in (WeCom and password), DESIGN §7.1. */
  operators: OperatorServices;
  /** Channel codes (渠道活码): created, changed and deleted in WeChat through the clients above. */
  channels: ChannelService;
  /** The welcome message's fast path: callbacks hand it their events as soon as their inbox row committed. */
  welcomes: WelcomeSender;
  /** Customer-group joins re-read as soon as their callback committed, ahead of the inbox. */
  groupRereads: EarlyGroupRereads;
  /** A channel's daily numbers, retention and customers, counted in SQL. */
  channelStats: ChannelStatsService;
  /** Custom field definitions, customer values (pii sealed with phoneCrypto's key) and notes (DESIGN §10.4). */
  attributeDefinitions: AttributeDefinitionService;
  customerAttributes: CustomerAttributeService;
  customerNotes: CustomerNoteService;
  consents: ConsentService;
  /** WeCom remark write-back through the outbox. */
  followRemarks: FollowRemarkService;
  /** WeCom customer transfers: started in WeChat, polled until final, their moves applied. */
  transfers: TransferService;
  /** Outbound webhook subscriptions and their deliveries (DESIGN §11). */
  webhooks: WebhookService;
  /** Bulk imports of customers, orders and events from other systems (DESIGN §11). */
  imports: ImportService;
  /** `POST /api/v1/events`: other systems' events and orders, idempotent per client id. */
  eventsIngest: EventsIngestService;
}

export interface ServicesOptions {
  /** WeChat client settings (tests: the emulator clock, short backoffs). */
  clients?: ClientsOptions;
}

/**
 * The composition root. Pieces are built in this order, each from the ones before it; the clock is read through
 * the returned object, so a test that sets `services.now` moves every service's time. Building twice gives two
 * independent graphs (tests run two "instances" on one database that way).
 */
export function createServices(context: AppContext, opts: ServicesOptions = {}): Services {
  const app: AppContext = { ...context };
  const now = (): number => app.now();
  const instanceId = newInstanceId();
  const readiness = new NodeReadiness(app);
  const clients = createClients(app, { now, ...opts.clients });
  const identity = createIdentityService(app);
  const sessionTokens = new SessionTokens(app.config.security.sessionSecret, now);
  const phoneCrypto = new PhoneCrypto(app.config.security.dataKey);
  const profiles = new ProfileService({ config: app.config, phoneCrypto, now });
  const inboxWriter = createInboxWriter(app);
  const { resolver, syncs } = createSyncRuntime(app, { clients, identity, instanceId });
  const frontDoors = createFrontDoors(app, { clients, identity, tokens: sessionTokens });
  const tags = tagWorkers(app, clients, { owner: instanceId });
  const attributeDefinitions = new AttributeDefinitionService({ ...app, now });
  const customerAttributes = new CustomerAttributeService({ ...app, now, sealer: phoneCrypto });
  const customerNotes = new CustomerNoteService({ ...app, now });
  const consents = new ConsentService({ ...app, now });
  const followRemarks = new FollowRemarkService({ ...app, now });
  const sidebar = createSidebarServices({
    ...app,
    now,
    clients,
    sessionTokens,
    profiles,
    tags,
    attributes: {
      definitions: attributeDefinitions,
      values: customerAttributes,
      notes: customerNotes,
      remarks: followRemarks,
    },
  });
  const operators = createOperatorServices({ ...app, now, clients, sessionTokens });
  const channels = new ChannelService({ ...app, now, clients });
  const welcomes = new WelcomeSender({ ...app, now, clients, instanceId });
  const groupRereads = new EarlyGroupRereads({ ...app, now });
  const channelStats = new ChannelStatsService({ ...app, now });
  const transfers = new TransferService({ ...app, now, clients });
  const webhooks = new WebhookService({ ...app, now, sealer: phoneCrypto });
  const ingestDeps = { ...app, now, identity, resolver, phoneCrypto };
  const imports = new ImportService(ingestDeps);
  const eventsIngest = new EventsIngestService(ingestDeps);
  return Object.assign(app, {
    instanceId,
    readiness,
    clients,
    identity,
    sessionTokens,
    phoneCrypto,
    profiles,
    inboxWriter,
    resolver,
    syncs,
    frontDoors,
    tags,
    sidebar,
    operators,
    channels,
    welcomes,
    groupRereads,
    channelStats,
    attributeDefinitions,
    customerAttributes,
    customerNotes,
    consents,
    followRemarks,
    transfers,
    webhooks,
    imports,
    eventsIngest,
  });
}
