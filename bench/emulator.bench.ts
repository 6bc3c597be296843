import { Agent, request } from 'http';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { startEmulator } from '../emulator/server';

/**
 * Emulator scale figures (Scale): seeding 1,000,000 OA followers (time, RSS and heap growth; targets
 * < 15 s and < 1.5 GB), then over HTTP on 127.0.0.1 with one keep-alive connection: user/get pages of 10,000
 * (a full scan) and user/info/batchget of 100 openids (≥1,000 calls; target median < 2 ms).
 * Run: npm run bench:emulator [-- --followers N --calls N]
 */
function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function call(url: string, body?: string): Promise<{ ms: number; data: Record<string, unknown> }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: body ? 'POST' : 'GET',
        agent,
        headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            ms: performance.now() - started,
            data: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function stats(ms: number[]): { median: number; p99: number; mean: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const f2 = (n: number) => n.toFixed(2);

async function main(): Promise<void> {
  const followers = arg('followers', 1_000_000);
  const calls = arg('calls', 2000);
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const emu = await startEmulator({ followers, wecomContacts: 1000, wecomStaff: 50, recorderSize: 2000 });
  const seedMs = performance.now() - t0;
  gc();
  const after = process.memoryUsage();
  try {
    const oa = emu.state.world.registry.officialAccounts[0]!;
    const api = `${emu.url}/api.weixin.qq.com`;
    const tok = await call(
      `${api}/cgi-bin/token?grant_type=client_credential&appid=${oa.appId}&secret=${oa.appSecret}`,
    );
    const token = tok.data.access_token as string;

    const pageMs: number[] = [];
    const openids: string[] = [];
    let next = '';
    for (;;) {
      const r = await call(`${api}/cgi-bin/user/get?access_token=${token}${next ? `&next_openid=${next}` : ''}`);
      const count = r.data.count as number;
      if (count === 0) break;
      pageMs.push(r.ms);
      const page = (r.data.data as { openid: string[] }).openid;
      for (let i = 0; i < page.length; i += 97) openids.push(page[i]!);
      next = r.data.next_openid as string;
      if (!next) break;
    }

    const batchMs: number[] = [];
    for (let i = 0; i < calls; i++) {
      const start = (i * 7919) % Math.max(1, openids.length - 100);
      const body = JSON.stringify({
        user_list: openids.slice(start, start + 100).map((openid) => ({ openid, lang: 'zh_CN' })),
      });
      const r = await call(`${api}/cgi-bin/user/info/batchget?access_token=${token}`, body);
      if (!Array.isArray(r.data.user_info_list)) throw new Error(`batchget failed: ${JSON.stringify(r.data)}`);
      batchMs.push(r.ms);
    }

    const pages = stats(pageMs);
    const batch = stats(batchMs);
    const rssGrowth = after.rss - before.rss;
    const lines = [
      `emulator bench (node ${process.version}, ${followers.toLocaleString('en')} OA followers)`,
      `  seed:            ${(seedMs / 1000).toFixed(2)} s            target < 15 s   ${seedMs < 15_000 ? 'ok' : 'MISSED'}`,
      `  RSS growth:      ${mb(rssGrowth)} (RSS ${mb(after.rss)})   target < 1.5 GB ${rssGrowth < 1.5 * 1024 ** 3 ? 'ok' : 'MISSED'}`,
      `  heap growth:     ${mb(after.heapUsed - before.heapUsed)} (external+arrayBuffers ${mb(after.external + after.arrayBuffers - before.external - before.arrayBuffers)})`,
      `  user/get page:   ${pageMs.length} pages of ≤10,000: median ${f2(pages.median)} ms, p99 ${f2(pages.p99)} ms, full scan ${f2(pageMs.reduce((a, b) => a + b, 0))} ms`,
      `  batchget of 100: ${batchMs.length} calls: median ${f2(batch.median)} ms, p99 ${f2(batch.p99)} ms, mean ${f2(batch.mean)} ms   target median < 2 ms ${batch.median < 2 ? 'ok' : 'MISSED'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    agent.destroy();
    await emu.close();
  }
}

main().then(
  () => undefined,
  (e: unknown) => {
    process.stderr.write(`emulator bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
