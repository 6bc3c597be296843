import type { DataSource } from '../storage';
import type { SiyuConfig } from '../../config';
import type { Logger } from '../logger';

/** What the tag services are built from; an AppContext satisfies it. `now` is the injectable clock (ms). */
export interface TagsDeps {
  ds: DataSource;
  config: SiyuConfig;
  logger: Logger;
  now(): number;
}

/** Who made a change, for `customer_tags.assigned_by` and `audit_log` (API key name, `segment:<id>`, `wecom:<staff>`). */
export interface Actor {
  name: string;
  role?: string | null;
  /** A person's own name where the record shows it in words (a note's author); `name` is then `operator:<id>`. */
  displayName?: string;
}
