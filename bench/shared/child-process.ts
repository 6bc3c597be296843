import { fork, type ChildProcess } from 'child_process';
import path from 'path';

/**
 * Runs one bench helper (a sibling `.js` file in dist, or `.ts` through the swc hook when run from source) in
 * its own process, so the emulator and the measured work never share an event loop or a heap. The child says
 * `{ type: 'ready', … }` and later `{ type: 'result', … }` over IPC; `stop` ends it.
 */
export interface Child<R> {
  ready: Record<string, unknown>;
  result(): Promise<R>;
  stop(): Promise<void>;
  process: ChildProcess;
}

export function startChild<R>(
  dir: string,
  name: string,
  env: NodeJS.ProcessEnv = {},
  nodeArgs: string[] = [],
  /** Given, the child's stdout comes here instead of the bench's own (a bench counting log lines). */
  onStdout?: (chunk: Buffer) => void,
): Promise<Child<R>> {
  const ts = __filename.endsWith('.ts');
  const file = path.join(dir, `${name}.${ts ? 'ts' : 'js'}`);
  const execArgv = ts ? ['-r', path.join(__dirname, '../../test/syncs/fixtures/swc-register.js')] : [];
  const child = fork(file, [], {
    env: { ...process.env, ...env },
    execArgv: [...execArgv, ...nodeArgs],
    stdio: ['ignore', onStdout ? 'pipe' : 'inherit', 'inherit', 'ipc'],
  });
  if (onStdout) child.stdout?.on('data', onStdout);
  let resolveResult!: (r: R) => void;
  let rejectResult!: (e: Error) => void;
  const result = new Promise<R>((res, rej) => ((resolveResult = res), (rejectResult = rej)));
  result.catch(() => undefined);
  return new Promise((resolve, reject) => {
    child.on('message', (m: { type?: string; error?: string } & Record<string, unknown>) => {
      if (m.type === 'ready') resolve({ ready: m, result: () => result, stop, process: child });
      if (m.type === 'result') resolveResult(m as unknown as R);
      if (m.type === 'error') rejectResult(new Error(String(m.error)));
    });
    child.once('exit', (code) => {
      const err = new Error(`${name} exited with ${code}`);
      reject(err);
      rejectResult(err);
    });
  });
  function stop(): Promise<void> {
    return new Promise((res) => {
      if (child.exitCode !== null) return res();
      child.once('exit', () => res());
      child.send({ type: 'stop' });
    });
  }
}

/** In a child: answer `stop` by running `onStop` and exiting. */
export function onStopMessage(onStop: () => Promise<void>): void {
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'stop') void onStop().finally(() => process.exit(0));
  });
}
