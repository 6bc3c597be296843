import mysql2 from 'mysql2/promise';

/**
 * The server's `Questions` counter (statements sent by clients), read before and after a load phase to count
 * database round trips per request. It is global: other clients of the same server during the phase count too,
 * and the two reads themselves add one each.
 */
export async function questions(url: string): Promise<number> {
  const conn = await mysql2.createConnection({ uri: url });
  try {
    const [rows] = (await conn.query("SHOW GLOBAL STATUS LIKE 'Questions'")) as unknown as [{ Value: string }[]];
    return Number(rows[0]?.Value ?? 0);
  } finally {
    await conn.end();
  }
}
