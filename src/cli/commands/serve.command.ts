import type { Command } from '../main';
import { startGateway } from '../../server';
import { createLogger } from '../../logger';

/** `siyu serve`: listen, run workers and jobs, stop gracefully on SIGTERM/SIGINT. */
export const serveCommand: Command = async (_args, io, config) => {
  const cfg = config();
  const logger = createLogger(cfg.log.level);
  if (cfg.security.dataKeyIsEphemeral) {
    logger.warn(
      'security.dataKey is not set and the database is in memory: a random key is used for this process only',
    );
  }
  const gw = await startGateway(cfg, { logger, processMetrics: true });
  logger.info({ url: gw.url, database: cfg.database.url.replace(/\/\/[^@]*@/, '//***@') }, 'siyu gateway listening');
  io.out(`siyu listening on ${gw.url}\n`);
  await new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals): void => {
      logger.info({ sig }, 'shutting down');
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      gw.stop().then(resolve, (err) => {
        logger.error({ err }, 'shutdown failed');
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  return 0;
};
