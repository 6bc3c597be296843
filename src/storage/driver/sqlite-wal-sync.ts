import { fdatasync, openSync } from 'fs';
import type { DataSource } from 'typeorm';

/**
 * Durable inbox commits on SQLite without stalling the event loop. better-sqlite3 is synchronous, so with
 * `synchronous=FULL` every commit blocks the whole process for an fsync (milliseconds on real disks) and every
 * callback in flight waits behind it. Instead the connection runs `synchronous=NORMAL` (in WAL mode a commit
 * is written to the WAL but not synced) and the inbox writer syncs the WAL file through libuv's thread pool
 * after each group commit, answering WeChat only when that sync returns. An acked callback is therefore on
 * disk exactly as with FULL (DESIGN §6), and because the WAL is append-only the same sync also makes every
 * earlier commit durable. NORMAL still syncs the WAL before and the database after each checkpoint.
 *
 * Those checkpoints run inside a commit, on the event loop. Every small group commit appends the same few
 * b-tree pages (table leaf, two index leaves) to the WAL again, so at the default 1,000 pages a burst of
 * callbacks checkpointed several times a second, each time copying pages and waiting for two fsyncs. At 10,000
 * pages the checkpoint comes ten times less often and copies each hot page once instead of once per 1,000 frames.
 * https://www.sqlite.org/pragma.html#pragma_synchronous · https://www.sqlite.org/wal.html#ckpt
 */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;

export class SqliteWalSync {
  private configured: Promise<void> | undefined;
  private fd: number | undefined;

  constructor(
    private readonly ds: DataSource,
    private readonly file: string,
  ) {}

  /** Once per DataSource, before the first inbox insert. */
  prepare(): Promise<void> {
    this.configured ??= this.ds
      .query('PRAGMA synchronous = NORMAL')
      .then(() => this.ds.query(`PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`))
      .then(() => undefined);
    return this.configured;
  }

  /**
   * fsync of the WAL; resolves when everything committed before the call is on disk. The descriptor stays
   * open: SQLite only deletes the WAL when the last connection closes, and this one is open while the gateway
   * runs (the process exit closes the descriptor).
   */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.fd === undefined) {
        try {
          this.fd = openSync(`${this.file}-wal`, 'r');
        } catch (err) {
          reject(err);
          return;
        }
      }
      // fdatasync: the data and the size the WAL grew to, without unrelated metadata (mtime).
      fdatasync(this.fd, (err) => (err ? reject(err) : resolve()));
    });
  }
}
