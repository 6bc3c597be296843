import type { ConnectorAccount, InboundConnector } from '../../connectors/common/connector-types';
import type { WebhookOptions } from '../../connectors/common/webhook-guards';
import { type HttpReply, type WebhookRequest, WebhookRejection } from '../../connectors/common/webhook-types';
import type { NormalizedEvent } from '../../connectors/common/normalized-event';
import type { Logger } from '../logger';
import type { InboxWriter } from './inbox-writer';
import { RoundFailures } from '../workers/round-failures';

/**
 * The core's half of the callback pipeline (DESIGN §6): connector verify/parse → inbox row committed → ack.
 * Nothing is stored on a rejection; a callback whose row cannot be committed is answered 503 so WeChat retries.
 * The ack is only produced after `writer.write` resolves, i.e. after the commit (a duplicate resolves too:
 * its row is already there).
 */
export type RejectionFormat = InboundConnector['webhook']['rejectionFormat'];

const JSON_TYPE = 'application/json; charset=utf-8';

export function rejectionReply(format: RejectionFormat, status: number, code: string, message: string): HttpReply {
  const body = format === 'pay' ? { code, message } : { error: { code, message } };
  return { status, body: JSON.stringify(body), contentType: JSON_TYPE };
}

export class WebhookIntake {
  /** Known account per (connector, key); unknown keys are not cached so random paths cannot grow it. */
  private readonly accounts = new Map<string, ConnectorAccount>();
  /** A database node that is away is one warning per outage (the 503 makes WeChat retry), not an error per callback. */
  private readonly stores: RoundFailures;

  constructor(
    private readonly deps: {
      accounts: readonly ConnectorAccount[];
      writer: InboxWriter;
      logger: Logger;
      options: WebhookOptions;
      /** Work that cannot wait for the inbox (the welcome message's 20 s), handed the events once committed. */
      committed?: (events: readonly NormalizedEvent[]) => void;
    },
  ) {
    this.stores = new RoundFailures(deps.logger, 'callback intake');
  }

  accountFor(connector: InboundConnector, key: string): ConnectorAccount | undefined {
    const cacheKey = `${connector.kind}\u0000${key}`;
    let account = this.accounts.get(cacheKey);
    if (!account) {
      account = connector.findAccount(this.deps.accounts, key);
      if (account) this.accounts.set(cacheKey, account);
    }
    return account;
  }

  /** Call after `accountFor` found the account (the router answers 404 before reading any body). */
  async receive(connector: InboundConnector, key: string, req: WebhookRequest): Promise<HttpReply> {
    const format = connector.webhook.rejectionFormat;
    let outcome;
    try {
      outcome = await connector.receive(this.deps.accounts, key, req, this.deps.options);
    } catch (e) {
      if (e instanceof WebhookRejection) return rejectionReply(format, e.status, e.code, e.message);
      this.deps.logger.error({ err: e, connector: connector.kind, account: key }, 'connector failed on a callback');
      return rejectionReply(format, 500, 'INTERNAL', 'internal error');
    }
    if (outcome.type === 'reply') return outcome.reply;
    try {
      await this.deps.writer.write({
        account: key,
        channel: connector.channel,
        kind: outcome.kind,
        dedupeKey: outcome.dedupeKey,
        raw: outcome.raw,
        events: outcome.events,
      });
    } catch (e) {
      this.stores.failed(
        e,
        { connector: connector.kind, account: key, dedupeKey: outcome.dedupeKey },
        'inbox insert failed; answering 503 so WeChat retries',
      );
      return rejectionReply(format, 503, 'INBOX_UNAVAILABLE', 'callback not stored, retry later');
    }
    this.stores.succeeded();
    this.deps.committed?.(outcome.events);
    return outcome.ack;
  }
}
