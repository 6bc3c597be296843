import type { Staff, WecomCorp } from './wecom-corp';

/**
 * Customer transfers of one corp (在职继承 / 离职继承, wechat-api-wecom-ops.md §5): a started transfer waits 24 h
 * on the emulator clock for the customer to refuse, then completes — the relation leaves the handover and a new
 * one starts on the takeover (or the takeover's own relation stays when they were already friends) — unless the
 * takeover's customer count is at its limit. Settling is lazy: every read of the store settles what is due.
 */
export type TransferKind = 'onjob' | 'resigned';

/** transfer_result status: 1 done, 2 waiting, 3 refused, 4 takeover at its customer limit. */
export type TransferStatus = 1 | 2 | 3 | 4;

export interface TransferRecord {
  kind: TransferKind;
  handover: Staff;
  takeover: Staff;
  slot: number;
  startedAt: number;
  status: TransferStatus;
  /** Future completion time while waiting; completion time once done; 0 when refused. */
  takeoverTime: number;
}

/** What a settle changed that WeChat would tell the corp about (sent by the control API when asked). */
export type TransferOutcome =
  { kind: 'done'; record: TransferRecord; takeoverWasFriend: boolean } | { kind: 'limit'; record: TransferRecord };

export const TRANSFER_WAIT_SECONDS = 24 * 3600;
/** An in-service customer may be transferred at most twice in 90 natural days (DOC-96325). */
export const ONJOB_WINDOW_SECONDS = 90 * 86400;
export const ONJOB_MAX_IN_WINDOW = 2;

export class TransferStore {
  readonly records: TransferRecord[] = [];
  /** Outcomes settled by an API read, not yet announced by a callback. */
  readonly unsent: TransferOutcome[] = [];

  constructor(private readonly corp: WecomCorp) {}

  start(kind: TransferKind, handover: Staff, takeover: Staff, slot: number, now: number): TransferRecord {
    const r: TransferRecord = {
      kind,
      handover,
      takeover,
      slot,
      startedAt: now,
      status: 2,
      takeoverTime: now + TRANSFER_WAIT_SECONDS,
    };
    this.records.push(r);
    return r;
  }

  /** The customer's transfer still waiting, if any (a customer is in one transfer flow at a time). */
  waitingOf(slot: number): TransferRecord | undefined {
    return this.records.find((r) => r.slot === slot && r.status === 2);
  }

  /** In-service transfers of the customer started in the last 90 days that were not refused. */
  onjobCountInWindow(slot: number, now: number): number {
    return this.records.filter(
      (r) => r.slot === slot && r.kind === 'onjob' && r.status !== 3 && r.startedAt > now - ONJOB_WINDOW_SECONDS,
    ).length;
  }

  /** Records of one (handover, takeover) pair of one kind, oldest first. */
  ofPair(kind: TransferKind, handover: Staff, takeover: Staff): TransferRecord[] {
    return this.records.filter((r) => r.kind === kind && r.handover === handover && r.takeover === takeover);
  }

  /** The customer taps 暂不添加 within the 24 h: status 3, takeover_time 0. */
  refuse(r: TransferRecord): void {
    r.status = 3;
    r.takeoverTime = 0;
  }

  /** Completes every waiting transfer whose 24 h have passed; the outcomes are also kept in `unsent`. */
  settle(now: number): TransferOutcome[] {
    const out: TransferOutcome[] = [];
    for (const r of this.records) {
      if (r.status !== 2 || r.takeoverTime > now) continue;
      const limit = r.takeover.customerLimit;
      const existing = this.corp.relation(r.takeover, r.slot);
      if (!existing && limit !== undefined && r.takeover.relations.length >= limit) {
        r.status = 4;
        out.push({ kind: 'limit', record: r });
        continue;
      }
      const old = this.corp.relation(r.handover, r.slot);
      if (old) this.corp.removeRelation(old);
      if (!existing) this.corp.addRelation(r.takeover, r.slot, { createtime: r.takeoverTime, addWay: 0 });
      r.status = 1;
      out.push({ kind: 'done', record: r, takeoverWasFriend: existing !== undefined });
    }
    this.unsent.push(...out);
    return out;
  }

  /** Outcomes not yet announced, removed from the queue. */
  takeUnsent(): TransferOutcome[] {
    return this.unsent.splice(0, this.unsent.length);
  }
}
