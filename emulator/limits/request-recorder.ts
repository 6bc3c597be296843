/**
 * The last N inbound API requests, for assertions (wechat-api.md §13 item 24). App secrets are masked: the
 * emulator's own credentials are fake, but recorded requests end up in test output and logs.
 */
export interface RecordedRequest {
  seq: number;
  method: string;
  host: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** Emulator clock, ms. */
  at: number;
  durationMs: number;
  status: number;
  errcode: number | undefined;
}

const MASKED = ['secret', 'corpsecret', 'appsecret'];
const MAX_TEXT = 4096;

export function maskQuery(q: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) out[k] = MASKED.includes(k.toLowerCase()) ? '***' : v;
  return out;
}

export function bodyForRecord(raw: string, parsed: unknown): unknown {
  if (parsed !== undefined) {
    if (parsed && typeof parsed === 'object' && 'secret' in parsed) return { ...(parsed as object), secret: '***' };
    return parsed;
  }
  return raw.length > MAX_TEXT ? `${raw.slice(0, MAX_TEXT)}…` : raw || undefined;
}

export class RequestRecorder {
  private buf: (RecordedRequest | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(private readonly capacity: number) {
    this.buf = new Array<RecordedRequest | undefined>(capacity);
  }

  add(r: Omit<RecordedRequest, 'seq'>): void {
    if (this.capacity === 0) return;
    this.buf[this.next] = { seq: ++this.seq, ...r };
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first; `since` = only requests with a larger seq. */
  list(filter: { path?: string; host?: string; since?: number; limit?: number } = {}): RecordedRequest[] {
    const out: RecordedRequest[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const r = this.buf[(this.next + i) % this.capacity];
      if (!r) continue;
      if (filter.since !== undefined && r.seq <= filter.since) continue;
      if (filter.path && !r.path.includes(filter.path)) continue;
      if (filter.host && r.host !== filter.host) continue;
      out.push(r);
    }
    return filter.limit ? out.slice(-filter.limit) : out;
  }

  clear(): void {
    this.buf = new Array<RecordedRequest | undefined>(this.capacity);
    this.next = 0;
  }
}
