import { z } from 'zod';
import { QR_MAX_EXPIRE_SECONDS } from '../../connectors/official-account/client';
import { WELCOME_TEXT_MAX_BYTES } from '../../connectors/wecom/client';
import { parseBodyWith } from '../errors/parse-body';
import { channelInvalid } from './channel.errors';

const tagId = z.union([z.string().regex(/^\d{1,19}$/), z.number().int().positive()]).transform(String);
const userid = z.string().min(1).max(64);
/** A contact way reaches at most 100 members (41041); a single-member way names exactly one. */
const staffUserIds = z.array(userid).min(1).max(100);
const welcome = z
  .object({
    text: z
      .string()
      .trim()
      .min(1)
      .refine((s) => Buffer.byteLength(s, 'utf8') <= WELCOME_TEXT_MAX_BYTES, `at most ${WELCOME_TEXT_MAX_BYTES} bytes`),
  })
  .strict();

/** `POST /api/v1/channels` (DESIGN §13). Kind-specific fields are checked in the service. */
export const createChannelInput = z
  .object({
    name: z.string().trim().min(1).max(128),
    kind: z.enum(['oa-qrcode', 'wecom-contact-way']),
    accountId: z.string().min(1).max(64),
    permanent: z.boolean().optional(),
    expireSeconds: z.number().int().min(60).max(QR_MAX_EXPIRE_SECONDS).optional(),
    staffUserIds: staffUserIds.optional(),
    skipVerify: z.boolean().optional(),
    tagIds: z.array(tagId).max(20).optional(),
    welcome: welcome.optional(),
  })
  .strict();

/** `PATCH /api/v1/channels/:id`: kind, account and lifetime are fixed once the code exists in WeChat. */
export const updateChannelInput = z
  .object({
    name: z.string().trim().min(1).max(128).optional(),
    staffUserIds: staffUserIds.optional(),
    skipVerify: z.boolean().optional(),
    tagIds: z.array(tagId).max(20).optional(),
    welcome: welcome.nullable().optional(),
  })
  .strict();

export type CreateChannelInput = z.infer<typeof createChannelInput>;
export type UpdateChannelInput = z.infer<typeof updateChannelInput>;

/** Parses a request body; a mismatch is a 422 listing every problem with its path. */
export function parseChannelInput<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  return parseBodyWith(schema, body, channelInvalid);
}
