import { Writable } from 'stream';
import cliProgress from 'cli-progress';
import type { Command } from '../main';
import { buildContext } from '../../server';
import { createLogger } from '../../logger';
import { createServices } from '../../services';
import { SyncError } from '../../syncs/sync-errors';
import type { SyncProgress } from '../../syncs/syncs-api.types';
import { SYNC_RESOURCES } from '../../syncs/sync-types';

/** Where accounts come from, for a person who named one the loaded config does not have. */
export function accountsHint(ids: string[]): string {
  return ids.length
    ? `configured accounts: ${ids.join(', ')} (from the file SIYU_CONFIG names)`
    : 'no account is configured: set SIYU_CONFIG to your config file (YAML or JSON with an accounts list; see config/example.yaml)';
}

const USAGE = `usage: siyu sync <accountId> <resource>   (resource: ${SYNC_RESOURCES.join(' | ')})\n`;

/**
 * `siyu sync <accountId> <resource>` (DESIGN §8.4): runs (or resumes) one full sync in this process with a
 * progress bar — count/total, rate, ETA. Ctrl-C pauses it after the current page; running the command again
 * resumes from the checkpoint. Exit 0 done, 1 failed or refused, 130 paused.
 */
export const syncCommand: Command = async (args, io, config) => {
  const [accountId, resource] = args.positionals;
  if (!accountId || !resource) {
    io.err(USAGE);
    return 2;
  }
  const cfg = config();
  const app = createServices(
    await buildContext(cfg, {
      logger: createLogger(cfg.log.level === 'info' ? 'warn' : cfg.log.level, process.stderr),
    }),
  );
  const { syncs } = app;
  const stream = process.stderr.isTTY
    ? process.stderr
    : new Writable({ write: (chunk: Buffer, _e, cb) => (io.err(chunk.toString()), cb()) });
  const bar = new cliProgress.SingleBar(
    {
      format: `${resource} |{bar}| {value}/{total} | {rate}/s | ETA {eta_formatted}`,
      stream,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let shown = false;
  const show = (p: SyncProgress) => {
    const total = p.total ?? Math.max(p.processed, 1);
    if (!shown) bar.start(total, p.processed, { rate: p.rate });
    else {
      bar.setTotal(total);
      bar.update(p.processed, { rate: p.rate });
    }
    shown = true;
  };
  const onSignal = () => void syncs.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const { run, done } = await syncs.start(accountId, resource, { triggeredBy: 'cli', onProgress: show });
    io.err(`sync #${run.id} ${run.processed > 0 ? `resumed at ${run.processed}` : 'started'}\n`);
    show(run);
    const end: SyncProgress = await done;
    show(end);
    bar.stop();
    io.out(`${JSON.stringify(end)}\n`);
    if (end.status === 'done') return 0;
    io.err(
      end.status === 'paused'
        ? `sync #${end.id} paused at ${end.processed}; run the same command to resume\n`
        : `sync #${end.id} failed: ${end.error}\n`,
    );
    return end.status === 'paused' ? 130 : 1;
  } catch (err) {
    bar.stop();
    if (!(err instanceof SyncError)) throw err;
    io.err(`siyu sync: ${err.message}\n`);
    if (err.code === 'ACCOUNT_NOT_FOUND') io.err(`${accountsHint(cfg.accounts.map((a) => a.id))}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await app.ds.destroy();
  }
};
