import { createServer } from 'net';

/**
 * The preferred port when nothing listens on it, else one the OS hands out. The demo prints its URLs, so it
 * wants the usual ports (gateway 3000, emulator 4000) but must not fail on a machine already using them. The
 * port is free when checked; the servers bind it a moment later.
 */
export async function freePort(host: string, preferred: number): Promise<number> {
  const tryListen = (port: number): Promise<number | undefined> =>
    new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(undefined));
      s.listen(port, host, () => {
        const addr = s.address();
        const got = typeof addr === 'object' && addr ? addr.port : undefined;
        s.close(() => resolve(got));
      });
    });
  if (preferred > 0) {
    const p = await tryListen(preferred);
    if (p !== undefined) return p;
  }
  const any = await tryListen(0);
  if (any === undefined) throw new Error(`no free TCP port on ${host}`);
  return any;
}
