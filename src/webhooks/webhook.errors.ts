import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/** Typed failures of the webhook API (DESIGN §11, §13) and their status. */
export const WEBHOOK_ERROR_STATUS = {
  NOT_FOUND: 404,
  DELIVERY_NOT_FOUND: 404,
  VALIDATION_FAILED: 422,
  DELIVERY_IN_FLIGHT: 409,
} as const satisfies ErrorStatusTable;

export type WebhookErrorCode = keyof typeof WEBHOOK_ERROR_STATUS;

export class WebhookError extends DomainError<WebhookErrorCode> {
  readonly domain = 'webhooks';
}

export const webhookNotFound = (id: string): WebhookError => new WebhookError('NOT_FOUND', `webhook ${id} not found`);
export const webhookInvalid = (message: string, details?: unknown): WebhookError =>
  new WebhookError('VALIDATION_FAILED', message, details);
