import { Writable } from 'stream';
import { basename, extname } from 'path';
import cliProgress from 'cli-progress';
import type { Command } from '../main';
import { flagString } from '../args';
import { buildContext } from '../../server';
import { createLogger } from '../../logger';
import { createServices } from '../../services';
import { ImportError } from '../../imports/import.errors';
import type { ImportJson } from '../../imports/imports-api.types';
import { findSource, unknownSourceMessage } from '../../../config';

const USAGE =
  'usage: siyu import <file> --kind customers|orders|events --source <id> [--format csv|ndjson] [--map col=field[,col=field…]]\n';

/** `--map 会员号=identity.external_id,手机=phone` (commas separate pairs; the flag may not repeat). */
export function mappingFlag(v: string | undefined): Record<string, string> | null | string {
  if (!v) return null;
  const out: Record<string, string> = {};
  for (const pair of v.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return `--map expects col=field pairs, not ${JSON.stringify(pair)}`;
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

/**
 * `siyu import <file> --kind … --source …` (DESIGN §11): imports a CSV or NDJSON file in this process with a
 * progress bar (percent of the file, rows, refused rows), then prints the import as JSON and the first refused
 * rows with their line and reason. Exit 0 done (even with refused rows), 1 failed or refused, 2 usage.
 */
export const importCommand: Command = async (args, io, config) => {
  const [file] = args.positionals;
  const kind = flagString(args, 'kind');
  const source = flagString(args, 'source');
  const mapping = mappingFlag(flagString(args, 'map'));
  if (!file || !kind || !source || typeof mapping === 'string') {
    if (typeof mapping === 'string') io.err(`siyu import: ${mapping}\n`);
    io.err(USAGE);
    return 2;
  }
  const ext = extname(file).toLowerCase();
  const format = flagString(args, 'format') ?? (ext === '.ndjson' || ext === '.jsonl' ? 'ndjson' : 'csv');
  const cfg = config();
  // Refused before the database is opened: a mistyped source must not create or migrate a database file.
  if (!findSource(cfg, source)) {
    io.err(`siyu import: ${unknownSourceMessage(cfg, source)}\n`);
    return 1;
  }
  const app = createServices(
    await buildContext(cfg, {
      logger: createLogger(cfg.log.level === 'info' ? 'warn' : cfg.log.level, process.stderr),
    }),
  );
  const stream = process.stderr.isTTY
    ? process.stderr
    : new Writable({ write: (chunk: Buffer, _e, cb) => (io.err(chunk.toString()), cb()) });
  const bar = new cliProgress.SingleBar(
    {
      format: `${kind} |{bar}| {percentage}% | {read} rows, {failed} refused | ETA {eta_formatted}`,
      stream,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const show = (p: ImportJson) => bar.update(p.percent, { read: p.read, failed: p.failed });
  try {
    const { import: started, done } = await app.imports.start({
      kind,
      source,
      format,
      path: file,
      fileName: basename(file),
      mapping,
      createdBy: 'cli',
      onProgress: show,
    });
    bar.start(100, 0, { read: 0, failed: 0 });
    const end = await done;
    show(end);
    bar.stop();
    io.out(`${JSON.stringify(end)}\n`);
    if (end.failed > 0) {
      const errors = await app.imports.errors(started.id, 0, 20);
      io.err(errors.items.map((e) => `line ${e.line}: ${e.reason}\n`).join(''));
      if (end.failed > errors.items.length)
        io.err(`… ${end.failed - errors.items.length} more: GET /api/v1/imports/${started.id}/errors\n`);
    }
    if (end.status === 'done') return 0;
    io.err(`import #${end.id} failed: ${end.error}\n`);
    return 1;
  } catch (err) {
    bar.stop();
    if (err instanceof ImportError) {
      io.err(`siyu import: ${err.message}\n`);
      return 1;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      io.err(`siyu import: no such file ${file}\n`);
      return 1;
    }
    throw err;
  } finally {
    await app.ds.destroy();
  }
};
