import { Clock } from './clock';
import { Prng } from './core/hash';
import { Chaos } from './limits/chaos';
import { Counters } from './limits/counters';
import { RateLimiter } from './limits/rate-limiter';
import { RequestRecorder } from './limits/request-recorder';
import { parseWorldOptions, type WorldOptions, type WorldOptionsInput } from './options';
import { AppTokenStore } from './tokens/app-tokens';
import { CodeStore } from './tokens/code-store';
import { SnsTokenStore, type SnsScope } from './tokens/sns-tokens';
import { TicketStore } from './tokens/tickets';
import { WecomTokenStore } from './tokens/wecom-tokens';
import { World } from './world/world';

/**
 * Everything a running emulator knows: the seeded world plus the server-side state WeChat keeps (tokens, codes,
 * tickets, counters). `reset` re-seeds in place; the Clock instance is kept (senders hold on to it) and rewound.
 */
export interface H5CodePayload {
  appId: string;
  slot: number;
  scope: SnsScope;
  snapshot: boolean;
}

export interface WecomCodePayload {
  corpId: string;
  userid?: string;
  person?: number;
  /** scope=snsapi_privateinfo: getuserinfo also returns a user_ticket. */
  privateInfo: boolean;
}

export interface JsCodePayload {
  appId: string;
  slot: number;
  blocked: boolean;
}

export interface PhoneCodePayload {
  appId: string;
  phone: string;
  slot: number | undefined;
}

/** Who the next browser reaching an authorize page is (queued through the control API). */
export interface Visitor {
  personId?: number;
  userid?: string;
  consent: boolean;
  snapshot: boolean;
}

export class EmulatorState {
  options!: WorldOptions;
  world!: World;
  rng!: Prng;
  appTokens!: AppTokenStore;
  wecomTokens!: WecomTokenStore;
  snsTokens!: SnsTokenStore;
  tickets!: TicketStore;
  h5Codes!: CodeStore<H5CodePayload>;
  wecomCodes!: CodeStore<WecomCodePayload>;
  jsCodes!: CodeStore<JsCodePayload>;
  phoneCodes!: CodeStore<PhoneCodePayload>;
  limiter!: RateLimiter;
  chaos!: Chaos;
  counters!: Counters;
  recorder!: RequestRecorder;
  visitors!: Map<string, Visitor[]>;
  /** Per app, who every authorize visit is once the queue is empty (a demo's browser sessions, however many). */
  stickyVisitors!: Map<string, Visitor>;
  quotaClears!: Map<string, { month: string; count: number }>;

  constructor(
    options: WorldOptionsInput = {},
    readonly clock: Clock = new Clock(),
  ) {
    this.reset(options);
  }

  reset(input: WorldOptionsInput): void {
    const o = parseWorldOptions(input);
    this.clock.reset();
    this.options = o;
    this.world = new World(o);
    const rng = new Prng(o.seed ^ 0x70ce5);
    this.rng = rng;
    this.appTokens = new AppTokenStore(rng);
    this.wecomTokens = new WecomTokenStore(rng);
    this.snsTokens = new SnsTokenStore(rng);
    this.tickets = new TicketStore(rng);
    this.h5Codes = new CodeStore(rng);
    this.wecomCodes = new CodeStore(rng);
    this.jsCodes = new CodeStore(rng);
    this.phoneCodes = new CodeStore(rng);
    this.limiter = new RateLimiter();
    this.chaos = new Chaos();
    this.counters = new Counters();
    this.recorder = new RequestRecorder(o.recorderSize);
    this.visitors = new Map();
    this.stickyVisitors = new Map();
    this.quotaClears = new Map();
  }

  now(): number {
    return this.clock.nowSeconds();
  }
}
