import type { NormalizedEvent } from './normalized-event';

/** What the core hands a connector's webhook: the raw bytes, never a parsed body (signatures cover raw bytes). */
export interface WebhookRequest {
  method: 'GET' | 'POST';
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  /** Seconds since epoch, injectable for tests of the timestamp window. */
  nowSeconds: number;
}

export interface HttpReply {
  status: number;
  body: string;
  contentType?: string;
}

/** A connector either answers directly (URL verification, probes) or accepts a callback for the inbox. */
export type WebhookOutcome =
  | { type: 'reply'; reply: HttpReply }
  | {
      type: 'accept';
      /** Unique key of this callback (DESIGN §6), stable across WeChat's retries. */
      dedupeKey: string;
      /** e.g. `oa.event.subscribe`, `wecom.change_external_contact.add_external_contact`, `pay.TRANSACTION.SUCCESS`. */
      kind: string;
      /** The verified, decrypted payload (XML or JSON text) as WeChat sent it. */
      raw: string;
      events: NormalizedEvent[];
      /** Sent only after the inbox row is committed. */
      ack: HttpReply;
    };

/** Thrown by a connector for any rejection; the core maps it to `{error:{code,message}}` (Pay: `{code,message}`). */
export class WebhookRejection extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRejection';
  }
}
