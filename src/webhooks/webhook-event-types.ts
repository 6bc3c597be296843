/** The event types a subscription may ask for (DESIGN §11), in the contract's order. */
export const WEBHOOK_EVENT_TYPES = [
  'customer.created',
  'customer.merged',
  'customer.erased',
  'identity.linked',
  'tag.assigned',
  'tag.removed',
  'segment.joined',
  'segment.left',
  'follow.added',
  'follow.removed',
  'group.joined',
  'group.left',
  'channel.touched',
  'payment.succeeded',
  'payment.refunded',
  'consent.changed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
