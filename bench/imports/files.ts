import { createWriteStream } from 'fs';
import { once } from 'events';

export const OA1 = 'wxbenchimport00001';
export const OA2 = 'wxbenchimport00002';
export const CORP = 'wwbenchimport00001';
export const LEVELS = ['金', '银', '铜'];

/** Writes lines to a file with the stream's backpressure, so a 3,000,000-row file never sits in memory. */
export async function writeLines(path: string, header: string, count: number, line: (i: number) => string) {
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`${header}\n`);
  let chunk = '';
  for (let i = 0; i < count; i++) {
    chunk += `${line(i)}\n`;
    if (chunk.length > 64 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
}

/**
 * Customer row i of the CRM's export: its own id, and WeChat ids spread the way a brand's are — a unionid for 60 %,
 * the first OA's openid for 70 %, the second's for 40 %, a WeCom external_userid for 30 % — a phone (unverified),
 * a name and three custom fields.
 */
export const CUSTOMER_HEADER = 'crm_id,unionid,oa1_openid,oa2_openid,external_userid,phone,name,level,points,vip';
export function customerLine(i: number): string {
  const h = (i * 2654435761) >>> 0;
  return [
    `c${i}`,
    h % 10 < 6 ? `u${i}` : '',
    h % 10 < 7 ? `oA${i}` : '',
    (h >>> 4) % 10 < 4 ? `oB${i}` : '',
    (h >>> 8) % 10 < 3 ? `wm${i}` : '',
    `138${String(i).padStart(8, '0')}`,
    `客户${i}`,
    LEVELS[i % 3],
    String(i % 1000),
    i % 2 ? '是' : '否',
  ].join(',');
}

/** Order j of the CRM: a customer of the customers file, an amount, a time in 2025, one in ten partly refunded. */
export const ORDER_HEADER = 'crm_id,order_no,amount_fen,paid_at,refunded_fen';
export function orderLine(j: number, customers: number): string {
  const amount = 100 + ((j * 7919) % 100_000);
  const paid = new Date(Date.UTC(2025, 0, 1) + ((j * 104729) % (365 * 86_400)) * 1000).toISOString();
  return [`c${j % customers}`, `o${j}`, String(amount), paid, j % 10 === 0 ? String(Math.floor(amount / 2)) : '0'].join(
    ',',
  );
}
