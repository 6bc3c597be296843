import path from 'path';
import type { Command } from '../main';
import { flagString } from '../args';
import { createLogger } from '../../logger';

const USAGE =
  'usage: siyu demo [--exit] [--port 3000] [--emulator-port 4000] [--seed 11] [--data-dir ./data] [--log-level warn]\n';

function intFlag(v: string | undefined, def: number): number | undefined {
  if (v === undefined) return def;
  return /^\d{1,5}$/.test(v) && Number(v) <= 65535 ? Number(v) : undefined;
}

/**
 * `siyu demo` (DESIGN §8.4): the emulator and the gateway on `./data/demo.db` in this process, a story
 * through them, a summary; then both keep running until Ctrl-C (`--exit`: stop after the summary). It does not
 * read SIYU_CONFIG: the demo world and its config are generated. Exit 0, or 1 when a step failed.
 */
export const demoCommand: Command = async (args, io) => {
  const port = intFlag(flagString(args, 'port'), 3000);
  const emulatorPort = intFlag(flagString(args, 'emulator-port'), 4000);
  const seed = intFlag(flagString(args, 'seed'), 11);
  const level = flagString(args, 'log-level') ?? 'warn';
  if (
    port === undefined ||
    emulatorPort === undefined ||
    seed === undefined ||
    !['fatal', 'error', 'warn', 'info', 'debug', 'silent'].includes(level)
  ) {
    io.err(USAGE);
    return 2;
  }
  const dataDir = path.resolve(flagString(args, 'data-dir') ?? 'data');
  const logger = createLogger(level, process.stderr);
  // Loaded only when the demo runs: it brings the emulator, which the gateway never imports (DESIGN §2).
  const { runDemo, DemoError, formatSummary } = await import('../../../demo');
  let run;
  try {
    run = await runDemo({ dataDir, port, emulatorPort, seed, logger, jobs: true }, (line) => io.out(`${line}\n`));
  } catch (err) {
    if (!(err instanceof DemoError)) throw err;
    io.err(`siyu demo: ${err.code}: ${err.message}\n`);
    return 1;
  }
  io.out(formatSummary(run.summary));
  if (args.flags.exit) {
    await run.world.close();
    return 0;
  }
  io.out('\nBoth servers keep running; Ctrl-C stops them.\n');
  await new Promise<void>((resolve) => {
    const onSignal = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await run.world.close();
  return 0;
};
