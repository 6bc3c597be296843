import { DemoError } from './demo-errors';
import { waitFor } from './demo-http';
import type { DemoWorld } from './demo-world';

export interface SyncOutcome {
  accountId: string;
  /** The account's configured name (the emulator's names for its OAs and corp). */
  accountName: string | null;
  resource: string;
  status: string;
  processed: number;
  created: number;
  updated: number;
  ms: number;
}

interface SyncRun {
  id: string;
  accountName: string | null;
  status: string;
  processed: number;
  created: number;
  updated: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

interface InboxPage {
  items: { id: string; kind: string; error: string | null }[];
}

/** Waits until no inbox row is pending or processing (`GET /api/v1/inbox?status=`); returns the failed rows. */
export async function drainInbox(w: DemoWorld): Promise<InboxPage['items']> {
  await waitFor('the inbox to drain', async () => {
    const [pending, processing] = await Promise.all([
      w.api.get<InboxPage>('/inbox?status=pending&limit=1'),
      w.api.get<InboxPage>('/inbox?status=processing&limit=1'),
    ]);
    return pending.items.length === 0 && processing.items.length === 0 ? true : undefined;
  });
  return (await w.api.get<InboxPage>('/inbox?status=failed&limit=200')).items;
}

/**
 * A WeCom callback carries ids only, so after add_external_contact the gateway re-reads the contact
 * (externalcontact/get) from its refresh queue. Waits until WeChat (the emulator's request log) has served that
 * call, so the re-read has happened before any tag is pushed: the re-read compares the relation's tags with
 * what Siyu pushed, and one taken in the middle of a push round is not part of the story.
 */
export async function awaitContactReRead(w: DemoWorld, externalUserId: string): Promise<void> {
  await waitFor(`the gateway's externalcontact/get of ${externalUserId}`, async () => {
    const { requests } = await w.control.get<{ requests: { query: Record<string, string>; status: number }[] }>(
      '/requests?path=/cgi-bin/externalcontact/get&limit=500',
    );
    return requests.some((r) => r.query.external_userid === externalUserId && r.status === 200) ? true : undefined;
  });
}

/**
 * Full syncs through `POST /api/v1/syncs` (followers of each OA, the corp's staff directory, contacts, customer
 * groups and corp tag library), polled on `GET /api/v1/syncs/:id` until they end. The corp tag library goes first, as in the
 * nightly job, so the contacts sync finds the corp tags in the catalog and records relation tags as assignments at
 * once; the rest run together. A failed run stops the demo with its error.
 */
export async function runFullSyncs(w: DemoWorld, say: (line: string) => void): Promise<SyncOutcome[]> {
  const library = w.apps.corps.map((c) => ({ accountId: c.corpId, resource: 'corp-tags' }));
  const rest = [
    ...w.apps.officialAccounts.map((a) => ({ accountId: a.appId, resource: 'followers' })),
    ...w.apps.corps.flatMap((c) => [
      { accountId: c.corpId, resource: 'staff' },
      { accountId: c.corpId, resource: 'contacts' },
      { accountId: c.corpId, resource: 'groups' },
    ]),
  ];
  const outcomes = [...(await runTogether(w, library)), ...(await runTogether(w, rest))];
  for (const o of outcomes)
    say(
      `  sync ${o.accountName ? `${o.accountName} (${o.accountId})` : o.accountId} ${o.resource}: ${o.processed} read, ${o.created} new, ${o.updated} updated in ${o.ms} ms`,
    );
  return outcomes;
}

async function runTogether(w: DemoWorld, jobs: { accountId: string; resource: string }[]): Promise<SyncOutcome[]> {
  const started = await Promise.all(jobs.map((j) => w.api.post<SyncRun>('/syncs', j).then((run) => ({ ...j, run }))));
  return Promise.all(
    started.map(async ({ accountId, resource, run }) => {
      const end = await waitFor(
        `sync #${run.id} (${accountId} ${resource})`,
        async () => {
          const r = await w.api.get<SyncRun>(`/syncs/${run.id}`);
          return r.status === 'running' ? undefined : r;
        },
        120_000,
      );
      if (end.status !== 'done')
        throw new DemoError(
          'SYNC_FAILED',
          `sync #${end.id} ${accountId} ${resource} ended ${end.status}: ${end.error ?? 'no error given'}`,
        );
      const ms = end.finishedAt ? Date.parse(end.finishedAt) - Date.parse(end.startedAt) : 0;
      return {
        accountId,
        accountName: end.accountName,
        resource,
        status: end.status,
        processed: end.processed,
        created: end.created,
        updated: end.updated,
        ms,
      };
    }),
  );
}
