import type { ChannelKind } from '../storage/entities/channel.entity';

/** A channel as the API answers it (DESIGN §13), shared with the console. */
export interface ChannelJson {
  id: string;
  name: string;
  kind: ChannelKind;
  accountId: string;
  /** The OA QR image (`showqrcode?ticket=`) or the contact way's qr_code. */
  qrUrl: string | null;
  /** OA only: the scene_str WeChat echoes on a scan. */
  scene?: string;
  /** WeCom only: the contact way's state and config_id. */
  state?: string;
  configId?: string;
  permanent: boolean;
  expiresAt: string | null;
  staffUserIds?: string[];
  skipVerify?: boolean;
  tagIds: string[];
  welcome: { text: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelListJson {
  items: ChannelJson[];
  nextCursor: string | null;
}

/** `GET /api/v1/channels/:id/stats?from=&to=` (DESIGN §13), plus the welcome messages' outcomes. */
export interface ChannelStatsJson {
  channelId: string;
  from: string;
  to: string;
  timezone: string;
  days: { date: string; new: number; returning: number; lost: number; net: number }[];
  /** Shares 0..1; null while no customer of the window is that many days old. */
  retention: { d1: number | null; d7: number | null; d30: number | null };
  welcome: { sent: number; failed: number; expired: number };
  /** Live customers the channel ever brought. */
  customers: number;
}

/** `GET /api/v1/channels/:id/customers`: the customers a channel brought, newest first. */
export interface ChannelCustomersJson {
  items: { customerId: string; name: string; firstAt: string; lastAt: string; touches: number }[];
  nextCursor: string | null;
}
