import type { Staff } from './wecom-corp';

/**
 * A corp's contact ways (「联系我」/ 渠道活码, wechat-api-wecom-ops.md §3) and the welcome codes handed out when a
 * customer adds a member through one (§4): each code is good once, for 20 s after the event; what was sent with
 * it is kept so tests can read it.
 */
export interface ContactWay {
  configId: string;
  /** 1 single member, 2 several members. */
  type: 1 | 2;
  /** 1 inside a mini program, 2 QR code. */
  scene: 1 | 2;
  style: number | undefined;
  remark: string;
  skipVerify: boolean;
  state: string;
  user: string[];
  party: number[];
  /** Only for scene 2. */
  qrCode: string | undefined;
  createdAt: number;
  /** Adds through this way, for the round robin over its members. */
  adds: number;
}

export interface WelcomeCode {
  code: string;
  userid: string;
  externalUserId: string;
  issuedAt: number;
  /** The add event's time in ms on the emulator clock: what a latency measurement starts from. */
  issuedAtMs: number;
  used: boolean;
}

export interface WelcomeSent {
  welcomeCode: string;
  userid: string;
  externalUserId: string;
  text: string | undefined;
  attachments: unknown[];
  sentAt: number;
  /** The add event and the send, in ms on the emulator clock. */
  eventAtMs: number;
  sentAtMs: number;
}

/** A welcome code lives this long after the add event (send_welcome_msg doc: "20秒内"). */
export const WELCOME_CODE_TTL = 20;
/** Contact ways a corp may create through the API (shared with group join-ways; 41045 beyond). */
export const CONTACT_WAY_QUOTA = 500_000;
/** Members a contact way may reach, departments expanded (41041 beyond). */
export const CONTACT_WAY_MAX_USERS = 100;

export class ContactWayStore {
  readonly ways = new Map<string, ContactWay>();
  readonly welcomeCodes = new Map<string, WelcomeCode>();
  readonly welcomesSent: WelcomeSent[] = [];
  /** Created ever: deleting a way does not give its quota back [choice]. */
  created = 0;

  /** The member an add through `way` reaches when none is named: round robin over the way's members. */
  static pick(way: ContactWay, members: Staff[]): Staff | undefined {
    return members.length === 0 ? undefined : members[way.adds % members.length];
  }
}
