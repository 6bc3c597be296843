import type { Command } from '../main';

/** `siyu emulator …`: the local WeChat (emulator/main.ts parses its own flags; it needs no gateway config). */
export const emulatorCommand: Command = async (args, io) => {
  const { runEmulatorCli } = await import('../../../emulator/main');
  const argv = [...args.positionals];
  for (const [k, v] of Object.entries(args.flags)) argv.push(`--${k}`, ...(v === true ? [] : [v]));
  return runEmulatorCli(argv, { out: (line) => io.out(`${line}\n`), err: (line) => io.err(`${line}\n`) });
};
