import { Readable } from 'stream';
import Router from '@koa/router';
import { isIdentityType } from '../../connectors/common/identity-types';
import type { EmulatorState } from '../state';
import { ownerOf, personTruth } from '../world/truth';
import { ControlError, notFound, queryInt, queryString } from './control-body';

/**
 * Ground truth for scoring identity resolution:
 *   GET /truth/persons/:id                              → { personId, phone, identities[] }
 *   GET /truth/owner?type=&scope=&value=               → { personId } (404 when nobody holds it)
 *   GET /truth/persons?from=&limit=                     → { total, items[], next } (paged, limit ≤ 10,000)
 *   GET /truth/export?from=&to=                         → NDJSON, one person per line, streamed
 */
const PAGE_MAX = 10_000;

export function truthRoutes(router: Router, state: EmulatorState): void {
  router.get('/truth/persons/:id', (ctx) => {
    const p = Number(ctx.params.id);
    if (!state.world.persons.exists(p)) throw notFound('person', ctx.params.id!);
    ctx.body = personTruth(state.world, p);
  });

  router.get('/truth/owner', (ctx) => {
    const type = queryString(ctx, 'type');
    const value = queryString(ctx, 'value');
    if (!isIdentityType(type)) throw new ControlError(400, 'INVALID_QUERY', 'type must be an identity type');
    if (!value) throw new ControlError(400, 'INVALID_QUERY', 'value is required');
    const personId = ownerOf(state.world, type, queryString(ctx, 'scope'), value);
    if (personId < 0) throw notFound('owner of', `${type} ${value}`);
    ctx.body = { personId };
  });

  router.get('/truth/persons', (ctx) => {
    const total = state.world.persons.count;
    const from = queryInt(ctx, 'from', 0);
    const limit = queryInt(ctx, 'limit', 1000, PAGE_MAX);
    const to = Math.min(total, from + limit);
    const items = [];
    for (let p = from; p < to; p++) items.push(personTruth(state.world, p));
    ctx.body = { total, items, next: to < total ? to : null };
  });

  router.get('/truth/export', (ctx) => {
    const w = state.world;
    const from = queryInt(ctx, 'from', 0);
    const to = Math.min(w.persons.count, queryInt(ctx, 'to', w.persons.count));
    async function* lines(): AsyncGenerator<string> {
      let chunk = '';
      for (let p = from; p < to; p++) {
        chunk += `${JSON.stringify(personTruth(w, p))}\n`;
        if (chunk.length > 64 * 1024) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    ctx.type = 'application/x-ndjson';
    ctx.body = Readable.from(lines());
  });
}
