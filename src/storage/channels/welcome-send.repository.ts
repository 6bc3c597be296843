import type { WelcomeSendStatus } from '../entities/welcome-send.entity';
import { type Db, execute, insertIgnore, toDbTime } from '../sql';

export interface WelcomeClaim {
  welcomeCode: string;
  channelId: string;
  corpId: string;
  staffUserid: string;
  externalUserid: string;
  eventAt: Date;
}

/**
 * Inserts the code's row with `status`; false when a row is there already (another instance claimed it, or a
 * WeChat retry of the callback): the unique code makes a send happen once across instances.
 */
export async function claimWelcome(
  db: Db,
  c: WelcomeClaim,
  status: Extract<WelcomeSendStatus, 'sending' | 'expired'>,
  holder: string,
  now: Date,
): Promise<boolean> {
  const at = toDbTime(now);
  return (
    (await insertIgnore(db, 'welcome_sends', [
      {
        welcome_code: c.welcomeCode,
        channel_id: c.channelId,
        corp_id: c.corpId,
        staff_userid: c.staffUserid,
        external_userid: c.externalUserid,
        event_at: toDbTime(c.eventAt),
        status,
        holder,
        created_at: at,
        updated_at: at,
      },
    ])) > 0
  );
}

/** The outcome of a claimed send. */
export async function finishWelcome(
  db: Db,
  welcomeCode: string,
  outcome: { status: Exclude<WelcomeSendStatus, 'sending'>; errcode?: number | null; error?: string },
  now: Date,
): Promise<void> {
  const at = toDbTime(now);
  await execute(
    db,
    'UPDATE welcome_sends SET status = ?, errcode = ?, error = ?, sent_at = ?, updated_at = ? WHERE welcome_code = ?',
    [
      outcome.status,
      outcome.errcode ?? null,
      outcome.error?.slice(0, 255) ?? null,
      outcome.status === 'sent' ? at : null,
      at,
      welcomeCode,
    ],
  );
}
