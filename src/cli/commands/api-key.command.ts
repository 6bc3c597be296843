import type { Command } from '../main';
import { flagString } from '../args';
import { openDatabase } from '../../storage/data-source';
import { ApiKeyService } from '../../auth/api-key.service';
import { isRole, type Role } from '../../auth/roles';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import { parseDatabaseUrl } from '../../storage/database-url';

/** Where the key went, so a key made against the wrong config is noticed at once; never the password. */
function databaseLabel(url: string): string {
  const t = parseDatabaseUrl(url);
  return t.kind === 'sqlite' ? `sqlite database ${t.path}` : `mysql database ${t.database} on ${t.host}:${t.port}`;
}

/** `siyu api-key create --role R --name N` (prints the key once) · `list` · `revoke <id|name>`. */
export const apiKeyCommand: Command = async (args, io, config) => {
  const [sub, target] = args.positionals;
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') {
    io.err('usage: siyu api-key create --role admin|operator|viewer|ingest --name NAME | list | revoke <id|name>\n');
    return 2;
  }
  const role = flagString(args, 'role');
  const name = flagString(args, 'name');
  if (sub === 'create') {
    const problems = [
      ...(isRole(role)
        ? []
        : [
            role === undefined
              ? '--role is required: admin, operator, viewer or ingest'
              : `--role must be admin, operator, viewer or ingest, not '${role}'`,
          ]),
      ...(name ? [] : ['--name is required']),
    ];
    if (problems.length) {
      io.err(problems.map((p) => `siyu api-key create: ${p}\n`).join(''));
      return 2;
    }
  }
  if (sub === 'revoke' && !target) {
    io.err('siyu api-key revoke: give the key id or name\n');
    return 2;
  }
  const cfg = config();
  const ds = await openDatabase(cfg.database, { migrate: cfg.database.migrate });
  try {
    const keys = new ApiKeyService(ds);
    const audit = new AuditLogWriter(ds);
    if (sub === 'create') {
      const { key, info } = await keys.create(name!, role as Role);
      await audit.write({
        actor: 'cli',
        role: 'admin',
        action: 'api_key.create',
        targetType: 'api_key',
        targetId: info.id,
        details: { name: info.name, role: info.role },
      });
      io.out(`${key}\n`);
      io.err(
        `created api key #${info.id} '${info.name}' (${info.role}) in the ${databaseLabel(cfg.database.url)}; it is shown only once\n`,
      );
      return 0;
    }
    if (sub === 'list') {
      for (const k of await keys.list()) {
        io.out(
          `${k.id}\t${k.name}\t${k.role}\tsy_${k.prefix}_…\t${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'}\t${k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used'}\n`,
        );
      }
      return 0;
    }
    const n = await keys.revoke(target!);
    if (n === 0) {
      io.err(`siyu api-key revoke: no active key with id or name '${target}'\n`);
      return 1;
    }
    await audit.write({
      actor: 'cli',
      role: 'admin',
      action: 'api_key.revoke',
      targetType: 'api_key',
      targetId: target!,
      details: { revoked: n },
    });
    io.out(`revoked ${n} key(s)\n`);
    return 0;
  } finally {
    await ds.destroy();
  }
};
