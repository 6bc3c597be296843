import type { StoryPerson } from './story-callbacks';
import type { DemoWorld } from './demo-world';

/** The customer group (客户群) of the story: the rep's group with the story person and two other WeChat users. */
export interface GroupFacts {
  corpId: string;
  chatId: string;
  name: string;
  members: number;
}

export const STORY_GROUP = '老客户福利群';

/**
 * The rep makes a customer group in WeCom (the emulator) with the story person, who joined by the group QR code,
 * and two people Siyu has not seen yet: the groups sync then reads it (DESIGN §10.1) and the profile, the
 * sidebar and the console list it.
 */
export async function makeStoryGroup(
  w: DemoWorld,
  person: StoryPerson,
  say: (line: string) => void,
): Promise<GroupFacts> {
  const corpId = w.apps.corps[0]!.corpId;
  const g = await w.control.post<{ chatId: string; members: unknown[] }>(`/wecom/${corpId}/groups`, {
    owner: person.staffUserid,
    name: STORY_GROUP,
    members: [{ externalUserId: person.externalUserId }, { stranger: 1 }, { stranger: 2 }],
    joinScene: 3,
  });
  say(`  WeCom: ${person.staffUserid} made the customer group ${STORY_GROUP} (${g.members.length} members)`);
  return { corpId, chatId: g.chatId, name: STORY_GROUP, members: g.members.length };
}
