import { cpuSeconds, databaseServerPid } from '../shared/process-cpu';
import { loadavg } from 'os';
import type { Connection } from 'mysql2/promise';

/**
 * Where a sync's wall time goes: the emulator, the sync and the database server share the machine's
 * cores, so CPU seconds of each over the sync's window, next to the wall time, show who is busy and how much of
 * the window everybody waits. The server's CPU comes from /proc (absent when MySQL runs elsewhere); InnoDB's
 * buffer pool reads and pages written show whether the pool thrashes.
 */

const STATUS = [
  'Innodb_buffer_pool_reads',
  'Innodb_buffer_pool_read_requests',
  'Innodb_pages_written',
  'Innodb_data_fsyncs',
  'Com_commit',
  'Questions',
];

export interface Snapshot {
  at: number;
  server: number | null;
  emulator: number | null;
  status: Record<string, number>;
}

export async function snapshot(conn: Connection, emulatorPid: number | undefined): Promise<Snapshot> {
  const [rows] = (await conn.query(
    `SHOW GLOBAL STATUS WHERE Variable_name IN (${STATUS.map(() => '?').join(', ')})`,
    STATUS,
  )) as unknown as [{ Variable_name: string; Value: string }[]];
  const pid = databaseServerPid();
  return {
    at: performance.now(),
    server: cpuSeconds(pid) ?? null,
    emulator: cpuSeconds(emulatorPid) ?? null,
    status: Object.fromEntries(rows.map((r) => [r.Variable_name, Number(r.Value)])),
  };
}

/** Lines for the report: CPU seconds per process over the window, and the server's counters. */
export function describe(a: Snapshot, b: Snapshot, syncCpuSeconds: number): string[] {
  const wall = (b.at - a.at) / 1000;
  const share = (s: number | null) =>
    s === null ? 'n/a' : `${s.toFixed(1)} s (${((s / wall) * 100).toFixed(0)} % of a core)`;
  const server = a.server !== null && b.server !== null ? b.server - a.server : null;
  const emulator = a.emulator !== null && b.emulator !== null ? b.emulator - a.emulator : null;
  const d = (k: string) => (b.status[k] ?? 0) - (a.status[k] ?? 0);
  return [
    `cpu       over ${wall.toFixed(1)} s wall: sync ${share(syncCpuSeconds)}, database server ${share(server)}, emulator ${share(emulator)}`,
    `innodb    buffer pool reads from disk ${d('Innodb_buffer_pool_reads').toLocaleString('en')} of ${d('Innodb_buffer_pool_read_requests').toLocaleString('en')} requests, pages written ${d('Innodb_pages_written').toLocaleString('en')}, fsyncs ${d('Innodb_data_fsyncs').toLocaleString('en')}, commits ${d('Com_commit').toLocaleString('en')}, statements ${d('Questions').toLocaleString('en')}`,
  ];
}

export async function serverContext(conn: Connection): Promise<string> {
  const [[v]] = (await conn.query('SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool')) as unknown as [
    [{ version: string; pool: string }],
  ];
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  return `server ${v.version}, innodb_buffer_pool_size ${(Number(v.pool) / 2 ** 20).toFixed(0)} MB; load average ${load}`;
}
