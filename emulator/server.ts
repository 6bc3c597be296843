import { createServer } from 'http';
import { createEmulatorApp, type EmulatorOptions } from './app';
import type { EmulatorState } from './state';
import { payEmulatorFor } from './pay/pay.service';

export interface RunningEmulator {
  url: string;
  state: EmulatorState;
  close(): Promise<void>;
}

/** Starts the emulator on `host:port` (defaults 127.0.0.1 and an ephemeral port). */
export async function startEmulator(
  options: EmulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningEmulator> {
  const { port = 0, host = '127.0.0.1', ...rest } = options;
  const { app, state, deps } = createEmulatorApp(rest);
  // A listening emulator redelivers failed Pay notifications on the schedule by itself (tests that only build the
  // app drive retries explicitly with POST /_emulator/pay/retries/run after advancing the clock).
  const stopPayRetries = payEmulatorFor(deps).startRetryTimer(1000);
  const handle = app.callback();
  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actualPort}`,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        stopPayRetries();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
