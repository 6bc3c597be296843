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
  'wecom-groups': 'wecomGroups',
  'wecom-group-members': 'wecomGroupMembers',
  'oa-tags': 'oaTags',
  'corp-tag-groups': 'corpTagGroups',
  'corp-tag-limit': 'corpTagLimit',
  'oa-permanent-qr-limit': 'oaPermanentQrLimit',
  'recorder-size': 'recorderSize',
};
const OVERLAPS = [
  'secondary-oa',
  'mini-program',
  'wecom-from-oa',
  'phone',
  'unsubscribed',
  'multi-follow',
  'wecom-user',
  'secondary-following',
  'group-contacts',
  'group-unionid',
];
const camel = (s: string) => s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export const CLI_USAGE = `usage: siyu emulator [flags]

A local WeChat: the OA / Mini Program / WeCom / Pay server APIs, OAuth pages and a callback sender, over a
seeded world (the same seed and flags always give the same apps, people and ids). Runs until Ctrl-C.

  --port N                    port to listen on (default 4000; 0 picks a free one)
  --host ADDR                 address to listen on (default 127.0.0.1)
  --seed N                    world seed (default 1)
  --followers N               followers of the first Official Account (default 1000); --seed-followers is the same
  --official-accounts N       Official Accounts, 1-10 (default 2)
  --mini-programs N           Mini Programs, 0-10 (default 1)
  --corps N                   WeCom corps, 0-5 (default 1)
  --merchants N               WeChat Pay merchants, 0-5 (default 1)
  --wecom-staff N             staff members per corp (default 20)
  --wecom-contacts N          customers (external contacts) per corp (default 500)
  --wecom-groups N            customer groups per corp (default 0)
  --wecom-group-members N     members per customer group, 1-2000 (default 50)
  --oa-tags N                 seeded tags per Official Account (default 5)
  --corp-tag-groups N         seeded corp tag groups per corp (default 3)
  --corp-tag-limit N          corp tags a corp may hold; add_corp_tag beyond it fails with 40126 (default 3000)
  --oa-permanent-qr-limit N   permanent parametric QR codes per OA; qrcode/create beyond it fails with 45029 (default 100000)
  --recorder-size N           inbound requests kept for GET /_emulator/requests (default 2000)
  --gateway URL               gateway base URL: callback and Pay notify URLs of every app point at it
  --callback-mode MODE        plaintext | compatible | safe, for every OA and MP (default: a mix per app)
  --follower-list-ending E    how user/get ends: empty-page (one more call returns count 0, default) or short-page
  --overlap-<name> R          share 0..1 of people two audiences have in common; names:
                                secondary-oa (0.3)  first-OA followers who also hold an openid of each further OA
                                mini-program (0.4)  people who also use each Mini Program
                                wecom-from-oa (0.6) corp customers already known to the first OA
                                phone (0.5)         people with a phone number
                                unsubscribed (0.05) extra openids of people who unfollowed, as a share of followers
                                multi-follow (0.15) customers followed by more than one staff member
                                wecom-user (0.05)   customers who are WeCom users rather than WeChat users
                                secondary-following (0.9) secondary-OA openid holders who still follow it
                                group-contacts (0.6) external group members who are contacts of some staff member
                                group-unionid (0.7) group strangers who are WeChat users (unionid where bound)
  --help, -h                  this text`;

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
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535)
    errors.push('--port must be 0..65535');
  if (Object.keys(overlap).length) world.overlap = overlap;
  return { options, errors };
}
