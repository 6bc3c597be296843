import { ConfigError, loadConfig, type SiyuConfig } from '../../config';
import { parseArgs, type ParsedArgs } from './args';
import { serveCommand } from './commands/serve.command';
import { migrateCommand } from './commands/migrate.command';
import { apiKeyCommand } from './commands/api-key.command';
import { emulatorCommand } from './commands/emulator.command';
import { syncCommand } from './commands/sync.command';
import { pushTagsCommand } from './commands/push-tags.command';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export type Command = (args: ParsedArgs, io: CliIo, config: () => SiyuConfig) => Promise<number>;

const USAGE = `usage: siyu <command>
  serve                                   start the gateway
  migrate [up|down|status]                apply, roll back one, or list pending migrations
  emulator [--port 4000] [--seed N] …     start the local WeChat emulator
  demo [--exit] [--port 3000] [--emulator-port 4000]
                                          gateway + emulator + a seeded story, then a summary
  api-key create --role admin|operator|viewer --name NAME
  api-key list | api-key revoke <id|name>
  sync <accountId> <resource>             full sync (followers | contacts | corp-tags), resumable
  push-tags [--sweep]                     drain the tag outbox now (--sweep: queue every difference first)
`;

/** Commands are listed explicitly. */
const commands: Record<string, Command> = {
  serve: serveCommand,
  migrate: migrateCommand,
  'api-key': apiKeyCommand,
  emulator: emulatorCommand,
  sync: syncCommand,
  'push-tags': pushTagsCommand,
  demo: (args, io, config) => import('./commands/demo.command').then((m) => m.demoCommand(args, io, config)),
};

const stdio: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = name ? commands[name] : undefined;
  if (!cmd) {
    io.err(name && name !== 'help' && name !== '--help' ? `siyu: unknown command '${name}'\n${USAGE}` : USAGE);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  // Config is loaded lazily (the emulator needs none) but once; an invalid config lists every problem and exits 1.
  let cached: SiyuConfig | undefined;
  const config = (): SiyuConfig => (cached ??= loadConfig());
  try {
    return await cmd(parseArgs(rest), io, config);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`siyu: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
