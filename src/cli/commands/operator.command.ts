import type { CliIo, Command } from '../main';
import { flagString, type ParsedArgs } from '../args';
import { openDatabase } from '../../storage/data-source';
import { isRole } from '../../auth/roles';
import { OperatorService } from '../../operators/operator.service';
import { newOperatorInput, parseOperatorInput } from '../../operators/operator-input.schema';
import { OperatorError } from '../../operators/operator.errors';
import type { OperatorJson } from '../../operators/operators-api.types';

const USAGE =
  'usage: siyu operator add --corp CORPID --userid USERID --role admin|operator|viewer [--name NAME]\n' +
  '       siyu operator add --login LOGIN --role admin|operator|viewer --password-stdin [--name NAME]\n' +
  '       siyu operator list | siyu operator disable <id>\n';
const CLI_ACTOR = { name: 'cli', role: 'admin' };

/**
 * `siyu operator add|list|disable` (DESIGN §7.1): the first admin comes from here. A password is read from stdin
 * only (`--password-stdin`), never from argv, so it stays out of shell history and process listings; it is never
 * printed or logged.
 */
export const operatorCommand: Command = async (args, io, config) => {
  const [sub, target] = args.positionals;
  if (sub !== 'add' && sub !== 'list' && sub !== 'disable') {
    io.err(USAGE);
    return 2;
  }
  if (sub === 'disable' && !(target && /^\d{1,19}$/.test(target))) {
    io.err('siyu operator disable: give the operator id (siyu operator list shows it)\n');
    return 2;
  }
  let body: Record<string, unknown> | undefined;
  if (sub === 'add') {
    body = await addBody(args, io);
    if (!body) return 2;
  }
  const cfg = config();
  const ds = await openDatabase(cfg.database, { migrate: cfg.database.migrate });
  try {
    const operators = new OperatorService({ ds, now: Date.now });
    if (sub === 'list') {
      for (const o of await operators.list()) io.out(`${line(o)}\n`);
      return 0;
    }
    try {
      if (sub === 'add') {
        const o = await operators.add(parseOperatorInput(newOperatorInput, body), CLI_ACTOR);
        io.out(`${line(o)}\n`);
        return 0;
      }
      const o = await operators.change(target!, { enabled: false }, CLI_ACTOR);
      io.out(`${line(o)}\n`);
      return 0;
    } catch (e) {
      if (!(e instanceof OperatorError)) throw e;
      io.err(`siyu operator ${sub}: ${e.message}\n`);
      return 1;
    }
  } finally {
    await ds.destroy();
  }
};

async function addBody(args: ParsedArgs, io: CliIo): Promise<Record<string, unknown> | undefined> {
  const role = flagString(args, 'role');
  const name = flagString(args, 'name');
  const corpId = flagString(args, 'corp');
  const userid = flagString(args, 'userid');
  const login = flagString(args, 'login');
  const problems: string[] = [];
  if (!isRole(role)) problems.push('--role is required: admin, operator or viewer');
  if (login === undefined && (corpId === undefined || userid === undefined))
    problems.push('give --corp and --userid (a WeCom member) or --login with --password-stdin');
  if (login !== undefined && (corpId !== undefined || userid !== undefined))
    problems.push('--login is a local account: no --corp/--userid with it');
  if (login !== undefined && args.flags['password-stdin'] === undefined)
    problems.push('a login needs --password-stdin (the password is read from stdin, never from the command line)');
  if (problems.length) {
    io.err(problems.map((p) => `siyu operator add: ${p}\n`).join(''));
    return undefined;
  }
  const base = { role, ...(name ? { name } : {}) };
  if (login === undefined) return { ...base, corpId, userid };
  const password = (await (io.readStdin ?? readStdin)()).replace(/\r?\n$/, '');
  return { ...base, login, password };
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function line(o: OperatorJson): string {
  const who = o.kind === 'password' ? `login ${o.login}` : `${o.corpId}/${o.userid}`;
  const seen = o.lastSignInAt ? `last sign-in ${o.lastSignInAt}` : 'never signed in';
  return `${o.id}\t${o.name}\t${o.role}\t${who}\t${o.enabled ? 'enabled' : 'disabled'}\t${seen}`;
}
