import type { DataSource } from 'typeorm';
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
  /** Calls in flight per account (≤ 5 per corp, issue 7). */
  limiter(channel: string, account: string): Semaphore;
  logger: Logger;
  /** A WeCom push hit 40068 (a bound corp tag is gone): re-read the corp's tag library. */
  onInvalidCorpTag(corpId: string): Promise<void>;
}
