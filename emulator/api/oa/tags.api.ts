import { WxError } from '../../core/wx-error';
import type { Endpoint } from '../../http/endpoint';
import { audienceOf } from './user.api';

/**
 * OA tag library: create / get / update / delete; the rules live in world/oa-tags.ts.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html
 */
const OA_TAGS = { product: 'oa', auth: 'app', appKinds: ['official-account'] } as const;

function tagOf(body: Record<string, unknown>): Record<string, unknown> {
  const tag = body.tag;
  if (!tag || typeof tag !== 'object' || Array.isArray(tag)) throw new WxError(47001);
  return tag as Record<string, unknown>;
}

/** POST /cgi-bin/tags/create {"tag":{"name"}} → {"tag":{"id","name"}} */
const create: Endpoint = {
  ...OA_TAGS,
  path: '/cgi-bin/tags/create',
  method: 'POST',
  handle(call) {
    const t = audienceOf(call).tags.create(tagOf(call.body()).name);
    return { tag: { id: t.id, name: t.name } };
  },
};

/** GET /cgi-bin/tags/get → {"tags":[{"id","name","count"}]} (count = fans under the tag). */
const get: Endpoint = {
  ...OA_TAGS,
  path: '/cgi-bin/tags/get',
  method: 'ANY',
  handle(call) {
    const tags = [...audienceOf(call).tags.tags.values()].map((t) => ({
      id: t.id,
      name: t.name,
      count: t.members.count,
    }));
    return { tags };
  },
};

/** POST /cgi-bin/tags/update {"tag":{"id","name"}} */
const update: Endpoint = {
  ...OA_TAGS,
  path: '/cgi-bin/tags/update',
  method: 'POST',
  handle(call) {
    const tag = tagOf(call.body());
    audienceOf(call).tags.update(tag.id, tag.name);
    return { errcode: 0, errmsg: 'ok' };
  },
};

/** POST /cgi-bin/tags/delete {"tag":{"id"}} — 45057 above 100,000 fans. */
const remove: Endpoint = {
  ...OA_TAGS,
  path: '/cgi-bin/tags/delete',
  method: 'POST',
  handle(call) {
    audienceOf(call).tags.delete(tagOf(call.body()).id);
    return { errcode: 0, errmsg: 'ok' };
  },
};

export const tagEndpoints: Endpoint[] = [create, get, update, remove];
