import { Prng } from '../core/hash';
import type { Product } from '../core/wx-error';

/**
 * Fault injection (wechat-api.md §13 item 8): each rule names APIs by glob (`*`, `qyapi.weixin.qq.com/*`, an exact
 * `host/path`) and injects an errcode at a rate. `rate_limit` means the product's own minute-limit errcode (45011
 * for OA/MP/H5, 45009 for WeCom). Decisions come from a seeded PRNG, one draw per matching rule per call, so the
 * same call sequence fails the same way every run. `latencyMs` delays every API response (for concurrency tests).
 */
export interface ChaosRule {
  api: string;
  errcode: number | 'rate_limit';
  rate: number;
}

export interface ChaosConfig {
  seed: number;
  rules: ChaosRule[];
  latencyMs: number;
}

function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${esc}$`);
}

export class Chaos {
  private config: ChaosConfig = { seed: 1, rules: [], latencyMs: 0 };
  private compiled: { re: RegExp; rule: ChaosRule }[] = [];
  private rng = new Prng(1);
  injected = 0;

  get current(): ChaosConfig {
    return this.config;
  }

  set(config: ChaosConfig): void {
    this.config = config;
    this.compiled = config.rules.map((rule) => ({ re: globToRegExp(rule.api), rule }));
    this.rng = new Prng(config.seed);
    this.injected = 0;
  }

  /** The errcode to inject into this call, if any. */
  pick(api: string, product: Product): number | undefined {
    for (const { re, rule } of this.compiled) {
      if (!re.test(api)) continue;
      if (this.rng.next() >= rule.rate) continue;
      this.injected++;
      if (rule.errcode === 'rate_limit') return product === 'wecom' ? 45009 : 45011;
      return rule.errcode;
    }
    return undefined;
  }
}
