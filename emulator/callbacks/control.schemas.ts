import { z } from 'zod';
import { EXTERNAL_CONTACT_CHANGE_TYPES, MEMBER_CHANGE_TYPES } from './wecom-event.builder';
import { PRIVACY_EVENT_TYPES, SUBSCRIBE_MSG_EVENT_TYPES } from './privacy-event.builder';

/** Bodies of the callback control API (documented in emulator/callbacks/README.md). */
export const deliveryOptions = {
  createTime: z.number().int().positive().optional(),
  mode: z.enum(['plaintext', 'compatible', 'safe']).optional(),
  url: z.url().optional(),
  timeoutMs: z.number().int().min(1).max(60_000).optional(),
  deliveries: z.number().int().min(1).max(10).optional(),
  duplicates: z.number().int().min(0).max(10).optional(),
};

const id64 = z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]);
const openid = z.string().min(1);

export const oaEventBody = z.object({
  type: z.enum([
    'subscribe',
    'unsubscribe',
    'SCAN',
    'CLICK',
    'VIEW',
    'TEMPLATESENDJOBFINISH',
    'LOCATION',
    'MASSSENDJOBFINISH',
  ]),
  openid,
  eventKey: z.string().optional(),
  ticket: z.string().min(1).optional(),
  menuId: z.number().int().nonnegative().optional(),
  msgId: id64.optional(),
  status: z.string().min(1).optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  precision: z.number().nonnegative().optional(),
  totalCount: z.number().int().nonnegative().optional(),
  filterCount: z.number().int().nonnegative().optional(),
  sentCount: z.number().int().nonnegative().optional(),
  errorCount: z.number().int().nonnegative().optional(),
  articleUrls: z.array(z.string().min(1)).max(8).optional(),
  ...deliveryOptions,
});

const format = z.enum(['xml', 'json']).optional();

export const privacyEventBody = z.object({
  event: z.enum(PRIVACY_EVENT_TYPES),
  openid,
  revokeInfo: z.union([z.string().regex(/^\d{1,6}$/), z.number().int().nonnegative()]).optional(),
  pluginId: z.string().min(1).optional(),
  openPid: z.string().min(1).optional(),
  format,
  ...deliveryOptions,
});

export const subscribeMsgEventBody = z.object({
  event: z.enum(SUBSCRIBE_MSG_EVENT_TYPES),
  openid,
  templates: z
    .array(
      z.object({
        templateId: z.string().min(1),
        status: z.string().min(1).optional(),
        popupScene: z.string().optional(),
        msgId: z
          .string()
          .regex(/^\d{1,20}$/)
          .optional(),
        errorCode: z.string().optional(),
        errorStatus: z.string().optional(),
      }),
    )
    .min(1)
    .max(10),
  format,
  ...deliveryOptions,
});

export const oaMessageBody = z.object({
  type: z.enum(['text', 'image', 'voice', 'video', 'shortvideo', 'location', 'link']),
  openid,
  msgId: id64.optional(),
  content: z.string().optional(),
  msgDataId: z.string().optional(),
  idx: z.number().int().positive().optional(),
  picUrl: z.string().optional(),
  mediaId: z.string().optional(),
  voiceFormat: z.string().optional(),
  recognition: z.string().optional(),
  thumbMediaId: z.string().optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
  scale: z.number().int().optional(),
  label: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  linkUrl: z.string().optional(),
  ...deliveryOptions,
});

export const mpMessageBody = z.object({
  type: z.enum(['text', 'image', 'miniprogrampage', 'user_enter_tempsession']),
  openid,
  format: z.enum(['xml', 'json']).optional(),
  msgId: id64.optional(),
  content: z.string().optional(),
  picUrl: z.string().optional(),
  mediaId: z.string().optional(),
  title: z.string().optional(),
  appId: z.string().optional(),
  pagePath: z.string().optional(),
  thumbUrl: z.string().optional(),
  thumbMediaId: z.string().optional(),
  sessionFrom: z.string().optional(),
  ...deliveryOptions,
});

export const externalContactBody = z.object({
  changeType: z.enum(EXTERNAL_CONTACT_CHANGE_TYPES),
  userId: z.string().min(1),
  externalUserId: z.string().min(1),
  state: z.string().optional(),
  welcomeCode: z.string().optional(),
  source: z.string().optional(),
  failReason: z.enum(['customer_refused', 'customer_limit_exceed']).optional(),
  agentId: z.string().optional(),
  ...deliveryOptions,
});

export const memberChangeBody = z.object({
  changeType: z.enum(MEMBER_CHANGE_TYPES),
  userId: z.string().min(1),
  newUserId: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  departments: z.array(z.number().int().positive()).optional(),
  position: z.string().optional(),
  status: z.union([z.literal(1), z.literal(2), z.literal(4)]).optional(),
  minimal: z.boolean().optional(),
  agentId: z.string().optional(),
  ...deliveryOptions,
});

export const externalTagBody = z.object({
  id: z.string(),
  tagType: z.enum(['tag', 'tag_group']),
  changeType: z.enum(['create', 'update', 'delete', 'shuffle']),
  strategyId: z.number().int().nonnegative().optional(),
  agentId: z.string().optional(),
  ...deliveryOptions,
});

export const verifyUrlBody = z.object({
  url: z.url().optional(),
  timeoutMs: z.number().int().min(1).max(60_000).optional(),
});

export type OaEventBody = z.infer<typeof oaEventBody>;
export type OaMessageBody = z.infer<typeof oaMessageBody>;
export type PrivacyEventBody = z.infer<typeof privacyEventBody>;
export type SubscribeMsgEventBody = z.infer<typeof subscribeMsgEventBody>;
export type MpMessageBody = z.infer<typeof mpMessageBody>;
export type ExternalContactBody = z.infer<typeof externalContactBody>;
export type MemberChangeBody = z.infer<typeof memberChangeBody>;
export type ExternalTagBody = z.infer<typeof externalTagBody>;
export type VerifyUrlBody = z.infer<typeof verifyUrlBody>;
