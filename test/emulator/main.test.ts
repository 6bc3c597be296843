import axios from 'axios';
import { runEmulatorCli } from '../../emulator/main';
import { parseCliArgs } from '../../emulator/cli-args';

describe('runEmulatorCli', () => {
  it('rejects unknown flags and bad numbers with exit code 2', async () => {
    const err: string[] = [];
    const code = await runEmulatorCli(['--port', 'x', '--nope', '1'], {
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('unknown flag --nope');
    expect(err.join('\n')).toContain('--port must be');
    const bad = await runEmulatorCli(['--port', '0', '--overlap-phone', '3'], {
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(bad).toBe(2);
  });

  it('parses every documented flag', () => {
    const { options, errors } = parseCliArgs([
      '--port',
      '4001',
      '--seed',
      '9',
      '--followers',
      '1000',
      '--wecom-staff',
      '7',
      '--wecom-contacts',
      '80',
      '--gateway',
      'http://127.0.0.1:3000',
      '--overlap-mini-program=0.7',
      '--seed-followers',
      '1200',
    ]);
    expect(errors).toEqual([]);
    expect(options.port).toBe(4001);
    expect(options.world).toEqual({
      seed: 9,
      followers: 1200,
      wecomStaff: 7,
      wecomContacts: 80,
      gatewayUrl: 'http://127.0.0.1:3000',
      overlap: { miniProgram: 0.7 },
    });
  });

  it('prints the URL and credentials, serves, and stops on signal', async () => {
    const out: string[] = [];
    const ac = new AbortController();
    // The CLI prints seven lines once it listens (the URL, five routes, the JSON summary).
    let printed!: () => void;
    const listening = new Promise<void>((resolve) => (printed = resolve));
    const done = runEmulatorCli(
      ['--port', '0', '--followers', '30', '--wecom-contacts', '5', '--gateway', 'http://127.0.0.1:3000'],
      {
        out: (l) => {
          if (out.push(l) === 7) printed();
        },
        err: () => undefined,
        signal: ac.signal,
      },
    );
    try {
      await Promise.race([
        listening,
        done.then((code) => Promise.reject(new Error(`the emulator exited with ${code} before listening`))),
      ]);
      const url = /listening on (http:\/\/\S+)/.exec(out[0]!)![1]!;
      const summary = JSON.parse(out[6]!);
      expect(summary.officialAccounts[0].appSecret).toMatch(/^[0-9a-f]{32}$/);
      expect(summary.accounts[0].apiBase).toBe(`${url}/api.weixin.qq.com`);
      const a = summary.officialAccounts[0];
      const r = await axios.get(`${url}/api.weixin.qq.com/cgi-bin/token`, {
        params: { grant_type: 'client_credential', appid: a.appId, secret: a.appSecret },
      });
      expect(r.data.expires_in).toBe(7200);
    } finally {
      ac.abort();
    }
    expect(await done).toBe(0);
  });
});
