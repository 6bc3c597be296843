import { isWechatApiError } from '../../connectors/common/http/wechat-api-error';
import type { FollowAdded, NormalizedEvent } from '../../connectors/common/normalized-event';
import type { AppContext } from '../app-context';
import { findChannelByCode } from '../storage/channels/channel.repository';
import { claimWelcome, finishWelcome, type WelcomeClaim } from '../storage/channels/welcome-send.repository';
import type { Clients } from '../tokens/clients';

/** A WelcomeCode is good once, for 20 s after WeChat's event (wechat-api-wecom-ops.md §4). */
export const WELCOME_CODE_TTL_MS = 20_000;
/** A retry is only worth starting with this much of the 20 s left. */
const RETRY_MARGIN_MS = 2_000;

export type WelcomeDeps = Pick<AppContext, 'ds' | 'logger' | 'now'> & { clients: Clients; instanceId: string };

/** The add_external_contact events that carry a WelcomeCode and a State (a channel's contact way may own it). */
const welcomeOf = (e: NormalizedEvent): (FollowAdded & { welcomeCode: string; state: string }) | undefined =>
  e.kind === 'follow.added' && !e.half && e.welcomeCode && e.state
    ? (e as FollowAdded & { welcomeCode: string; state: string })
    : undefined;

/**
 * The welcome message's fast path (DESIGN §10.2): offered each callback right after its inbox row committed, before
 * and beside ordinary inbox work, so a backlog never makes a code expire. The channel of the State with a welcome
 * text gets one send_welcome_msg, claimed through its `welcome_sends` row (once across instances and WeChat's
 * retries of the callback); the outcome is recorded for the channel's stats; nothing is tried past the 20 s.
 */
export class WelcomeSender {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: WelcomeDeps) {}

  /** Starts the sends of a committed callback's events; never throws and never delays the ack. */
  offer(events: readonly NormalizedEvent[]): void {
    for (const e of events) {
      const w = welcomeOf(e);
      if (!w) continue;
      const p = this.send(w)
        .catch((err: unknown) => this.deps.logger.error({ err, corpId: w.account }, 'welcome message send failed'))
        .finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  /** Resolves when every send started so far has finished (graceful stop, tests). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async send(e: FollowAdded & { welcomeCode: string; state: string }): Promise<void> {
    const deadline = Date.parse(e.occurredAt) + WELCOME_CODE_TTL_MS;
    const channel = await findChannelByCode(this.deps.ds, 'wecom-contact-way', e.account, e.state);
    if (!channel?.welcomeText) return;
    const claim: WelcomeClaim = {
      welcomeCode: e.welcomeCode,
      channelId: channel.id,
      corpId: e.account,
      staffUserid: e.staffUserId,
      externalUserid: e.externalUserId,
      eventAt: new Date(e.occurredAt),
    };
    const now = this.deps.now();
    if (now >= deadline) {
      await claimWelcome(this.deps.ds, claim, 'expired', this.deps.instanceId, new Date(now));
      return;
    }
    if (!(await claimWelcome(this.deps.ds, claim, 'sending', this.deps.instanceId, new Date(now)))) return;
    const api = this.deps.clients.singleAttempt.wecom(e.account).contactWays;
    for (let attempt = 1; ; attempt++) {
      try {
        await api.sendWelcomeMessage(e.welcomeCode, { text: channel.welcomeText });
        await finishWelcome(this.deps.ds, e.welcomeCode, { status: 'sent' }, new Date(this.deps.now()));
        return;
      } catch (err) {
        const wechat = isWechatApiError(err) ? err : undefined;
        const left = deadline - this.deps.now();
        if (wechat?.retryable && left > RETRY_MARGIN_MS) {
          await new Promise((r) => setTimeout(r, Math.min(250 * attempt, left - RETRY_MARGIN_MS)));
          continue;
        }
        // A code WeChat calls expired or used (INVALID_CODE), or our own 20 s gone, is never retried.
        const expired = wechat?.category === 'INVALID_CODE' || this.deps.now() >= deadline;
        await finishWelcome(
          this.deps.ds,
          e.welcomeCode,
          {
            status: expired ? 'expired' : 'failed',
            errcode: wechat?.errcode ?? null,
            error: err instanceof Error ? err.message : String(err),
          },
          new Date(this.deps.now()),
        );
        return;
      }
    }
  }
}
