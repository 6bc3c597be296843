import type { DataSource } from '../../storage';
import type { Semaphore } from '../../../connectors/common/http/semaphore';
import type { Logger } from '../../logger';
import type { Clients } from '../../tokens/clients';
import type { RemoteBinder } from '../bindings/remote-binder';
import type { PushOutcome, PushStats } from './push-outcome';

/** What the OA and WeCom push steps share within one claimed batch. */
export interface PushContext {
  ds: DataSource;
  clients: Clients;
  binder: RemoteBinder;
  fanout: 'all' | 'newest';
  now(): Date;
  outcome: PushOutcome;
  stats: PushStats;
  /** Pushes of the previous round not written back yet (see PushOutcome.overlay): they count as WeChat's state. */
  unflushed: ReadonlyMap<string, boolean>;
  /** Calls in flight per account (≤ 5 per corp). */
  limiter(channel: string, account: string): Semaphore;
  logger: Logger;
  /**
   * Quota rate limits (a minute or more) block the whole account for the window WeChat names: calls to a blocked account
   * are not made (the rows wait, unattempted); `blockedUntil` says until when, `noteFailure` records a limit.
   */
  blockedUntil(channel: string, account: string): Date | undefined;
  noteFailure(channel: string, account: string, err: unknown): void;
  /** A WeCom push found a bound corp tag gone (TAG_GONE): re-read the corp's tag library. */
  onInvalidCorpTag(corpId: string): Promise<void>;
}
