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
