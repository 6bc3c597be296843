import type { Logger } from '../logger';
import { isLockConflict } from '../storage/conflict-retry';
import { storageErrorOf } from '../storage/errors';

/**
 * How a background worker reports a round that did not complete. A lost lock conflict or a database node that is
 * away is the weather of several instances and of a cluster (DESIGN §3), not a fault: nothing was lost and the next
 * round tries again. So a conflict is a warning; an outage is one warning when it starts and one info line when a
 * round succeeds again, with debug lines between; anything else is an error every time.
 */
export class RoundFailures {
  private away = false;

  constructor(
    private readonly logger: Logger,
    private readonly worker: string,
  ) {}

  /** `message` is the error line's, for a failure that is neither a conflict nor an outage. */
  failed(err: unknown, context: Record<string, unknown> = {}, message = `${this.worker}: round failed`): void {
    const fields = { err, worker: this.worker, ...context };
    if (isLockConflict(err)) {
      this.logger.warn(fields, `${this.worker}: round lost a database conflict; it runs again`);
      return;
    }
    const storage = storageErrorOf(err)?.code;
    if (storage === 'DB_UNAVAILABLE' || storage === 'DB_BUSY') {
      if (this.away) this.logger.debug(fields, `${this.worker}: database still unreachable`);
      else this.logger.warn(fields, `${this.worker}: database unreachable; waiting for it`);
      this.away = true;
      return;
    }
    this.logger.error(fields, message);
  }

  succeeded(): void {
    if (!this.away) return;
    this.away = false;
    this.logger.info({ worker: this.worker }, `${this.worker}: database reachable again`);
  }
}
