/** Per-API call counts, including errors by errcode and injected faults (wechat-api.md §13 item 24). */
export interface ApiCount {
  calls: number;
  ok: number;
  errors: Record<string, number>;
  injected: number;
}

export class Counters {
  private readonly byApi = new Map<string, ApiCount>();

  record(api: string, errcode: number | undefined, injected: boolean): void {
    let c = this.byApi.get(api);
    if (!c) {
      c = { calls: 0, ok: 0, errors: {}, injected: 0 };
      this.byApi.set(api, c);
    }
    c.calls++;
    if (injected) c.injected++;
    if (errcode === undefined || errcode === 0) c.ok++;
    else c.errors[errcode] = (c.errors[errcode] ?? 0) + 1;
  }

  snapshot(): Record<string, ApiCount> {
    return Object.fromEntries([...this.byApi].map(([k, v]) => [k, { ...v, errors: { ...v.errors } }]));
  }

  reset(): void {
    this.byApi.clear();
  }
}
