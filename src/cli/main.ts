import { ConfigError, loadConfig, type SiyuConfig } from '../../config';
import { parseArgs, type ParsedArgs } from './args';
import { serveCommand } from './commands/serve.command';
import { migrateCommand } from './commands/migrate.command';
import { apiKeyCommand } from './commands/api-key.command';
import { operatorCommand } from './commands/operator.command';
import { emulatorCommand } from './commands/emulator.command';
import { syncCommand } from './commands/sync.command';
import { pushTagsCommand } from './commands/push-tags.command';
import { importCommand } from './commands/import.command';
import { backupCommand } from './commands/backup.command';
import { COMMAND_HELP, USAGE, formatCommandHelp } from './help';
import { packageVersion } from './package-version';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** All of stdin (`--password-stdin`); tests hand it in, the real CLI reads process.stdin. */
  readStdin?(): Promise<string>;
}

export type Command = (args: ParsedArgs, io: CliIo, config: () => SiyuConfig) => Promise<number>;

/** Commands are listed explicitly. */
const commands: Record<string, Command> = {
  serve: serveCommand,
  migrate: migrateCommand,
  'api-key': apiKeyCommand,
  operator: operatorCommand,
  emulator: emulatorCommand,
  sync: syncCommand,
  'push-tags': pushTagsCommand,
  import: importCommand,
  backup: backupCommand,
  demo: (args, io, config) => import('./commands/demo.command').then((m) => m.demoCommand(args, io, config)),
};

const stdio: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

const wantsHelp = (args: string[]): boolean => args.includes('--help') || args.includes('-h');

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    const help = topic ? COMMAND_HELP[topic] : undefined;
    io.out(help ? formatCommandHelp(help) : USAGE);
    return 0;
  }
  const cmd = commands[name];
  const help = COMMAND_HELP[name];
  if (!cmd || !help) {
    io.err(`siyu: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  // The emulator parses and explains its own flags.
  if (name !== 'emulator' && wantsHelp(rest)) {
    io.out(formatCommandHelp(help));
    return 0;
  }
  const args = parseArgs(rest);
  const unknown = name === 'emulator' ? [] : Object.keys(args.flags).filter((f) => !(f in help.flags));
  if (unknown.length) {
    io.err(
      `siyu ${name}: unknown flag ${unknown.map((f) => `--${f}`).join(', ')}\nusage: ${help.usage}\n(siyu ${name} --help explains each flag)\n`,
    );
    return 2;
  }
  // Config is loaded lazily (the emulator needs none) but once; an invalid config lists every problem and exits 1.
  let cached: SiyuConfig | undefined;
  const config = (): SiyuConfig => (cached ??= loadConfig());
  try {
    return await cmd(args, io, config);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`siyu: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
