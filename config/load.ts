import { readFileSync } from 'fs';
import { createHash, hkdfSync, randomBytes } from 'crypto';
import { parse as parseYaml } from 'yaml';
import { configSchema, duplicateAccountProblems, sourceProblems } from './schema';
import { substituteEnv, type Problem } from './env-substitution';
import { loadOrCreateLocalKeys, localKeysFile } from './local-keys';
import type { Account, SiyuConfig } from './types';

/** The only module that reads process.env (CONVENTIONS: config validated once, in one place). */
export class ConfigError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (
    base &&
    over &&
    typeof base === 'object' &&
    typeof over === 'object' &&
    !Array.isArray(base) &&
    !Array.isArray(over)
  ) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = deepMerge(out[k], v);
    return out;
  }
  return over;
}

function readFileConfig(file: string, problems: Problem[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    problems.push({
      path: 'SIYU_CONFIG',
      message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    });
    return {};
  }
  try {
    const doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({ path: 'SIYU_CONFIG', message: `${file} must contain a mapping at the top level` });
      return {};
    }
    return doc;
  } catch (e) {
    problems.push({
      path: 'SIYU_CONFIG',
      message: `${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`,
    });
    return {};
  }
}

function accountId(a: { id?: string } & ({ appId: string } | { corpId: string } | { mchId: string })): string {
  if (a.id) return a.id;
  if ('appId' in a) return a.appId;
  if ('corpId' in a) return a.corpId;
  return a.mchId;
}

/** 32-byte data key from 64 hex chars, base64 of 32 bytes, or (fallback) SHA-256 of any passphrase. */
function parseDataKey(raw: string): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  const b = Buffer.from(raw, 'base64');
  if (b.length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(raw)) return b;
  return createHash('sha256').update(raw, 'utf8').digest();
}

type Parsed = ReturnType<typeof configSchema.parse>;

function derivedSessionSecret(dataKey: Buffer): string {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'siyu session secret', 32)).toString('hex');
}

/**
 * DESIGN §12: configured keys win. Without a data key, MySQL refuses to start (several instances must share
 * one key, and a key that changes makes stored phones unreadable and tombstones miss); an SQLite file keeps
 * generated keys beside it (config/local-keys.ts); only an in-memory database gets throwaway keys.
 */
function securityOf(cfg: Parsed, problems: Problem[]): SiyuConfig['security'] | undefined {
  const { dataKey, sessionSecret } = cfg.security;
  if (!dataKey && cfg.database.url.startsWith('mysql:')) {
    problems.push({
      path: 'security.dataKey',
      message:
        'is required with a MySQL database (every instance must use the same key; a lost key makes stored phone numbers unreadable): set 64 hex chars, e.g. security.dataKey: "${SIYU_DATA_KEY}" with SIYU_DATA_KEY=$(openssl rand -hex 32)',
    });
    return undefined;
  }
  const file = dataKey && sessionSecret ? undefined : localKeysFile(cfg.database.url);
  const local = file ? loadOrCreateLocalKeys(file, problems) : undefined;
  if (file && !local) return undefined;
  const key = dataKey ? parseDataKey(dataKey) : local ? Buffer.from(local.dataKey, 'hex') : randomBytes(32);
  return {
    dataKey: key,
    // Instances sharing one database share the data key, so a secret derived from it keeps a session signed by one
    // instance valid on the others (sidebar, H5, OAuth state) without a second secret to distribute.
    sessionSecret:
      sessionSecret ?? local?.sessionSecret ?? (dataKey ? derivedSessionSecret(key) : randomBytes(32).toString('hex')),
    dataKeyIsEphemeral: !dataKey && !local,
  };
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides applied after the file and the env vars (tests, CLI flags). */
  overrides?: Record<string, unknown>;
}

export function loadConfig(opts: LoadOptions = {}): SiyuConfig {
  const env = opts.env ?? process.env;
  const problems: Problem[] = [];
  let raw: unknown = {};
  if (env.SIYU_CONFIG) raw = readFileConfig(env.SIYU_CONFIG, problems);
  const fromEnv: Record<string, unknown> = {};
  if (env.PORT) fromEnv.server = { port: env.PORT };
  if (env.DATABASE_URL) fromEnv.database = { url: env.DATABASE_URL };
  if (env.LOG_LEVEL) fromEnv.log = { level: env.LOG_LEVEL };
  if (env.SIYU_DATA_KEY || env.SIYU_SESSION_SECRET) {
    fromEnv.security = {
      ...(env.SIYU_DATA_KEY ? { dataKey: env.SIYU_DATA_KEY } : {}),
      ...(env.SIYU_SESSION_SECRET ? { sessionSecret: env.SIYU_SESSION_SECRET } : {}),
    };
  }
  raw = deepMerge(deepMerge(raw, fromEnv), opts.overrides);
  raw = substituteEnv(raw, env, problems);

  const parsed = configSchema.safeParse(raw);
  const input = raw as { accounts?: unknown; sources?: unknown } | undefined;
  problems.push(...duplicateAccountProblems(input?.accounts));
  problems.push(...sourceProblems(input?.sources, input?.accounts));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
      problems.push({
        path: issue.path.length ? issue.path.join('.') : '(root)',
        message: missing ? 'is required' : issue.message,
      });
    }
  }
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  const cfg = parsed.data;
  const security = securityOf(cfg, problems);
  if (problems.length || !security) throw new ConfigError(problems);

  const config: SiyuConfig = {
    ...cfg,
    security,
    accounts: cfg.accounts.map((a) => ({ ...a, id: accountId(a) }) as Account),
  };
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Buffer.isBuffer(o) && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

export function formatConfigError(e: ConfigError): string {
  return e.message + '\n';
}
