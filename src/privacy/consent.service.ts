import type { AppContext } from '../app-context';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { attributeInvalid, customerNotFound, type FieldProblem } from '../attributes/attribute.errors';
import { writeTimeline } from '../events/timeline.writer';
import type { EntityManager } from '../storage';
import { retryingTransaction } from '../storage/conflict-retry';
import { consentsOf, MARKETING, upsertConsent, type ConsentWrite } from '../storage/consents/consent.repository';
import { survivorOf } from '../storage/customers/customer.repository';
import type { ConsentRow } from '../storage/entities/consent.entity';
import type { Actor } from '../tags/tags-deps';
import { recordWebhookEvent } from '../webhooks/webhook-event.writer';
import { withdrawMarketingTags } from './marketing-withdrawal';
import type { ConsentJson } from './consents-api.types';

/** The channels a consent may be tied to (DESIGN §12); none when it is the person's answer everywhere. */
export const CONSENT_CHANNELS = ['oa', 'mp', 'h5', 'wecom', 'pay'] as const;
const MAX_PURPOSE = 128;
const MAX_SOURCE = 64;

export function consentJson(c: ConsentRow): ConsentJson {
  return {
    purpose: c.purpose,
    channel: c.channel === '' ? null : c.channel,
    granted: c.granted,
    source: c.source,
    at: c.at.toISOString(),
  };
}

/** What one recorded statement did: the consent now, and whether its answer changed. */
export interface ConsentOutcome {
  consent: ConsentRow;
  changed: boolean;
}

/**
 * Consents (DESIGN §12): a person's current yes or no per purpose and channel, from an operator or a brand's
 * system (`POST /customers/:id/consents`) or from WeChat (subscription-message popups, `subscribe_msg:<templateId>`).
 * A change of answer is a `consent.changed` timeline event and webhook; a withdrawn `marketing` consent takes the
 * person's `rule` and `channel` tags away (and so off WeChat) and keeps them out of both from then on.
 */
export class ConsentService {
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: Pick<AppContext, 'ds' | 'now'>) {
    this.audit = new AuditLogWriter(deps.ds);
  }

  async list(customerId: string): Promise<{ items: ConsentJson[] }> {
    const c = await this.customer(customerId);
    return { items: (await consentsOf(this.deps.ds, c)).map(consentJson) };
  }

  /** `POST /customers/:id/consents` `{ purpose, channel?, granted, source, at? }` → the consent now. */
  async record(customerId: string, body: unknown, actor: Actor): Promise<ConsentJson> {
    const input = parseConsentInput(body, new Date(this.deps.now()));
    const c = await this.customer(customerId);
    const outcome = await retryingTransaction(this.deps.ds, async (em) => {
      const o = await this.recordWithin(em, { ...input, customerId: c }, new Date(this.deps.now()));
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'customer.consent',
          targetType: 'customer',
          targetId: c,
          details: {
            purpose: input.purpose,
            channel: input.channel || null,
            granted: input.granted,
            changed: o.changed,
          },
        },
        em,
      );
      return o;
    });
    return consentJson(outcome.consent);
  }

  /** One statement inside the caller's transaction (the API's, or an inbox row's for WeChat's popups). */
  async recordWithin(em: EntityManager, w: ConsentWrite, now: Date): Promise<ConsentOutcome> {
    const { before, after } = await upsertConsent(em, w, now);
    const changed = after !== before && (before === null || before.granted !== after.granted);
    if (!changed) return { consent: after, changed };
    const channel = after.channel === '' ? null : after.channel;
    const payload = { purpose: after.purpose, channel, granted: after.granted, source: after.source };
    await writeTimeline(em, {
      customerId: w.customerId,
      source: 'siyu',
      account: channel ?? '',
      type: 'consent.changed',
      occurredAt: after.at,
      payload: { ...payload, previous: before?.granted ?? null },
      dedupeKey: `consent:${after.id}:${after.at.getTime()}:${after.granted ? 1 : 0}`,
    });
    await recordWebhookEvent(
      em,
      'consent.changed',
      { customerId: w.customerId, ...payload, at: after.at.toISOString() },
      now,
    );
    if (after.purpose === MARKETING && !after.granted) await withdrawMarketingTags(em, w.customerId, now);
    return { consent: after, changed };
  }

  /** The id of the active customer an id leads to (merges followed), else 404. */
  private async customer(id: string): Promise<string> {
    const c = await survivorOf(this.deps.ds, id);
    if (!c || c.status !== 'active') throw customerNotFound();
    return c.id;
  }
}

/** The request body, or a 422 naming each bad field. `at` (ISO time) defaults to now and may not be in the future. */
export function parseConsentInput(body: unknown, now: Date): Omit<ConsentWrite, 'customerId'> {
  const problems: FieldProblem[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw attributeInvalid([{ field: 'body', message: 'a consent is { purpose, channel?, granted, source, at? }' }]);
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b))
    if (!['purpose', 'channel', 'granted', 'source', 'at'].includes(k))
      problems.push({ field: k, message: 'is not a field of a consent' });
  const text = (v: unknown, field: string, max: number): string => {
    const s = typeof v === 'string' ? v.trim() : '';
    // eslint-disable-next-line no-control-regex
    if (!s || s.length > max || /[\u0000-\u001f\u007f]/.test(s))
      problems.push({ field, message: `must be text of 1 to ${max} characters` });
    return s;
  };
  const purpose = text(b.purpose, 'purpose', MAX_PURPOSE);
  const source = text(b.source, 'source', MAX_SOURCE);
  let channel = '';
  if (b.channel !== undefined && b.channel !== null) {
    if (typeof b.channel === 'string' && (CONSENT_CHANNELS as readonly string[]).includes(b.channel))
      channel = b.channel;
    else problems.push({ field: 'channel', message: `must be one of ${CONSENT_CHANNELS.join(', ')}` });
  }
  if (typeof b.granted !== 'boolean') problems.push({ field: 'granted', message: 'must be true or false' });
  let at = now;
  if (b.at !== undefined) {
    const t = typeof b.at === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(b.at) ? new Date(b.at) : new Date(NaN);
    if (Number.isNaN(t.getTime())) problems.push({ field: 'at', message: 'must be an ISO 8601 time' });
    else if (t.getTime() > now.getTime() + 60_000) problems.push({ field: 'at', message: 'is in the future' });
    else at = t;
  }
  if (problems.length) throw attributeInvalid(problems);
  return { purpose, channel, granted: b.granted as boolean, source, at };
}
