import http from 'http';
import net from 'net';
import { KEEP_ALIVE_MS, startGateway } from '../src/server';
import { silentLogger } from '../src/logger';
import { createTestDatabase } from './helpers/test-db';
import { testConfig } from './helpers/test-app';

describe('startGateway', () => {
  it('serves, finishes an in-flight request on stop, then refuses connections and closes the database', async () => {
    const db = await createTestDatabase({ migrate: false });
    const gw = await startGateway(testConfig(db.url, { database: { url: db.url, migrate: true } }), {
      logger: silentLogger(),
      ds: db.ds,
      port: 0,
    });
    try {
      const ready = await fetch(`${gw.url}/readyz`);
      expect(ready.status).toBe(200);
      // A request whose headers are still arriving when stop() begins must still be answered.
      const accepted = new Promise<net.Socket>((resolve) => gw.server.once('connection', resolve));
      const sock = net.connect(Number(new URL(gw.url).port), '127.0.0.1');
      await new Promise((r) => sock.once('connect', r));
      sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      const answer = new Promise<string>((resolve) => {
        let buf = '';
        sock.on('data', (d) => (buf += d.toString()));
        sock.on('close', () => resolve(buf));
      });
      // The server's parser reads a socket's bytes as they arrive: once it has read some, the request has begun.
      const serverSide = await accepted;
      while (serverSide.bytesRead === 0) await new Promise((r) => setImmediate(r));
      const stopping = gw.stop();
      sock.write('Connection: close\r\n\r\n');
      await stopping;
      expect(await answer).toMatch(/^HTTP\/1\.1 200/);
      await expect(fetch(`${gw.url}/healthz`)).rejects.toThrow();
      expect(db.ds.isInitialized).toBe(false);
    } finally {
      await gw.stop();
      await db.drop();
    }
  });
});

describe('startGateway keep-alive', () => {
  it('keeps an idle connection open longer than clients and proxies reuse one (they must close first)', async () => {
    const db = await createTestDatabase({ migrate: false });
    const gw = await startGateway(testConfig(db.url, { database: { url: db.url, migrate: true } }), {
      logger: silentLogger(),
      ds: db.ds,
      port: 0,
    });
    try {
      const agent = new http.Agent({ keepAlive: true });
      const hint = await new Promise<string | undefined>((resolve, reject) =>
        http
          .get(`${gw.url}/healthz`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(String(res.headers['keep-alive'])));
          })
          .on('error', reject),
      );
      agent.destroy();
      expect(hint).toBe(`timeout=${KEEP_ALIVE_MS / 1000}`);
      expect(KEEP_ALIVE_MS).toBeGreaterThan(60_000);
      expect(gw.server.headersTimeout).toBeGreaterThan(KEEP_ALIVE_MS);
    } finally {
      await gw.stop();
      await db.drop();
    }
  });
});

describe('startGateway on a taken port', () => {
  it('fails fast and leaves its own database closed', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const db = await createTestDatabase();
    const url = db.url;
    await db.ds.destroy();
    try {
      const cfg = testConfig(url, { server: { host: '127.0.0.1' } });
      await expect(startGateway(cfg, { logger: silentLogger(), port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      blocker.close();
      await db.drop();
    }
  });
});
