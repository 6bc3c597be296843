import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets are redacted by key name wherever they appear in a logged object, so a
 * config or request logged by mistake still leaks nothing (DESIGN §7).
 */
const REDACT = [
  'appSecret',
  'contactSecret',
  'agentSecret',
  'directorySecret',
  'apiV3Key',
  'encodingAESKey',
  'previousEncodingAESKey',
  'token',
  'dataKey',
  'sessionSecret',
  'authorization',
  'cookie',
  'access_token',
  'session_key',
  'key',
  'secret',
  'password',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const paths = REDACT.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`]);
  return pino(
    { level, base: undefined, redact: { paths, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
}

/** A logger that writes nothing (tests, CLI commands that print their own output). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
