import type { Db } from '../../storage/sql';
import { unfinishedRowsOfKeys } from '../../storage/tags/outbox.repository';
import { wecomOpKey, type WecomPayload } from '../outbox/outbox-types';
import { relationSubject } from '../../storage/tags/wecom-relations.repository';

/** What the outbox may be doing to one relation right now. */
export interface RelationPush {
  /** A pusher has claimed the row: a mark_tag may have reached WeChat without its outcome being recorded yet. */
  inFlight: boolean;
  /** Corp tag ids a failed attempt tried to add (a timed-out call may still have applied them). */
  triedAdds: Set<string>;
}

/**
 * Unfinished mark_tag rows of these relations, keyed by relation subject. A relation re-read that lands between
 * Siyu's own mark_tag and the recording of its outcome sees Siyu's change before Siyu knows of it; the observer
 * uses this to tell that echo apart from a staff member's edit.
 */
export async function unfinishedPushes(
  db: Db,
  corpId: string,
  relations: readonly { userid: string; externalUserid: string }[],
): Promise<Map<string, RelationPush>> {
  const bySubject = new Map(relations.map((r) => [wecomOpKey(corpId, r.userid, r.externalUserid), relationSubject(r)]));
  const keys = [...bySubject.keys()];
  const out = new Map<string, RelationPush>();
  for (const r of await unfinishedRowsOfKeys(db, keys)) {
    const subject = bySubject.get(r.opKey);
    if (subject === undefined) continue;
    const push = out.get(subject) ?? { inFlight: false, triedAdds: new Set<string>() };
    if (r.status === 'in_flight') push.inFlight = true;
    for (const id of (r.payload as WecomPayload | null)?.add ?? []) push.triedAdds.add(id);
    out.set(subject, push);
  }
  return out;
}

/** Whether Siyu itself may have put this corp tag on the relation without having recorded it yet. */
export function mayBeOwnAdd(push: RelationPush | undefined, remoteTagId: string): boolean {
  return !!push && (push.inFlight || push.triedAdds.has(remoteTagId));
}
