import { ID_ALPHABET, type Prng } from '../core/hash';

/**
 * JS-SDK tickets (wechat-api.md §1.4, §1.5): OA `jsapi`, WeCom corp ticket and app (`agent_config`) ticket,
 * 7200 s each; the same ticket is returned while valid [choice]. Fetch limits are enforced by the rate limiter.
 * Every ticket ever issued is kept so the control API can say which one signed a JS-SDK config.
 */
export interface Ticket {
  value: string;
  owner: string;
  kind: 'jsapi' | 'wecom-corp' | 'wecom-agent';
  expiresAt: number;
}

const TICKET_TTL = 7200;

export class TicketStore {
  private readonly current = new Map<string, Ticket>();
  readonly all = new Map<string, Ticket>();

  constructor(private readonly rng: Prng) {}

  get(kind: Ticket['kind'], owner: string, now: number): Ticket {
    const key = `${kind}|${owner}`;
    const cur = this.current.get(key);
    if (cur && now < cur.expiresAt) return cur;
    const t: Ticket = { value: this.rng.chars(86, ID_ALPHABET), owner, kind, expiresAt: now + TICKET_TTL };
    this.current.set(key, t);
    this.all.set(t.value, t);
    return t;
  }

  currentOf(kind: Ticket['kind'], owner: string): Ticket | undefined {
    return this.current.get(`${kind}|${owner}`);
  }
}
