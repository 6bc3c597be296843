import type { EmulatorState } from '../state';
import type { OaAudience } from '../world/oa-audience';
import type { WecomCorp } from '../world/wecom-corp';
import { notFound } from './control-body';

/** The corp a control route names, else 404. */
export function corpOf(state: EmulatorState, corpId: string): WecomCorp {
  const corp = state.world.corp(corpId);
  if (!corp) throw notFound('corp', corpId);
  return corp;
}

/** The official account a control route names, else 404. */
export function oaAudienceOf(state: EmulatorState, appId: string): OaAudience {
  const aud = state.world.oaApp(appId);
  if (!aud) throw notFound('official account', appId);
  return aud;
}
