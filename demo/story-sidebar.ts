import type { StoryPerson } from './story-callbacks';
import type { DemoWorld } from './demo-world';

/** Where the printed sidebar URL leads: the staff member who signs in and the customer in the open chat. */
export interface SidebarFacts {
  corpId: string;
  staffUserid: string;
  externalUserId: string;
  url: string;
}

/**
 * Readies the emulator so the printed `/sidebar` URL shows the story person in any desktop browser session: the
 * chat the WeCom client has open is the rep's chat with them (what `getCurExternalContact` answers), and every
 * visit to the authorize page signs in as that rep (a sticky visitor: the emulator's default would be the corp's
 * first member, who does not follow the story person and would rightly get 403).
 */
export async function prepareSidebar(w: DemoWorld, person: StoryPerson): Promise<SidebarFacts> {
  const corpId = w.apps.corps[0]!.corpId;
  await w.control.post(`/wecom/${corpId}/current-chat`, {
    userid: person.staffUserid,
    externalUserId: person.externalUserId,
    entry: 'single_chat_tools',
  });
  await w.control.post('/oauth/visitors', { appId: corpId, userid: person.staffUserid, sticky: true });
  return {
    corpId,
    staffUserid: person.staffUserid,
    externalUserId: person.externalUserId,
    url: `${w.gateway.url}/sidebar?corpId=${corpId}`,
  };
}
