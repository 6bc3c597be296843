import { AccessTokenEntity } from './access-token.entity';
import { ApiKeyEntity } from './api-key.entity';
import { AttributeDefinitionEntity } from './attribute-definition.entity';
import { AuditLogEntity } from './audit-log.entity';
import { BulkJobEntity } from './bulk-job.entity';
import { ChannelActivityEntity } from './channel-activity.entity';
import { ChannelEntity } from './channel.entity';
import { CustomerAttributeEntity } from './customer-attribute.entity';
import { CustomerChannelEntity } from './customer-channel.entity';
import { CustomerNoteEntity } from './customer-note.entity';
import { ConsentEntity } from './consent.entity';
import { CustomerTagEntity } from './customer-tag.entity';
import { CustomerEntity } from './customer.entity';
import { ErasureTombstoneEntity } from './erasure-tombstone.entity';
import { EventEntity } from './event.entity';
import { IdentityConflictEntity } from './identity-conflict.entity';
import { IdentityLinkEntity } from './identity-link.entity';
import { IdentityEntity } from './identity.entity';
import { InboxEntity } from './inbox.entity';
import { JobRunEntity } from './job-run.entity';
import { LeaseEntity } from './lease.entity';
import { OauthUsedStateEntity } from './oauth-used-state.entity';
import { MergeLogEntity } from './merge-log.entity';
import { OaSubscriptionEntity } from './oa-subscription.entity';
import { OutboxEntity } from './outbox.entity';
import { RefreshQueueEntity } from './refresh-queue.entity';
import { RefundEntity } from './refund.entity';
import { RemoteTagStateEntity } from './remote-tag-state.entity';
import { SegmentEntity } from './segment.entity';
import { SegmentRunEntity } from './segment-run.entity';
import { SyncRunEntity } from './sync-run.entity';
import { TagBindingEntity } from './tag-binding.entity';
import { TagGroupEntity } from './tag-group.entity';
import { TagEntity } from './tag.entity';
import { TransactionEntity } from './transaction.entity';
import { WecomCorpTagEntity } from './wecom-corp-tag.entity';
import { WecomFollowEntity } from './wecom-follow.entity';
import { WecomGroupMemberEntity } from './wecom-group-member.entity';
import { WecomGroupEntity } from './wecom-group.entity';
import { WecomStaffEntity } from './wecom-staff.entity';
import { WelcomeSendEntity } from './welcome-send.entity';
import { TransferEntity, TransferItemEntity } from './transfer.entity';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookEntity, WebhookEventEntity } from './webhook.entity';
import { ImportEntity, ImportErrorEntity } from './import.entity';
import { ConsoleLoginFailureEntity, ConsoleSessionEntity, OperatorEntity } from './operator.entity';

export * from './access-token.entity';
export * from './api-key.entity';
export * from './attribute-definition.entity';
export * from './audit-log.entity';
export * from './bulk-job.entity';
export * from './channel-activity.entity';
export * from './channel.entity';
export * from './customer-attribute.entity';
export * from './customer-channel.entity';
export * from './customer-note.entity';
export * from './consent.entity';
export * from './customer-tag.entity';
export * from './customer.entity';
export * from './erasure-tombstone.entity';
export * from './event.entity';
export * from './identity-conflict.entity';
export * from './identity-link.entity';
export * from './identity.entity';
export * from './inbox.entity';
export * from './job-run.entity';
export * from './lease.entity';
export * from './oauth-used-state.entity';
export * from './merge-log.entity';
export * from './oa-subscription.entity';
export * from './outbox.entity';
export * from './refresh-queue.entity';
export * from './refund.entity';
export * from './remote-tag-state.entity';
export * from './segment.entity';
export * from './segment-run.entity';
export * from './sync-run.entity';
export * from './tag-binding.entity';
export * from './tag-group.entity';
export * from './tag.entity';
export * from './transaction.entity';
export * from './wecom-corp-tag.entity';
export * from './wecom-follow.entity';
export * from './wecom-group-member.entity';
export * from './wecom-group.entity';
export * from './wecom-staff.entity';
export * from './welcome-send.entity';
export * from './transfer.entity';
export * from './webhook.entity';
export * from './import.entity';
export * from './operator.entity';

/** Every entity, registered on the DataSource (no globbing). */
export const entities = [
  CustomerEntity,
  IdentityEntity,
  IdentityLinkEntity,
  MergeLogEntity,
  IdentityConflictEntity,
  ErasureTombstoneEntity,
  WecomFollowEntity,
  OaSubscriptionEntity,
  EventEntity,
  TransactionEntity,
  RefundEntity,
  InboxEntity,
  OutboxEntity,
  AccessTokenEntity,
  SyncRunEntity,
  BulkJobEntity,
  TagGroupEntity,
  TagEntity,
  TagBindingEntity,
  CustomerTagEntity,
  RemoteTagStateEntity,
  SegmentEntity,
  ApiKeyEntity,
  AuditLogEntity,
  RefreshQueueEntity,
  JobRunEntity,
  WecomCorpTagEntity,
  OauthUsedStateEntity,
  LeaseEntity,
  SegmentRunEntity,
  WecomStaffEntity,
  WecomGroupEntity,
  WecomGroupMemberEntity,
  ChannelEntity,
  CustomerChannelEntity,
  ChannelActivityEntity,
  WelcomeSendEntity,
  AttributeDefinitionEntity,
  CustomerAttributeEntity,
  CustomerNoteEntity,
  ConsentEntity,
  TransferEntity,
  TransferItemEntity,
  WebhookEntity,
  WebhookEventEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
  ImportEntity,
  ImportErrorEntity,
  OperatorEntity,
  ConsoleSessionEntity,
  ConsoleLoginFailureEntity,
];
