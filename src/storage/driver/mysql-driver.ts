import mysql2 from 'mysql2';

/**
 * mysql2 with every pooled connection switched to UTC and to READ COMMITTED before its first query.
 * READ COMMITTED: locking reads see the latest committed rows and take no gap locks against concurrent inserts
 * (the usual source of claim and resolution deadlocks); set once per session, it costs a transaction nothing,
 * where `SET TRANSACTION ISOLATION LEVEL` before each one was a round trip of its own. mysql2's `timezone: 'Z'` only
 * converts JS Dates on the client; DEFAULT CURRENT_TIMESTAMP(3) and TypeORM's `updated_at = CURRENT_TIMESTAMP`
 * are evaluated in the session time zone, which on a server configured for Asia/Shanghai would be 8 h off.
 * The SETs are queued on the new connection, so they run before anything the pool hands out.
 */
export function mysql2WithSessionDefaults(): typeof mysql2 {
  const createPool = (options: mysql2.PoolOptions): mysql2.Pool => {
    const pool = mysql2.createPool(options);
    pool.on('connection', (connection) => {
      connection.query("SET time_zone = '+00:00'", () => undefined);
      connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', () => undefined);
    });
    return pool;
  };
  return { ...mysql2, createPool: createPool as typeof mysql2.createPool };
}
