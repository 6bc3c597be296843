import { readFileSync } from 'fs';
import { join } from 'path';
import { main, type CliIo } from '../../src/cli/main';
import { COMMAND_HELP } from '../../src/cli/help';

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

const run = async (argv: string[]) => {
  const io = capture();
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
};

describe('siyu --version and --help', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v', 'version'])
      expect(await run([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('explains every command and flag, exiting 0', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const name of Object.keys(COMMAND_HELP)) expect(top.stdout).toContain(`  ${name}`);
    expect(top.stdout).toContain('SIYU_CONFIG');

    for (const [name, help] of Object.entries(COMMAND_HELP)) {
      if (name === 'emulator') continue;
      for (const flag of ['--help', '-h']) {
        const r = await run([name, flag]);
        expect(r).toMatchObject({ code: 0, stderr: '' });
        expect(r.stdout).toMatch(new RegExp(`^usage: siyu ${name}`));
        for (const f of Object.keys(help.flags)) expect(r.stdout).toMatch(new RegExp(`\\n  --${f} +\\S`));
      }
      expect((await run(['help', name])).stdout).toBe((await run([name, '--help'])).stdout);
    }
    // Also after other arguments, and before any config is read.
    expect((await run(['api-key', 'create', '--role', 'god', '--help'])).code).toBe(0);
  });

  it('explains each emulator flag', async () => {
    const r = await run(['emulator', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--port',
      '--host',
      '--seed',
      '--followers',
      '--wecom-staff',
      '--wecom-contacts',
      '--gateway',
      '--callback-mode',
      '--follower-list-ending',
      '--overlap-<name>',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`\\n  ${flag.replace(/[<>]/g, '.')} .*\\S{3}`));
    }
    expect(r.stdout).toContain('secondary-following');
  });

  it('refuses flags a command does not take, naming them', async () => {
    const r = await run(['push-tags', '--sweeep']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^siyu push-tags: unknown flag --sweeep\n/);
    expect(r.stderr).toContain('siyu push-tags --help');
    expect((await run(['migrate', 'up', '--force'])).code).toBe(2);
  });

  it('names only the role when the role is wrong', async () => {
    const bad = await run(['api-key', 'create', '--role', 'god', '--name', 'x']);
    expect(bad).toEqual({
      code: 2,
      stdout: '',
      stderr: "siyu api-key create: --role must be admin, operator, viewer or ingest, not 'god'\n",
    });
    expect((await run(['api-key', 'create', '--name', 'x'])).stderr).toBe(
      'siyu api-key create: --role is required: admin, operator, viewer or ingest\n',
    );
    expect((await run(['api-key', 'create', '--role', 'viewer'])).stderr).toBe(
      'siyu api-key create: --name is required\n',
    );
  });
});
