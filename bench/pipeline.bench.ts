import { cpus, loadavg } from 'os';
import path from 'path';
import type { Account } from '../config';
import type { DataSource } from '../src/storage';
import { startBenchGateway } from './shared/bench-gateway';
import { startChild } from './shared/child-process';
import { drained } from './shared/drained';
import { arg, freshDatabase } from './shared/fresh-database';
import { databaseServerPid } from './shared/process-cpu';
import { CallbackWire } from './pipeline/callbacks';
import { emptyCursor, warmUpMix, worldNeeds } from './pipeline/mix';
import { highestKeepingUp, stepTable, targetLine } from './pipeline/report';
import { sendOpenLoop } from './pipeline/sender';
import { runStep, type StepResult } from './pipeline/step';
import { loadPools, worldOptions } from './pipeline/world';

/**
 * `npm run bench:pipeline` (DESIGN §9 "processing keeps up"): the emulator and the real gateway, each in its own
 * process, on a fresh database per `--db` kind. Each rate step offers an open-loop mix of encrypted callbacks for
 * `--duration` s (OA subscribes of new and of known people, OA text messages, WeCom add_external_contact; see
 * pipeline/mix.ts), waits for its inbox rows to be processed, and measures accepted and processed rates, the lag
 * from ack to processed, and CPU per callback; the inbox and refresh queue drain before the next step.
 * Run: npm run bench:pipeline [-- --db sqlite,mysql --rates 500,1000,2000,4000 --duration 60]
 * MySQL server: BENCH_MYSQL_URL (default mysql://root:@127.0.0.1:3306/), a fresh siyu_bench_* database dropped after.
 * BENCH_GATEWAY_NODE_ARGS: node flags for the gateway's process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 */
const MAX_IN_FLIGHT = 256;
const PROCESS_WAIT_MS = 120_000;
const DRAIN_WAIT_MS = 600_000;

/** MySQL's count of client statements since it started (every client: the gateway, and this bench's few polls). */
async function serverStatements(ds: DataSource): Promise<number> {
  const [row] = (await ds.query("SHOW GLOBAL STATUS LIKE 'Questions'")) as { Value: string }[];
  return Number(row?.Value);
}

function list(name: string, def: string): string[] {
  return arg(name, def)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

async function main(): Promise<void> {
  const kinds = list('db', 'sqlite,mysql');
  const rates = list('rates', '500,1000,2000,4000').map(Number);
  const durationS = Number(arg('duration', '60'));
  if (kinds.some((k) => k !== 'sqlite' && k !== 'mysql')) throw new Error('--db takes sqlite and/or mysql');
  if (rates.some((r) => !Number.isInteger(r) || r < 1) || !(durationS > 0)) throw new Error('--rates, --duration');
  const mysqlBase = process.env.BENCH_MYSQL_URL ?? 'mysql://root:@127.0.0.1:3306/';
  const log = (s: string) => console.log(s);
  const needs = worldNeeds(rates, durationS);
  const emu = await startChild(path.join(__dirname, 'shared'), 'emulator-child', {
    BENCH_WORLD: JSON.stringify(worldOptions(needs)),
  });
  const results = new Map<string, StepResult[]>();
  try {
    const pools = await loadPools(String(emu.ready.url), emu.ready.accounts as Account[], needs.relations);
    if (pools.oaOnly.length < needs.known + needs.newPeople || pools.relations.length < needs.relations)
      throw new Error(`the world holds ${pools.oaOnly.length} OA-only people and ${pools.relations.length} relations`);
    log(
      `pipeline bench: rates ${rates.join(', ')}/s for ${durationS} s each on ${kinds.join(', ')}; ` +
        `${needs.known.toLocaleString('en')} known people, ${pools.oaOnly.length.toLocaleString('en')} OA followers, ` +
        `${pools.relations.length.toLocaleString('en')} WeCom relations; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    );
    for (const kind of kinds) {
      const db = await freshDatabase(kind === 'mysql' ? mysqlBase : 'sqlite');
      const { ds, child } = await startBenchGateway(
        db.url,
        emu.ready,
        process.env.BENCH_GATEWAY_NODE_ARGS ? process.env.BENCH_GATEWAY_NODE_ARGS.split(' ') : [],
      ).catch(async (err: unknown) => {
        await db.drop();
        throw err;
      });
      try {
        const gatewayUrl = String(child.ready.url);
        const wire = new CallbackWire(pools.oa, pools.corp);
        const known = pools.oaOnly.slice(0, needs.known);
        const sender = { maxInFlight: MAX_IN_FLIGHT, timeoutMs: 15_000, graceMs: 30_000 };
        // The known people become known here; these rows are before every step's first id, so no step counts them.
        const warmRate = Math.min(...rates);
        const warmStart = Date.now() + 1_000;
        const warm = warmUpMix(known, warmRate, warmStart).map((s) => wire.build(s));
        const w = await sendOpenLoop(gatewayUrl, warm, warmStart, { ...sender, rate: warmRate });
        const d = await drained(ds, DRAIN_WAIT_MS);
        log(
          `${kind}: warm-up ${w.acked}/${w.offered} known people subscribed, drained in ${(d.ms / 1000).toFixed(1)} s`,
        );
        const ctx = {
          ds,
          gatewayUrl,
          wire,
          pools: {
            newOpenids: pools.oaOnly.slice(needs.known),
            knownOpenids: known,
            relations: pools.relations,
            cursor: emptyCursor(7_300_000_000_000_000_000n),
          },
          sender,
          gatewayPid: child.process.pid,
          databasePid: kind === 'mysql' ? databaseServerPid() : undefined,
          processWaitMs: PROCESS_WAIT_MS,
          ...(kind === 'mysql' ? { statements: () => serverStatements(ds) } : {}),
        };
        const steps: StepResult[] = [];
        for (const rate of rates) {
          const s = await runStep(ctx, rate, durationS);
          steps.push(s);
          const between = await drained(ds, DRAIN_WAIT_MS);
          log(
            `${kind}: ${rate}/s done — ${s.send.acked}/${s.send.offered} acked, ${s.processing.done} processed, ` +
              `${s.processing.pending} pending after the wait; drained ${(between.ms / 1000).toFixed(1)} s more ` +
              `(failed: inbox ${between.failedInbox}, refresh ${between.failedRefresh})`,
          );
        }
        results.set(kind, steps);
      } finally {
        await child.stop();
        await ds.destroy();
        await db.drop();
      }
    }
  } finally {
    await emu.stop();
  }
  log('');
  for (const [kind, steps] of results) {
    log(
      `${kind} (${durationS} s per step; lag = ack → processed; µs/cb = CPU per callback over the step; statements/cb = all statements MySQL ran over the step, per callback)`,
    );
    for (const l of stepTable(steps)) log(`  ${l}`);
    log('');
  }
  for (const [kind, steps] of results)
    log(`${kind}: highest rate that keeps up (lag p99 ≤ 2 s, accepted = offered): ${highestKeepingUp(steps)}`);
  log(targetLine(results.get('mysql')));
  log(`load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
