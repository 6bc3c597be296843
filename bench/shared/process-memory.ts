import { readFileSync, writeFileSync } from 'fs';

/** A field of /proc/<pid>/status in MB (VmRSS now, VmHWM the peak), undefined where /proc is not there. */
function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The resident memory of another process (a bench's gateway child) over one phase: the kernel's high-water mark,
 * reset at the start where the kernel allows it (`5` to clear_refs, proc(5)), plus sampling every 100 ms.
 * `peakMb` is the kernel's peak when it was reset, else the sampled maximum.
 */
export class RssWatch {
  private sampled = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly reset: boolean;

  constructor(private readonly pid: number) {
    let reset = false;
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      reset = true;
    } catch {
      // not permitted here: the sampled maximum stands in
    }
    this.reset = reset;
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  private sample(): void {
    this.sampled = Math.max(this.sampled, statusMb(this.pid, 'VmRSS') ?? 0);
  }

  stop(): { peakMb: number; sampledMb: number; kernelPeak: boolean } {
    clearInterval(this.timer);
    this.sample();
    const hwm = this.reset ? statusMb(this.pid, 'VmHWM') : undefined;
    return { peakMb: Math.max(hwm ?? 0, this.sampled), sampledMb: this.sampled, kernelPeak: hwm !== undefined };
  }
}
