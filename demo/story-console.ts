import type { OperatorJson } from '../src/operators/operators-api.types';
import type { DemoWorld } from './demo-world';
import type { StoryPerson } from './story-callbacks';

/** Who the printed console URL signs in as. */
export interface ConsoleFacts {
  url: string;
  operatorName: string;
  userid: string;
}

/**
 * Makes the story's staff member an admin operator (DESIGN §7.1), as an admin would with
 * `siyu operator add --corp … --userid … --role admin`, so the printed `/console/login` URL signs them in with one
 * click on 使用企业微信登录: the emulator's WeCom Web login answers as the sticky visitor prepareSidebar set.
 */
export async function prepareConsole(w: DemoWorld, person: StoryPerson): Promise<ConsoleFacts> {
  const corpId = w.apps.corps[0]!.corpId;
  const o = await w.api.post<OperatorJson>('/operators', { corpId, userid: person.staffUserid, role: 'admin' });
  return { url: `${w.gateway.url}/console/login`, operatorName: o.name, userid: person.staffUserid };
}
