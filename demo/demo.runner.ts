import { collectSummary, type DemoSummary } from './demo-summary';
import { startDemoWorld, type DemoOptions, type DemoWorld } from './demo-world';
import { sendCallbacks } from './story-callbacks';
import { awaitContactReRead, drainInbox, runFullSyncs } from './story-syncs';
import { pushRuleTag } from './story-tags';
import { makeStoryGroup } from './story-groups';
import { prepareSidebar } from './story-sidebar';
import { prepareConsole } from './story-console';

export interface DemoRun {
  world: DemoWorld;
  summary: DemoSummary;
}

/**
 * `siyu demo` (DESIGN §8.4, §8.5): the emulator and the gateway in this process, then the story through public
 * surfaces only — callbacks, Mini Program login, a customer group, full syncs, a rule tag pushed to OA and WeCom — and the numbers
 * read back. Both servers stay up in the returned world; the caller closes it. On failure they are closed here.
 */
export async function runDemo(opts: DemoOptions, say: (line: string) => void): Promise<DemoRun> {
  const startedAt = Date.now();
  const world = await startDemoWorld(opts);
  try {
    const a = world.apps;
    say(
      `emulator ${world.emulator.url}: ${a.persons} persons, OAs ${a.officialAccounts.map((o) => `${o.appId} (${o.followers} followers)`).join(', ')}, MP ${a.miniPrograms[0]!.appId}, corp ${a.corps[0]!.corpId} (${a.corps[0]!.customers} customers), merchant ${a.merchants[0]!.mchId}`,
    );
    say(`gateway  ${world.gateway.url} on ${world.database}`);
    const taken = [
      ['gateway', opts.port, world.gateway.url],
      ['emulator', opts.emulatorPort, world.emulator.url],
    ] as const;
    for (const [what, wanted, url] of taken)
      if (wanted > 0 && !url.endsWith(`:${wanted}`)) say(`  (port ${wanted} was in use, so the ${what} took ${url})`);
    say('1. callbacks');
    const { callbacks, person } = await sendCallbacks(world, say);
    const failedBefore = await drainInbox(world);
    await awaitContactReRead(world, person.externalUserId);
    say(`  inbox drained (${failedBefore.length} failed); the new WeCom contact re-read with externalcontact/get`);
    const group = await makeStoryGroup(world, person, say);
    say('2. full syncs');
    const syncs = await runFullSyncs(world, say);
    const failed = await drainInbox(world);
    say('3. rule tag → OA + WeCom');
    const tag = await pushRuleTag(world, say);
    const sidebar = await prepareSidebar(world, person);
    const consoleFacts = await prepareConsole(world, person);
    const summary = await collectSummary(world, {
      callbacks,
      person,
      inboxFailed: failed.length,
      syncs,
      tag,
      group,
      sidebar,
      console: consoleFacts,
      startedAt,
    });
    return { world, summary };
  } catch (err) {
    await world.close();
    throw err;
  }
}
