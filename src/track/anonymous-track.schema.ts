import type { SiyuConfig } from '../../config';
import { FrontDoorError } from '../h5/front-door.errors';
import { validationFailed } from '../http/http-error';
import { parseTrackBatch, type TrackEvent } from './track.schema';

/** An anonymous id as a browser or Mini Program makes one (a UUID, a nanoid…): 8 to 64 URL-safe characters. */
const ANONYMOUS_ID = /^[A-Za-z0-9._:-]{8,64}$/;
/** The scope of an anonymous id a page sends without naming its app (DESIGN §4). */
export const WEB_SCOPE = 'web';

export interface AnonymousBatch {
  anonymousId: string;
  /** The H5 (OA) or Mini Program appid the visitor is on, or `web`. */
  scope: string;
  /** Which timeline channel the events go to: an MP appid's are Mini Program behaviour, the rest H5. */
  channel: 'h5' | 'mp';
  events: TrackEvent[];
}

/** Whether `v` is a well-formed anonymous id (also used by the logins that carry one). */
export function isAnonymousId(v: unknown): v is string {
  return typeof v === 'string' && ANONYMOUS_ID.test(v);
}

/**
 * `POST /track` without a login (DESIGN §11): `{ anonymousId, appId?, events }`; the events as a signed-in batch
 * is checked (parseTrackBatch), the id and app here. A 422 names each bad field.
 */
export function parseAnonymousBatch(body: unknown, config: SiyuConfig, nowMs: number): AnonymousBatch {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw validationFailed('body must be { anonymousId, appId?, events }', [
      { path: '(body)', message: 'not an object' },
    ]);
  const { anonymousId, appId, ...rest } = body as Record<string, unknown>;
  // Neither a login nor an anonymous id: the call is a signed-in client's that lost its session.
  if (anonymousId === undefined)
    throw new FrontDoorError(
      'SESSION_REQUIRED',
      'sign in first (Bearer token from /mp/:appId/login or the H5 session cookie), or send an anonymousId',
    );
  if (!isAnonymousId(anonymousId))
    throw validationFailed('anonymousId must be 8 to 64 letters, digits or . _ : -', [
      { path: 'anonymousId', message: 'missing or malformed' },
    ]);
  let scope = WEB_SCOPE;
  let channel: 'h5' | 'mp' = 'h5';
  if (appId !== undefined) {
    const account = config.accounts.find(
      (a) => (a.kind === 'official-account' || a.kind === 'mini-program') && a.appId === appId,
    );
    if (!account)
      throw validationFailed('appId must be a configured Official Account (H5) or Mini Program', [
        { path: 'appId', message: 'not a configured app' },
      ]);
    scope = appId as string;
    channel = account.kind === 'mini-program' ? 'mp' : 'h5';
  }
  return { anonymousId, scope, channel, events: parseTrackBatch(rest, nowMs) };
}
