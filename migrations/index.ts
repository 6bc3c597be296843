import type { MigrationInterface } from 'typeorm';
import { IdentityTables1795384800000 } from './1795384800000-identity-tables';
import { ChannelTables1795384801000 } from './1795384801000-channel-tables';
import { TimelineTables1795384802000 } from './1795384802000-timeline-tables';
import { PipelineTables1795384803000 } from './1795384803000-pipeline-tables';
import { TagTables1795384804000 } from './1795384804000-tag-tables';
import { AccessTables1795384805000 } from './1795384805000-access-tables';
import { RefreshQueue1795384900000 } from './1795384900000-refresh-queue';
import { JobRuns1795384901000 } from './1795384901000-job-runs';
import { WecomCorpTags1795384902000 } from './1795384902000-wecom-corp-tags';
import { CustomerSearchIndexes1795384903000 } from './1795384903000-customer-search-indexes';
import { DropIdentityValueIndex1795384904000 } from './1795384904000-drop-identity-value-index';
import { TagPushState1795385000000 } from './1795385000000-tag-push-state';
import { OauthUsedStates1795385100000 } from './1795385100000-oauth-used-states';
import { DropUnusedCustomerIndexes1795385200000 } from './1795385200000-drop-unused-customer-indexes';
import { DropCustomerMergedIntoIndex1795385300000 } from './1795385300000-drop-customer-merged-into-index';
import { WecomStaff1795385400000 } from './1795385400000-wecom-staff';
import { SegmentRuns1795385415000 } from './1795385415000-segment-runs';
import { LeasesAndClaimTokens1795385460000 } from './1795385460000-leases-and-claim-tokens';
import { PrivacyRetention1795385470000 } from './1795385470000-privacy-retention';
import { WecomGroups1795385520000 } from './1795385520000-wecom-groups';
import { Channels1795385600000 } from './1795385600000-channels';
import { WelcomeSends1795385610000 } from './1795385610000-welcome-sends';
import { CustomerAttributes1795385700000 } from './1795385700000-customer-attributes';
import { Transfers1795385710000 } from './1795385710000-transfers';
import { Operators1795385900000 } from './1795385900000-operators';
import { Webhooks1796000200000 } from './1796000200000-webhooks';
import { Imports1796000300000 } from './1796000300000-imports';
import { Consents1796000400000 } from './1796000400000-consents';
import { PurchaseFigures1796000500000 } from './1796000500000-purchase-figures';

/** Every migration, oldest first. Listed explicitly (no filesystem globbing) so builds and tests agree. */
export const migrations: (new () => MigrationInterface)[] = [
  IdentityTables1795384800000,
  ChannelTables1795384801000,
  TimelineTables1795384802000,
  PipelineTables1795384803000,
  TagTables1795384804000,
  AccessTables1795384805000,
  RefreshQueue1795384900000,
  JobRuns1795384901000,
  WecomCorpTags1795384902000,
  CustomerSearchIndexes1795384903000,
  DropIdentityValueIndex1795384904000,
  TagPushState1795385000000,
  OauthUsedStates1795385100000,
  DropUnusedCustomerIndexes1795385200000,
  DropCustomerMergedIntoIndex1795385300000,
  WecomStaff1795385400000,
  SegmentRuns1795385415000,
  LeasesAndClaimTokens1795385460000,
  PrivacyRetention1795385470000,
  WecomGroups1795385520000,
  Channels1795385600000,
  WelcomeSends1795385610000,
  CustomerAttributes1795385700000,
  Transfers1795385710000,
  Operators1795385900000,
  Webhooks1796000200000,
  Imports1796000300000,
  Consents1796000400000,
  PurchaseFigures1796000500000,
];
