import type { DeliveryStatus, WebhookEventType } from './api/types';
import { t, type MessageKey } from './i18n';

/**
 * Enum values as words in the viewer's language; a value the catalog does not know (a newer WeChat code) is
 * shown as sent rather than hidden.
 */
export function word(prefix: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${prefix}.${value}`;
  const text = t(key as MessageKey);
  return text === key ? String(value) : text;
}

/**
 * Where an identity link came from (the merge reason and evidence source: `sync.oa_followers`, `oa.subscribe`,
 * `h5.oauth.snsapi_base`, …): its words, else its family's (the part before the first dot), else as sent.
 */
export function evidenceSourceLabel(source: string | null | undefined): string {
  if (!source) return '—';
  const exact = word('evidenceSource', source);
  if (exact !== source) return exact;
  const family = source.split('.')[0] ?? source;
  const familyWord = word('evidenceFamily', family);
  return familyWord === family ? source : familyWord;
}

/**
 * Who did something, as audit entries, sync runs and tags record it: an API key (`api:<name>` or its bare name),
 * `cli`, `wechat`, `system`, a cron job (`job:<name>`) or a sales rep (`wecom:<userid>`; `name` is the staff
 * directory's name when known). Never the raw `api:` / `job:` form.
 */
export function actorLabel(actor: string | null | undefined, name?: string | null): string {
  if (!actor) return '—';
  if (name) return name;
  if (actor === 'cli' || actor === 'wechat' || actor === 'system') return word('actor', actor);
  const colon = actor.indexOf(':');
  const kind = colon < 0 ? '' : actor.slice(0, colon);
  const rest = actor.slice(colon + 1);
  if (kind === 'api') return rest;
  if (kind === 'job') return t('actor.job');
  if (kind === 'wecom') return t('audit.staffActor', { userid: rest });
  return actor;
}

export const identityLabel = (type: string): string => word('identity', type);
export const channelLabel = (channel: string): string => word('channel', channel);
export const statusLabel = (status: string): string => word('status', status);
export const tagSourceLabel = (source: string): string => word('tagSource', source);
/** OA `subscribe_scene` (wechat-api.md, user/info): ADD_SCENE_SEARCH → 搜索公众号. */
export const sceneLabel = (scene: string | null): string => word('scene', scene);
/** WeCom `follow_user[].add_way` (wechat-api.md, externalcontact/get): 1 → 扫描二维码. */
export const addWayLabel = (addWay: number | null): string => word('addWay', addWay);
/** WeCom groupchat/get `join_scene` (wechat-api-wecom-ops.md): 3 → 扫描群二维码入群. */
export const joinSceneLabel = (scene: number | null): string => word('joinScene', scene);
export const groupStatusLabel = (status: string): string => word('groupStatus', status);
export const auditActionLabel = (action: string): string => word('auditAction', action);
export const resourceLabel = (resource: string): string => word('resource', resource);
/** Who recorded a consent: `console` → 控制台, `wechat` → 微信, a brand's own source as sent. */
export const consentSourceLabel = (source: string): string => word('consentSource', source);
export const accountKindLabel = (kind: string): string => word('accountKind', kind);

/** Timeline types are `<channel>.<type>` (src/inbox/event-applier.ts); `oa.message.text` falls back to `message`. */
export function eventTypeLabel(type: string): string {
  const exact = word('event', type);
  if (exact !== type) return exact;
  const [channel = '', kind = ''] = type.split('.');
  const general = word('event', `${channel}.${kind}`);
  if (general !== `${channel}.${kind}`) return general;
  const anyChannel = word('event', `any.${kind}`);
  return anyChannel === `any.${kind}` ? type : `${channelLabel(channel)} · ${anyChannel}`;
}

/**
 * A consent purpose (DESIGN §12): `marketing` → 营销, WeChat's `subscribe_msg:<templateId>` → 订阅消息 <templateId>,
 * a brand's own purpose as sent.
 */
export function consentPurposeLabel(purpose: string): string {
  const template = /^subscribe_msg:(.+)$/.exec(purpose)?.[1];
  return template ? t('rule.purposeSubscribeMsg', { template }) : word('consentPurpose', purpose);
}

export const CHANNELS = ['oa', 'mp', 'h5', 'wecom', 'pay'] as const;
export const IDENTITY_TYPES = [
  'unionid',
  'oa_openid',
  'mp_openid',
  'h5_openid',
  'wecom_external_userid',
  'external_id',
  'phone',
  'anonymous_id',
] as const;

/**
 * The event types a webhook may subscribe to, in the contract's order (DESIGN §11); a key per type, so the
 * typecheck fails when the server adds one the console cannot offer.
 */
const WEBHOOK_EVENT_SET: Record<WebhookEventType, true> = {
  'customer.created': true,
  'customer.merged': true,
  'customer.erased': true,
  'identity.linked': true,
  'tag.assigned': true,
  'tag.removed': true,
  'segment.joined': true,
  'segment.left': true,
  'follow.added': true,
  'follow.removed': true,
  'group.joined': true,
  'group.left': true,
  'channel.touched': true,
  'payment.succeeded': true,
  'payment.refunded': true,
  'consent.changed': true,
};
export const WEBHOOK_EVENTS = Object.keys(WEBHOOK_EVENT_SET) as WebhookEventType[];

/** `tag.assigned` → 打标签; a type newer than the console as sent. */
export const webhookEventLabel = (type: string): string => word('webhookEvent', type);
export const deliveryStatusLabel = (status: string): string => word('deliveryStatus', status);

/** Element Plus tag colours for a delivery: delivered green, failed orange, dead red, pending grey. */
export function deliveryStatusTag(status: DeliveryStatus | string): 'success' | 'warning' | 'danger' | 'info' {
  if (status === 'delivered') return 'success';
  if (status === 'failed') return 'warning';
  if (status === 'dead') return 'danger';
  return 'info';
}
