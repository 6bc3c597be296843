import mysql2 from 'mysql2';

/**
 * mysql2 with every pooled connection switched to UTC before its first query. mysql2's `timezone: 'Z'` only
 * converts JS Dates on the client; DEFAULT CURRENT_TIMESTAMP(3) and TypeORM's `updated_at = CURRENT_TIMESTAMP`
 * are evaluated in the session time zone, which on a server configured for Asia/Shanghai would be 8 h off.
 * The SET is queued on the new connection, so it runs before anything the pool hands out.
 */
export function mysql2WithUtcSessions(): typeof mysql2 {
  const createPool = (options: mysql2.PoolOptions): mysql2.Pool => {
    const pool = mysql2.createPool(options);
    pool.on('connection', (connection) => {
      connection.query("SET time_zone = '+00:00'", () => undefined);
    });
    return pool;
  };
  return { ...mysql2, createPool: createPool as typeof mysql2.createPool };
}
