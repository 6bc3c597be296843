import { ZodError } from 'zod';
import { appsSummary } from './control/apps.control';
import { CLI_USAGE, parseCliArgs } from './cli-args';
import { startEmulator } from './server';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Stops the emulator (tests); otherwise SIGINT/SIGTERM do. */
  signal?: AbortSignal;
}

const defaultIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

function waitForStop(signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve) => {
    const stop = (why: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(why);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    if (signal?.aborted) stop('abort');
    signal?.addEventListener('abort', () => stop('abort'), { once: true });
  });
}

/**
 * `siyu emulator …`: seeds a world, listens, prints the URL and every app's credentials (the emulator's own fake
 * ones, which a gateway config needs), and runs until SIGINT/SIGTERM. Returns the process exit code.
 */
export async function runEmulatorCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const { options, errors } = parseCliArgs(argv);
  if (options.help) {
    io.out(CLI_USAGE);
    return 0;
  }
  if (errors.length) {
    for (const e of errors) io.err(`siyu emulator: ${e}`);
    io.err(CLI_USAGE);
    return 2;
  }
  const started = performance.now();
  let running;
  try {
    running = await startEmulator({ ...options.world, port: options.port, host: options.host });
  } catch (e) {
    if (e instanceof ZodError) {
      for (const i of e.issues) io.err(`siyu emulator: ${i.path.join('.')}: ${i.message}`);
      return 2;
    }
    io.err(`siyu emulator: ${(e as Error).message}`);
    return 1;
  }
  const w = running.state.world;
  io.out(
    `WeChat emulator listening on ${running.url} (seed ${running.state.options.seed}, ${w.persons.count} persons, seeded in ${Math.round(performance.now() - started)} ms)`,
  );
  io.out(`  OA/MP/H5 API  ${running.url}/api.weixin.qq.com`);
  io.out(`  WeCom API     ${running.url}/qyapi.weixin.qq.com`);
  io.out(`  OAuth pages   ${running.url}/open.weixin.qq.com`);
  io.out(`  Pay API       ${running.url}/api.mch.weixin.qq.com`);
  io.out(`  Control API   ${running.url}/_emulator (apps: GET ${running.url}/_emulator/apps)`);
  io.out(JSON.stringify(appsSummary(running.state, running.url), null, 2));
  const why = await waitForStop(io.signal);
  io.err(`siyu emulator: ${why}, stopping`);
  await running.close();
  return 0;
}
