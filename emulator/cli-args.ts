import type { WorldOptionsInput } from './options';

/**
 * Flags of `siyu emulator` → start options. Unknown flags and bad numbers are errors (listed together).
 * Overlap ratios are `--overlap-<name> 0.3` with the names of options.ts in kebab case.
 */
export interface CliOptions {
  port: number;
  host: string;
  world: WorldOptionsInput;
  help: boolean;
}

const NUMBER_FLAGS: Record<string, keyof WorldOptionsInput> = {
  seed: 'seed',
  followers: 'followers',
  'seed-followers': 'followers',
  'official-accounts': 'officialAccounts',
  'mini-programs': 'miniPrograms',
  corps: 'corps',
  merchants: 'merchants',
  'wecom-staff': 'wecomStaff',
  'wecom-contacts': 'wecomContacts',
  'oa-tags': 'oaTags',
  'corp-tag-groups': 'corpTagGroups',
  'corp-tag-limit': 'corpTagLimit',
  'recorder-size': 'recorderSize',
};
const OVERLAPS = ['secondary-oa', 'mini-program', 'wecom-from-oa', 'phone', 'unsubscribed', 'multi-follow', 'wecom-user', 'secondary-following'];
const camel = (s: string) => s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export const CLI_USAGE = `usage: siyu emulator [--port 4000] [--host 127.0.0.1] [--seed N] [--followers N] [--wecom-staff N]
       [--wecom-contacts N] [--gateway http://127.0.0.1:3000] [--official-accounts N] [--mini-programs N]
       [--corps N] [--merchants N] [--oa-tags N] [--corp-tag-limit N] [--callback-mode plaintext|compatible|safe]
       [--follower-list-ending empty-page|short-page] [--overlap-<${OVERLAPS.join('|')}> 0..1]`;

export function parseCliArgs(argv: string[]): { options: CliOptions; errors: string[] } {
  const world: Record<string, unknown> = {};
  const overlap: Record<string, number> = {};
  const options: CliOptions = { port: 4000, host: '127.0.0.1', world, help: false };
  const errors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      options.help = true;
      continue;
    }
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      errors.push(`unexpected argument ${arg}`);
      continue;
    }
    const name = m[1]!;
    const value = m[2] ?? argv[++i];
    if (value === undefined) {
      errors.push(`--${name} needs a value`);
      continue;
    }
    const num = Number(value);
    if (name === 'port') options.port = num;
    else if (name === 'host') options.host = value;
    else if (name === 'gateway') world.gatewayUrl = value;
    else if (name === 'callback-mode') world.callbackMode = value;
    else if (name === 'follower-list-ending') world.followerListEnding = value;
    else if (NUMBER_FLAGS[name]) world[NUMBER_FLAGS[name]] = num;
    else if (name.startsWith('overlap-') && OVERLAPS.includes(name.slice(8))) overlap[camel(name.slice(8))] = num;
    else {
      errors.push(`unknown flag --${name}`);
      continue;
    }
    if (['port', ...Object.keys(NUMBER_FLAGS)].includes(name) || name.startsWith('overlap-')) {
      if (!Number.isFinite(num)) errors.push(`--${name} must be a number`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) errors.push('--port must be 0..65535');
  if (Object.keys(overlap).length) world.overlap = overlap;
  return { options, errors };
}
