import { rebuildPurchaseFigures } from '../src/storage/customers/purchase-figures.repository';
import { loadavg } from 'os';
import { select } from '../src/storage/sql';
import { arg, benchDatabase } from './shared/fresh-database';
import { eventsRule, nestedRule, rfmRule, type BenchRule } from './segments/rules';
import { seedWorld } from './segments/seed-world';
import { SEGMENTS_APP, WORLD_TAGS } from './segments/world';
import { measureRule, type RuleFigures } from './segments/measure';
import { benchServices } from './shared/bench-app';

/**
 * Segments at scale (DESIGN §5, §9): `--customers` (default 1,000,000) customers with 3× as many transactions,
 * 5× timeline events and 2× tag assignments, seeded into MySQL with multi-row INSERTs from a seeded PRNG. Three
 * segments — RFM, events, and a nested all/any/not rule of six conditions — are created, previewed (median of 3)
 * and run through the segment service; beside each preview, in the same run, a hand-written single SQL count of
 * the same set (the floor) with the ratio. Targets: preview ≤ 2 s and ≤ 2× the floor; a run changing ~100,000
 * memberships ≤ 30 s including the assignments it queues for push. Exits 1 only when a count disagrees.
 * Run (under the bench lock): npm run bench:segments -- [--customers 1000000] [--database mysql://…/<fresh>] [--keep]
 */
async function main(): Promise<void> {
  const customers = Number(arg('customers', '1000000'));
  if (!Number.isInteger(customers) || customers <= 0) throw new Error('--customers must be a positive integer');
  const keep = process.argv.includes('--keep');
  const db = await benchDatabase(arg('database'));
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(`segments bench: ${customers.toLocaleString('en')} customers → ${db.url.replace(/\/\/[^@]*@/, '//')}`);
  console.log(`  load average at start: ${load()}`);
  let failed = false;
  try {
    const app = await benchServices(db.url, {
      // The segment tags are bound to this OA so a run queues its pushes; nothing is pushed (jobs are off).
      accounts: [{ kind: 'official-account', appId: SEGMENTS_APP, appSecret: 'bench', token: 'bench' }],
    });
    // One clock for the seeded times, the compiled rules and the floors: "within 30 days" means the same instant.
    const now = Date.now();
    app.now = () => now;
    const actor = { name: 'bench', role: 'operator' };
    const tags = app.tags;
    const worldTagIds: string[] = [];
    for (const [name] of WORLD_TAGS) worldTagIds.push((await tags.catalog.create({ name }, actor)).id);

    const t0 = performance.now();
    const counts = await seedWorld(db.url, { customers, now, tagIds: worldTagIds }, (s) => console.log(s));
    const seedS = (performance.now() - t0) / 1000;
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(
      `  seeded    ${counts.customers.toLocaleString('en')} customers, ${counts.transactions.toLocaleString('en')} transactions, ` +
        `${counts.events.toLocaleString('en')} events, ${counts.customer_tags.toLocaleString('en')} tag assignments ` +
        `(${rows.toLocaleString('en')} rows with identities, subscriptions, follows) in ${seedS.toFixed(1)} s`,
    );

    // The figures kept on each customer, computed once as the migration that adds them would (its cost at this size).
    const t1 = performance.now();
    await rebuildPurchaseFigures(app.ds);
    console.log(
      `  figures   purchase figures of every customer rebuilt from the transactions in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
    );

    const at = new Date(now);
    const rules: BenchRule[] = [
      rfmRule(at),
      eventsRule(at),
      nestedRule(at, { member: worldTagIds[0]!, complained: worldTagIds[7]! }),
    ];
    const figures: RuleFigures[] = [];
    for (const [i, r] of rules.entries()) {
      const tag = await tags.catalog.create(
        { name: `分群${i + 1}`, bindings: [{ channel: 'oa', appId: SEGMENTS_APP }] },
        actor,
      );
      const segment = await tags.segments.create({ name: r.name, tagId: tag.id, rule: r.rule }, actor);
      const f = await measureRule(app.ds, tags.segments, segment, r, actor);
      figures.push(f);
      failed ||= !f.countsAgree;
      for (const line of f.lines) console.log(line);
    }
    const pending = await select(app.ds, "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'");
    console.log(`  outbox    ${Number(pending[0]?.n ?? 0).toLocaleString('en')} pending rows after the runs`);
    console.log(`  load average at end: ${load()}`);
    if (failed) console.log('  COUNT MISMATCH: a preview, its floor or the run disagree on the set (see above)');
    await app.ds.destroy();
  } finally {
    if (keep && db.fresh) console.log(`  kept ${db.url.replace(/\/\/[^@]*@/, '//')}`);
    else await db.drop();
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
