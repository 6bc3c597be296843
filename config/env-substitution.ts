/**
 * Replaces string values of the exact form `${ENV_NAME}` with the variable's value (DESIGN §8.1).
 * A missing variable is reported as a problem with the key path, never silently empty.
 */
export interface Problem {
  path: string;
  message: string;
}

const ENV_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, problems: Problem[], path = ''): unknown {
  if (typeof value === 'string') {
    const m = ENV_REF.exec(value);
    if (!m) return value;
    const v = env[m[1]!];
    if (v === undefined) {
      problems.push({ path: path || '(root)', message: `environment variable ${m[1]} is not set` });
      return undefined;
    }
    return v;
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, problems, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env, problems, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}
