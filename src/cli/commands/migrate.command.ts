import type { Command } from '../main';
import { openDatabase } from '../../storage/data-source';
import { migrateDown, migrateUp, pendingMigrations } from '../../storage/migrate';

/** `siyu migrate [up|down|status]`: apply all pending migrations, roll back the last one, or list pending. */
export const migrateCommand: Command = async (args, io, config) => {
  const direction = args.positionals[0] ?? 'up';
  if (!['up', 'down', 'status'].includes(direction)) {
    io.err(`siyu migrate: expected up, down or status, got '${direction}'\n`);
    return 2;
  }
  const ds = await openDatabase(config().database, { migrate: false });
  try {
    if (direction === 'up') {
      const applied = await migrateUp(ds);
      io.out(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
    } else if (direction === 'down') {
      const reverted = await migrateDown(ds, 1);
      io.out(reverted.length ? `reverted: ${reverted.join(', ')}\n` : 'nothing to revert\n');
    } else {
      const pending = await pendingMigrations(ds);
      io.out(pending.length ? `pending: ${pending.join(', ')}\n` : 'schema is up to date\n');
    }
    return 0;
  } finally {
    await ds.destroy();
  }
};
