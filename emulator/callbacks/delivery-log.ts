import type { CallbackMode, CallbackTarget } from '../plugin-types';
import type { ReplyVerdict } from './reply-verifier';

/** One HTTP attempt of a callback delivery, as the gateway answered it. */
export interface AttemptRecord {
  attempt: number;
  /** Emulator-clock time the attempt started (ms). */
  at: number;
  outcome: 'delivered' | 'timeout' | 'http-error' | 'network-error';
  status?: number;
  /** Response body, cut at 64 KiB. */
  body?: string;
  /** Real elapsed time (ms): the timeout is about the gateway's real latency. */
  latencyMs: number;
  error?: string;
  reply?: ReplyVerdict;
  /** Set on copies sent after a successful delivery to exercise the gateway's dedupe. */
  injected?: 'duplicate';
}

export interface DeliveryRecord {
  id: string;
  kind: CallbackTarget['kind'];
  targetId: string;
  /** e.g. `event:subscribe`, `message:text`, `change_external_contact:add_external_contact`, `verify-url`. */
  label: string;
  url: string;
  mode: CallbackMode;
  format: 'xml' | 'json';
  method: 'GET' | 'POST';
  query: Record<string, string>;
  body: string;
  plaintext: string;
  createdAt: number;
  attempts: AttemptRecord[];
  /** True once an attempt got a 2xx answer (for URL verification: the right echo). */
  delivered: boolean;
  /** URL verification only: the echo the gateway had to return. */
  expectedEcho?: string;
}

const MAX_BODY = 64 * 1024;

export function clip(body: string): string {
  return body.length > MAX_BODY ? body.slice(0, MAX_BODY) : body;
}

/** In-memory record of recent deliveries, bounded so long benchmark runs do not grow without limit. */
export class DeliveryLog {
  private readonly records: DeliveryRecord[] = [];
  private seq = 0;

  constructor(private readonly capacity = 2000) {}

  nextId(): string {
    this.seq += 1;
    return `cb_${this.seq}`;
  }

  add(record: DeliveryRecord): void {
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
  }

  list(filter: { kind?: CallbackTarget['kind']; targetId?: string; limit?: number } = {}): DeliveryRecord[] {
    const hits = this.records.filter(
      (r) => (!filter.kind || r.kind === filter.kind) && (!filter.targetId || r.targetId === filter.targetId),
    );
    return filter.limit === undefined ? hits : hits.slice(-filter.limit);
  }

  get(id: string): DeliveryRecord | undefined {
    return this.records.find((r) => r.id === id);
  }

  clear(): void {
    this.records.length = 0;
  }
}
