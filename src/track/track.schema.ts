import { z } from 'zod';
import { validationFailed } from '../http/http-error';

/** Limits of one `POST /track` call (DESIGN §11: bounded sizes). */
export const TRACK_LIMITS = {
  maxEvents: 100,
  /** JSON bytes of one event's `properties`. */
  maxPropertiesBytes: 4096,
  maxPropertiesDepth: 5,
  /** Request body bytes (100 events with full properties fit). */
  maxBodyBytes: 512 * 1024,
  /** Device clocks run ahead; more than this in the future is refused. */
  maxFutureSkewMs: 10 * 60_000,
  /** Events buffered offline longer than this are refused. */
  maxAgeMs: 30 * 86_400_000,
} as const;

export interface TrackEvent {
  /** The client's id for the event: a re-sent event with the same id is stored once. */
  id: string;
  type: string;
  occurredAt: Date;
  properties: Record<string, unknown>;
}

const eventSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 characters of [A-Za-z0-9_.:-]'),
    // The timeline type becomes `h5.<type>` / `mp.<type>` in a 64-character column.
    type: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,47}$/, 'must start with a letter, then up to 47 of [A-Za-z0-9_.:-]'),
    occurredAt: z.union(
      [
        z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with offset' }),
        z.number().int().positive(),
      ],
      {
        error: 'must be an ISO-8601 date-time with offset or Unix milliseconds',
      },
    ),
    properties: z.record(z.string().max(64), z.unknown()).default({}),
  })
  .strict();

const batchSchema = z
  .object({
    events: z
      .array(eventSchema)
      .min(1, 'at least one event')
      .max(TRACK_LIMITS.maxEvents, `at most ${TRACK_LIMITS.maxEvents} events per call`),
  })
  .strict();

interface Problem {
  path: string;
  message: string;
}

/** The validated batch, or a 422 VALIDATION_FAILED listing every problem with its path. */
export function parseTrackBatch(body: unknown, nowMs: number): TrackEvent[] {
  const parsed = batchSchema.safeParse(body);
  if (!parsed.success)
    throw invalid(parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })));
  const problems: Problem[] = [];
  const events = parsed.data.events.map((e, i): TrackEvent => {
    const at = new Date(e.occurredAt);
    if (Number.isNaN(at.getTime())) problems.push({ path: `events.${i}.occurredAt`, message: 'is not a valid date' });
    else if (at.getTime() > nowMs + TRACK_LIMITS.maxFutureSkewMs)
      problems.push({ path: `events.${i}.occurredAt`, message: 'is in the future' });
    else if (at.getTime() < nowMs - TRACK_LIMITS.maxAgeMs)
      problems.push({ path: `events.${i}.occurredAt`, message: 'is older than 30 days' });
    // Depth first, by a walk that stops at the limit: JSON.stringify recurses and would overflow on deep input.
    if (nestsDeeperThan(e.properties, TRACK_LIMITS.maxPropertiesDepth)) {
      problems.push({
        path: `events.${i}.properties`,
        message: `nests deeper than ${TRACK_LIMITS.maxPropertiesDepth} levels`,
      });
    } else {
      const size = Buffer.byteLength(JSON.stringify(e.properties), 'utf8');
      if (size > TRACK_LIMITS.maxPropertiesBytes)
        problems.push({
          path: `events.${i}.properties`,
          message: `is ${size} bytes of JSON; at most ${TRACK_LIMITS.maxPropertiesBytes}`,
        });
    }
    return { id: e.id, type: e.type, occurredAt: at, properties: e.properties };
  });
  if (problems.length > 0) throw invalid(problems);
  return events;
}

/**
 * Whether objects/arrays nest more than `limit` levels (the properties object itself is level 1). Iterative
 * with an explicit stack, and it never descends past the limit, so any input costs at most its size.
 */
export function nestsDeeperThan(root: unknown, limit: number): boolean {
  const stack: { value: unknown; level: number }[] = [{ value: root, level: 1 }];
  while (stack.length > 0) {
    const { value, level } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (level > limit) return true;
    for (const child of Object.values(value as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, level: level + 1 });
    }
  }
  return false;
}

function invalid(details: Problem[]) {
  return validationFailed(
    'body must be { events: [{ id, type, occurredAt, properties }] } with at most 100 events',
    details,
  );
}
