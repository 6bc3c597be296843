import { Writable } from 'stream';
import { createLogger } from '../../src/logger';
import { RoundFailures } from '../../src/workers/round-failures';

/** The lines a logger at debug level wrote: level and message. */
function capture() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { logger: createLogger('debug', stream), lines };
}

const DEBUG = 20;
const INFO = 30;
const WARN = 40;
const ERROR = 50;
/** mysql2's errors as TypeORM wraps them. */
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), {
    driverError: { code: 'ECONNREFUSED', fatal: true },
  });
const notReady = () =>
  Object.assign(new Error('WSREP has not yet prepared node for application use'), {
    driverError: { code: 'ER_UNKNOWN_COM_ERROR', errno: 1047 },
  });
const deadlock = () =>
  Object.assign(new Error('Deadlock found'), { driverError: { code: 'ER_LOCK_DEADLOCK', errno: 1213 } });

/** How a background worker reports rounds that did not complete (src/workers/round-failures.ts). */
describe('a worker’s failed rounds in its log', () => {
  it('says an outage once when it starts and once when the database answers again', () => {
    const { logger, lines } = capture();
    const f = new RoundFailures(logger, 'inbox processor');
    f.succeeded();
    f.failed(refused());
    f.failed(refused());
    f.failed(notReady());
    f.succeeded();
    f.succeeded();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [WARN, 'inbox processor: database unreachable; waiting for it'],
      [DEBUG, 'inbox processor: database still unreachable'],
      [DEBUG, 'inbox processor: database still unreachable'],
      [INFO, 'inbox processor: database reachable again'],
    ]);
  });

  it('warns of a lost conflict and errs on anything else, every time', () => {
    const { logger, lines } = capture();
    const f = new RoundFailures(logger, 'refresh worker');
    f.failed(deadlock());
    f.failed(new TypeError('x is undefined'));
    f.failed(new TypeError('x is undefined'), { account: 'wx1' }, 'inbox insert failed');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [WARN, 'refresh worker: round lost a database conflict; it runs again'],
      [ERROR, 'refresh worker: round failed'],
      [ERROR, 'inbox insert failed'],
    ]);
  });
});
