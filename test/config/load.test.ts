import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConfigError, loadConfig } from '../../config';

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'siyu-cfg-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const AES = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';

describe('loadConfig', () => {
  it('lists every problem: a wecom account without corpId and a non-numeric port', () => {
    const p = file(
      'bad.yaml',
      `server: { port: "abc" }\naccounts:\n  - { kind: wecom, contactSecret: s, token: t, encodingAESKey: ${AES} }\n`,
    );
    const problems = problemsOf(() => loadConfig({ env: { SIYU_CONFIG: p } }));
    expect(problems.some((x) => x.startsWith('server.port:'))).toBe(true);
    expect(problems).toContain('accounts.0.corpId: is required');
  });

  it('rejects a bad EncodingAESKey, duplicate appIds and an unknown kind', () => {
    const p = file(
      'bad.json',
      JSON.stringify({
        accounts: [
          { kind: 'official-account', appId: 'wx1', appSecret: 's', token: 't', encodingAESKey: 'short' },
          { kind: 'official-account', appId: 'wx1', appSecret: 's', token: 't' },
          { kind: 'nope' },
        ],
      }),
    );
    const problems = problemsOf(() => loadConfig({ env: { SIYU_CONFIG: p } }));
    expect(problems.join('\n')).toMatch(/accounts\.0\.encodingAESKey: must be 43 characters/);
    expect(problems.join('\n')).toMatch(/accounts\.1: duplicate appId wx1/);
    expect(problems.join('\n')).toMatch(/accounts\.2.*kind must be one of/);
  });

  it('reports a missing ${ENV} reference and unknown keys', () => {
    const p = file('c.yaml', 'security: { dataKey: "${NO_SUCH_VAR_X}" }\nserverz: 1\n');
    const problems = problemsOf(() => loadConfig({ env: { SIYU_CONFIG: p } }));
    expect(problems.join('\n')).toMatch(/security\.dataKey: environment variable NO_SUCH_VAR_X is not set/);
    expect(problems.join('\n')).toMatch(/serverz|Unrecognized/);
  });

  it('merges defaults, file, env overrides and ${ENV} substitution', () => {
    const p = file(
      'ok.yaml',
      `server: { port: 4001 }\naccounts:\n  - { kind: official-account, appId: wxA, appSecret: "\${SECRET_A}", token: t, encodingAESKey: ${AES} }\n`,
    );
    const cfg = loadConfig({
      env: { SIYU_CONFIG: p, SECRET_A: 'shh', PORT: '5005', DATABASE_URL: 'mysql://root:@127.0.0.1:3306/x' },
      overrides: { security: { dataKey: 'cd'.repeat(32) } },
    });
    expect(cfg.server.port).toBe(5005);
    expect(cfg.database.url).toBe('mysql://root:@127.0.0.1:3306/x');
    expect(cfg.database.migrate).toBe(true);
    expect(cfg.callbacks).toEqual({ maxSkewSeconds: 300, maxBodyBytes: 262144 });
    const a = cfg.accounts[0]!;
    expect(a.kind === 'official-account' && a.appSecret).toBe('shh');
    expect(a.id).toBe('wxA');
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(cfg.security.dataKey.length).toBe(32);
  });

  it('uses built-in defaults with no file', () => {
    // Keys given, so nothing is generated in the working directory's ./data.
    const cfg = loadConfig({ env: {}, overrides: { security: { dataKey: 'cd'.repeat(32), sessionSecret: 's' } } });
    expect(cfg.database.url).toBe('sqlite:./data/siyu.db');
    expect(cfg.server.port).toBe(3000);
    expect(cfg.tags.wecomFanout).toBe('all');
    expect(cfg.retention).toEqual({ inboxDays: 7, eventsDays: null, anonymousDays: 90 });
  });

  it('takes retention days as numbers or null and refuses anything else', () => {
    const keys = { dataKey: 'cd'.repeat(32), sessionSecret: 's' };
    const cfg = loadConfig({
      env: {},
      overrides: { security: keys, retention: { inboxDays: 3, eventsDays: 365, anonymousDays: null } },
    });
    expect(cfg.retention).toEqual({ inboxDays: 3, eventsDays: 365, anonymousDays: null });
    const problems = problemsOf(() =>
      loadConfig({
        env: {},
        overrides: { security: keys, retention: { inboxDays: -1, eventsDays: 'soon', keepForever: true } },
      }),
    );
    expect(problems.some((x) => x.startsWith('retention.inboxDays:'))).toBe(true);
    expect(problems.some((x) => x.startsWith('retention.eventsDays:'))).toBe(true);
    expect(problems.some((x) => x.startsWith('retention:') && x.includes('keepForever'))).toBe(true);
  });
});

describe('config/example.yaml', () => {
  it('is a valid configuration', () => {
    const cfg = loadConfig({
      env: {
        SIYU_CONFIG: join(__dirname, '../../config/example.yaml'),
        SIYU_DATA_KEY: 'ab'.repeat(32),
        SIYU_SESSION_SECRET: 's',
        OA_SECRET: 'x',
      },
    });
    expect(cfg.accounts).toHaveLength(1);
    expect(cfg.security.dataKey.toString('hex')).toBe('ab'.repeat(32));
    expect(cfg.security.dataKeyIsEphemeral).toBe(false);
  });
});

describe('sources (DESIGN §11)', () => {
  it('reads sources with verifiedPhone defaulting to false', () => {
    const p = file(
      'sources.yaml',
      'sources:\n  - { id: crm, name: "会员CRM" }\n  - { id: shop, name: 商城, verifiedPhone: true }\n',
    );
    expect(loadConfig({ env: { SIYU_CONFIG: p } }).sources).toEqual([
      { id: 'crm', name: '会员CRM', verifiedPhone: false },
      { id: 'shop', name: '商城', verifiedPhone: true },
    ]);
  });

  it('refuses a bad id, a missing name, a repeated id and an id equal to a Pay mchId', () => {
    const p = file(
      'bad-sources.json',
      JSON.stringify({
        sources: [
          { id: 'CRM!', name: 'x' },
          { id: 'crm' },
          { id: 'shop', name: 'a' },
          { id: 'shop', name: 'b' },
          { id: '1900000001', name: 'c' },
        ],
        accounts: [
          {
            kind: 'wechat-pay',
            mchId: '1900000001',
            apiV3Key: 'k'.repeat(32),
            privateKeyPath: '/nonexistent',
            certSerial: 's',
            platformPublicKeyPath: '/nonexistent',
            platformPublicKeyId: 'PUB',
          },
        ],
      }),
    );
    const problems = problemsOf(() => loadConfig({ env: { SIYU_CONFIG: p } })).join('\n');
    expect(problems).toMatch(/sources\.0\.id: must be 1-32 characters/);
    expect(problems).toMatch(/sources\.1\.name: is required/);
    expect(problems).toMatch(/sources\.3\.id: duplicate source id \(also sources\.2\)/);
    expect(problems).toMatch(/sources\.4\.id: must differ from every WeChat Pay mchId/);
  });
});
