import net from 'net';
import { startGateway } from '../src/server';
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
