import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { parseArgs } from '../../src/cli/args';
import { syncCommand } from '../../src/cli/commands/sync.command';
import type { SiyuConfig } from '../../config';
import { useTestDatabase } from '../helpers/describe-db';
import { testConfig } from '../helpers/test-app';

describe('siyu sync <accountId> <resource>', () => {
  const db = useTestDatabase();
  let emu: RunningEmulator;
  let config: SiyuConfig;

  beforeAll(async () => {
    emu = await startEmulator({ followers: 300, officialAccounts: 1, wecomContacts: 10, wecomStaff: 2 });
    config = testConfig(db.url, { accounts: gatewayAccounts(emu.state, emu.url) });
  });
  afterAll(async () => {
    await emu.close();
  });

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await syncCommand(parseArgs(argv), { out: (t) => out.push(t), err: (t) => err.push(t) }, () => config);
    return { code, out: out.join(''), err: err.join('') };
  };

  it('prints usage without both arguments and refuses an unknown account', async () => {
    expect((await run('only-one')).code).toBe(2);
    const unknown = await run('nope', 'followers');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no account nope');
  });

  it('runs the sync to the end with a progress line and prints the final run', async () => {
    const oa = config.accounts.find((a) => a.kind === 'official-account')!;
    const r = await run(oa.id, 'followers');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/followers \|.*\| 300\/300 \| [\d.]+\/s \| ETA/);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'done', processed: 300, total: 300, triggeredBy: 'cli' });
  });
});
