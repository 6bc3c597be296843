import { createHash } from 'node:crypto';
import type { IdCodec } from '../core/id-codec';
import type { Staff } from './wecom-corp';

/**
 * A corp's customer groups (客户群, wechat-api-wecom-ops.md §1). A member is a staff member (groupchat/get type 1)
 * or a customer slot of the corp (type 2: the slot's external_userid; strangers get a slot without relations, so
 * they have an external_userid as in WeChat but externalcontact/get knows them not). Members who leave are
 * removed: groupchat/get lists only current members.
 */
export interface GroupMember {
  /** Set for corp members (type 1). */
  staff: Staff | undefined;
  /** Customer slot for external members (type 2), -1 for staff. */
  slot: number;
  joinTime: number;
  /** groupchat/get join_scene: 1 invited directly, 2 through an invite link, 3 scanned the group QR code. */
  joinScene: 1 | 2 | 3;
  /** The corp member who invited (absent for QR joins). */
  invitor: Staff | undefined;
  nickname: string;
  /** The state of a 加入群聊 join-way, when one brought the member in. */
  state: string;
}

export interface GroupChat {
  index: number;
  chatId: string;
  name: string;
  owner: Staff;
  createTime: number;
  notice: string;
  admins: Staff[];
  members: GroupMember[];
  dismissed: boolean;
  /** Bumped on every member change; member_version / CurMemVer derive from it. */
  version: number;
}

export class GroupChatStore {
  readonly chats: GroupChat[] = [];

  constructor(private readonly codec: IdCodec) {}

  create(
    g: Omit<GroupChat, 'index' | 'chatId' | 'dismissed' | 'version' | 'members' | 'admins'> & { admins?: Staff[] },
  ): GroupChat {
    const index = this.chats.length;
    const chat: GroupChat = {
      ...g,
      index,
      chatId: this.codec.encode(index),
      admins: g.admins ?? [],
      members: [],
      dismissed: false,
      version: 1,
    };
    this.chats.push(chat);
    return chat;
  }

  /** A group by chat_id, dismissed ones included; undefined for ids that are not this corp's. */
  byChatId(chatId: unknown): GroupChat | undefined {
    if (typeof chatId !== 'string') return undefined;
    const i = this.codec.decode(chatId);
    return i >= 0 ? this.chats[i] : undefined;
  }

  /** groupchat/list status: 0 owner in the corp, 1 owner resigned and the group waits for inheritance. */
  static status(chat: GroupChat): 0 | 1 {
    return chat.owner.left ? 1 : 0;
  }

  /** The 32-hex member_version of groupchat/get, the same value the callbacks carry as CurMemVer. */
  static memberVersion(chat: GroupChat, version = chat.version): string {
    return createHash('md5').update(`${chat.chatId}:${version}`).digest('hex');
  }

  static memberOf(chat: GroupChat, m: { staff?: Staff; slot?: number }): GroupMember | undefined {
    return chat.members.find((x) => (m.staff ? x.staff === m.staff : x.staff === undefined && x.slot === m.slot));
  }
}
