import type { WecomClient } from '../../connectors/wecom/client';
import { FrontDoorError, frontDoorErrorOf } from './front-door.errors';

/**
 * A WeCom login code (Web login or OAuth `snsapi_base`) turned into who signed in, through `auth/getuserinfo`
 * (https://developer.work.weixin.qq.com/document/path/91023). `again` tells the person where to start over.
 */
export async function wecomUserOfCode(client: WecomClient, code: unknown, again: string) {
  if (typeof code !== 'string' || code === '')
    throw new FrontDoorError('AUTHORIZATION_DECLINED', `WeCom sent no login code; ${again}`);
  if (code.length > 512) throw new FrontDoorError('INVALID_CODE', `the login code is invalid; ${again}`);
  try {
    return await client.identity.getUserInfoByCode(code);
  } catch (e) {
    throw frontDoorErrorOf(e, 'login');
  }
}
