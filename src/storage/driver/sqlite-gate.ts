import type { DataSource } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { BetterSqlite3QueryRunner } from 'typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner';
import { SQLITE_NOW } from '../dialect';
import { StorageError } from '../errors';

/**
 * Why this exists: TypeORM's better-sqlite3 driver hands every caller the same QueryRunner on the one
 * connection. While one caller's transaction awaits between statements, another caller's INSERT runs inside
 * it — and is rolled back with it. An inbox row acked to WeChat could vanish that way (DESIGN §6).
 *
 * Here every createQueryRunner() gets its own runner (sharing the connection and the prepared-statement
 * cache), and a FIFO gate gives the connection to one owner at a time: a transaction holds it from BEGIN to
 * COMMIT/ROLLBACK, a statement outside a transaction holds it for that statement. A caller that waits longer
 * than `waitMs` gets DB_BUSY — which is also what a query issued through `ds` instead of the transaction's
 * EntityManager inside a transaction gets, instead of hanging.
 */
export class ConnectionGate {
  private owner: object | undefined;
  private readonly queue: { owner: object; grant: () => void }[] = [];

  constructor(private readonly waitMs: number) {}

  heldBy(owner: object): boolean {
    return this.owner === owner;
  }

  enter(owner: object): Promise<void> | undefined {
    if (this.owner === undefined) {
      this.owner = owner;
      return undefined;
    }
    return new Promise((resolve, reject) => {
      const entry = {
        owner,
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        reject(new StorageError('DB_BUSY', `SQLite connection busy for ${this.waitMs} ms`));
      }, this.waitMs);
      timer.unref();
      this.queue.push(entry);
    });
  }

  leave(owner: object): void {
    if (this.owner !== owner) return;
    const next = this.queue.shift();
    this.owner = next?.owner;
    next?.grant();
  }
}

type QueryParams = Parameters<BetterSqlite3QueryRunner['query']>[1];
type QueryResult = ReturnType<BetterSqlite3QueryRunner['query']>;

class GatedSqliteQueryRunner extends BetterSqlite3QueryRunner {
  constructor(
    driver: BetterSqlite3Driver,
    private readonly gate: ConnectionGate,
    stmtCache: Map<string, unknown>,
  ) {
    super(driver);
    Object.assign(this, { stmtCache });
  }

  override async startTransaction(isolationLevel?: IsolationLevel): Promise<void> {
    const outermost = !this.isTransactionActive;
    if (outermost) await this.gate.enter(this);
    try {
      await super.startTransaction(isolationLevel);
    } catch (err) {
      if (outermost) this.gate.leave(this);
      throw err;
    }
  }

  override async commitTransaction(): Promise<void> {
    try {
      await super.commitTransaction();
    } finally {
      if (!this.isTransactionActive) this.gate.leave(this);
    }
  }

  override async rollbackTransaction(): Promise<void> {
    try {
      await super.rollbackTransaction();
    } finally {
      if (!this.isTransactionActive) this.gate.leave(this);
    }
  }

  override async query(query: string, parameters?: QueryParams, useStructuredResult?: boolean): QueryResult {
    if (this.gate.heldBy(this)) return super.query(query, parameters, useStructuredResult);
    await this.gate.enter(this);
    try {
      return await super.query(query, parameters, useStructuredResult);
    } finally {
      this.gate.leave(this);
    }
  }

  override async release(): Promise<void> {
    if (this.isTransactionActive) {
      await super.query('ROLLBACK').catch(() => undefined);
      this.isTransactionActive = false;
    }
    this.gate.leave(this);
    return super.release();
  }
}

/** Installs the gate on a better-sqlite3 DataSource (before initialize) and millisecond "now" defaults. */
export function installSqliteGate(ds: DataSource, waitMs: number): void {
  const driver = ds.driver as BetterSqlite3Driver;
  const gate = new ConnectionGate(waitMs);
  const stmtCache = new Map<string, unknown>();
  driver.createQueryRunner = () => new GatedSqliteQueryRunner(driver, gate, stmtCache);
  // TypeORM inlines these on SQLite inserts of created/updated dates; the stock datetime('now') drops the ms.
  driver.mappedDataTypes.createDateDefault = SQLITE_NOW;
  driver.mappedDataTypes.updateDateDefault = SQLITE_NOW;
}
