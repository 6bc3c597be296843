import type { DataSource } from '../../src/storage';
import { cpuSeconds } from '../shared/process-cpu';
import type { CallbackWire } from './callbacks';
import { awaitStepRows, lastInboxId, stepRows, summarize, type StepProcessing } from './measure';
import { buildMix, stepCount, type MixPools } from './mix';
import { sendOpenLoop, type SendResult, type SenderOptions } from './sender';

export interface StepResult {
  rate: number;
  send: SendResult;
  processing: StepProcessing;
  offeredPerS: number;
  acceptedPerS: number;
  /** CPU µs per offered callback over the step (first send to its rows done), undefined where /proc is not there. */
  gatewayCpuUs: number | undefined;
  databaseCpuUs: number | undefined;
  /** Statements the database server ran per offered callback over the step (all clients), where it can say. */
  statementsPerCallback: number | undefined;
}

export interface StepContext {
  ds: DataSource;
  gatewayUrl: string;
  wire: CallbackWire;
  pools: MixPools;
  sender: Omit<SenderOptions, 'rate'>;
  gatewayPid: number | undefined;
  databasePid: number | undefined;
  /** After the send, how long the step's rows may take to be processed before they are measured. */
  processWaitMs: number;
  /** The database server's count of statements run so far, where it keeps one (MySQL's `Questions`). */
  statements?: () => Promise<number>;
}

/** Builds a step's callbacks (before its clock starts), offers them at `rate`/s, waits for their rows, measures. */
export async function runStep(ctx: StepContext, rate: number, durationS: number): Promise<StepResult> {
  const count = stepCount(rate, durationS);
  // Slot 0's CreateTime: when the build is expected to end, so the timestamps are the seconds the slots are sent in.
  const startUnixMs = Date.now() + Math.min(30_000, count / 20);
  const wired = buildMix(count, rate, startUnixMs, ctx.pools).map((s) => ctx.wire.build(s));
  const afterId = await lastInboxId(ctx.ds);
  const cpu0 = [cpuSeconds(ctx.gatewayPid), cpuSeconds(ctx.databasePid)];
  const statements0 = await ctx.statements?.();
  const send = await sendOpenLoop(ctx.gatewayUrl, wired, startUnixMs, { ...ctx.sender, rate });
  await awaitStepRows(ctx.ds, afterId, ctx.processWaitMs);
  const measuredAt = Date.now();
  const cpu1 = [cpuSeconds(ctx.gatewayPid), cpuSeconds(ctx.databasePid)];
  const statements1 = await ctx.statements?.();
  const perCallback = (k: number): number | undefined =>
    cpu0[k] === undefined || cpu1[k] === undefined ? undefined : ((cpu1[k]! - cpu0[k]!) * 1e6) / count;
  const processing = summarize(await stepRows(ctx.ds, afterId), send, measuredAt);
  const sent = send.offered - send.unsent;
  return {
    rate,
    send,
    processing,
    offeredPerS: sent / ((send.lastSendAt - send.firstSendAt) / 1000 + 1 / rate),
    acceptedPerS: send.acked / Math.max(0.001, (send.lastAnswerAt - send.firstSendAt) / 1000),
    gatewayCpuUs: perCallback(0),
    databaseCpuUs: perCallback(1),
    statementsPerCallback:
      statements0 === undefined || statements1 === undefined ? undefined : (statements1 - statements0) / count,
  };
}
