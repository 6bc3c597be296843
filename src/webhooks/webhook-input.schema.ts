import { z } from 'zod';
import { parseBodyWith } from '../errors/parse-body';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types';
import { webhookInvalid } from './webhook.errors';

const url = z
  .string()
  .trim()
  .max(1024)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials');
const events = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((e) => [...new Set(e)]);

/** `POST /api/v1/webhooks` (DESIGN §13). */
export const createWebhookInput = z
  .object({
    url,
    events,
    description: z.string().trim().max(255).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

/** `PATCH /api/v1/webhooks/:id`. */
export const updateWebhookInput = z
  .object({
    url: url.optional(),
    events: events.optional(),
    description: z.string().trim().max(255).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export type CreateWebhookInput = z.infer<typeof createWebhookInput>;
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>;

export function parseWebhookInput<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  return parseBodyWith(schema, body, webhookInvalid);
}
