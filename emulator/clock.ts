/**
 * The emulator's controllable clock (wechat-api.md §13 item 5): tests jump past 300 s grace periods, 7200 s
 * token lifetimes, 5-minute code expiry and the Pay retry schedule without waiting. `offsetMs` is added to the
 * real clock; `advance` moves it forward.
 */
export class Clock {
  private offsetMs = 0;

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('seconds must be a non-negative number');
    this.offsetMs += seconds * 1000;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }
}
