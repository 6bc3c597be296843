import type { DataSource } from './storage';
import type { SiyuConfig } from '../config';
import type { Logger } from './logger';
import type { HttpMetrics } from './http/metrics';

/**
 * What every router, service and job is built from. Built once per process by `src/server.ts` (or per test);
 * there is no global DataSource (CONVENTIONS: explicit DataSource).
 */
export interface AppContext {
  config: SiyuConfig;
  ds: DataSource;
  logger: Logger;
  metrics: HttpMetrics;
  /** Injectable clock (ms since epoch) so tests can move time. */
  now(): number;
}
