import { createHash } from 'crypto';
import type { DataSource, EntityManager } from '../storage';
import type { IdentityRef } from '../../connectors/common/identity-types';
import type { AnonymousBatch } from './anonymous-track.schema';
import { identityKey } from '../identity/identity-keys';
import type { IdentityService } from '../identity/identity.service';
import { retryingTransaction } from '../storage/conflict-retry';
import { writeTimeline } from '../events/timeline.writer';
import { FrontDoorError } from '../h5/front-door.errors';
import { subjectOf, type VisitorSession } from '../h5/visitor-session';
import { storedDedupeKeys } from '../storage/events/event.repository';
import type { TrackEvent } from './track.schema';

export interface TrackResult {
  customerId: string;
  accepted: number;
  duplicates: number;
}

const CHANNEL = { h5: { source: 'h5', prefix: 'h5' }, mp: { source: 'mini-program', prefix: 'mp' } } as const;

/**
 * Behaviour from H5 pages and Mini Programs into the customer timeline (DESIGN §8.2). The customer is looked up
 * from the session's subject identity at write time, so events land on the survivor of any merge since login.
 * Deduplication is by the client's event id per subject: `track:<keyed subject>:<id>` is the row's unique
 * `dedupe_key`, stable across merges (merged rows keep their keys), so a re-sent batch writes nothing twice.
 */
export class TrackService {
  constructor(private readonly deps: { ds: DataSource; identity: IdentityService }) {}

  async record(session: VisitorSession, events: TrackEvent[]): Promise<TrackResult> {
    const subject = subjectOf(session);
    return retryingTransaction(this.deps.ds, async (em) => {
      const customerId = await this.deps.identity.findCustomerId(em, subject);
      if (!customerId)
        throw new FrontDoorError(
          'SESSION_INVALID',
          'this visitor is not known (erased or never signed in); log in again',
        );
      return this.write(em, customerId, subject, CHANNEL[session.ch], session.app, events);
    });
  }

  /**
   * A visitor before login (DESIGN §11): their `anonymous_id` is resolved like any identity, so the first call
   * creates a customer known by it alone; a login that carries the same id merges that customer into the person.
   */
  async recordAnonymous(batch: AnonymousBatch): Promise<TrackResult> {
    const subject: IdentityRef = { type: 'anonymous_id', scope: batch.scope, value: batch.anonymousId };
    return retryingTransaction(this.deps.ds, async (em) => {
      const { customerId } = await this.deps.identity.resolve(em, { identities: [subject], source: 'track.anonymous' });
      if (!customerId) throw new FrontDoorError('CUSTOMER_ERASED', 'this visitor was erased');
      return this.write(em, customerId, subject, CHANNEL[batch.channel], batch.scope, batch.events);
    });
  }

  private async write(
    em: EntityManager,
    customerId: string,
    subject: IdentityRef,
    channel: (typeof CHANNEL)[keyof typeof CHANNEL],
    account: string,
    events: TrackEvent[],
  ): Promise<TrackResult> {
    const subjectKey = createHash('sha256').update(identityKey(subject), 'utf8').digest('hex').slice(0, 32);
    const keyOf = (e: TrackEvent) => `track:${subjectKey}:${e.id}`;
    const keys = [...new Set(events.map(keyOf))];
    const seen = await storedDedupeKeys(em, keys);
    let accepted = 0;
    for (const e of events) {
      const dedupeKey = keyOf(e);
      if (seen.has(dedupeKey)) continue;
      seen.add(dedupeKey);
      await writeTimeline(em, {
        customerId,
        source: channel.source,
        account,
        type: `${channel.prefix}.${e.type}`,
        occurredAt: e.occurredAt,
        payload: { eventId: e.id, properties: e.properties },
        dedupeKey,
      });
      accepted += 1;
    }
    return { customerId, accepted, duplicates: events.length - accepted };
  }
}
