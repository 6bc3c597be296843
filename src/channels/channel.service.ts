import { randomBytes } from 'crypto';
import { isWechatApiError } from '../../connectors/common/http/wechat-api-error';
import { showQrCodeUrl } from '../../connectors/official-account/client';
import { findAccountById } from '../../config';
import type { AppContext } from '../app-context';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { retryingTransaction } from '../storage/conflict-retry';
import {
  findChannel,
  insertChannel,
  markChannelDeleted,
  pageChannels,
  updateChannel,
  type ChannelChanges,
  type NewChannel,
} from '../storage/channels/channel.repository';
import type { ChannelRow } from '../storage/entities/channel.entity';
import { findTags } from '../storage/tags/tag.repository';
import type { Actor } from '../tags/tags-deps';
import type { Clients } from '../tokens/clients';
import { ChannelError, channelErrorOf, channelInvalid, channelNotFound } from './channel.errors';
import type { CreateChannelInput, UpdateChannelInput } from './channel-input.schema';
import type { ChannelJson, ChannelListJson } from './channels-api.types';

export type ChannelDeps = Pick<AppContext, 'ds' | 'config' | 'logger' | 'now'> & { clients: Clients };

/** A temporary OA code lives 30 days unless told otherwise (WeChat's maximum). */
const DEFAULT_EXPIRE_SECONDS = 2_592_000;

/**
 * The code WeChat echoes back: `ch_` + 12 random URL-safe characters, within the 30-character contact-way state
 * and the 64-character scene_str (DESIGN §10.2), unguessable so a foreign code never attributes to a channel.
 */
const newCode = (): string => `ch_${randomBytes(9).toString('base64url')}`;

export function channelJson(c: ChannelRow): ChannelJson {
  const oa = c.kind === 'oa-qrcode';
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    accountId: c.accountId,
    qrUrl: c.qrUrl,
    ...(oa ? { scene: c.code } : { state: c.code, configId: c.configId ?? '' }),
    permanent: c.permanent,
    expiresAt: c.expiresAt?.toISOString() ?? null,
    ...(oa ? {} : { staffUserIds: c.staffUserids ?? [], skipVerify: c.skipVerify }),
    tagIds: c.tagIds,
    welcome: c.welcomeText === null ? null : { text: c.welcomeText },
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/**
 * Channel codes (DESIGN §10.2): each is created, changed and deleted in WeChat first and only then stored, so a
 * WeChat refusal leaves nothing behind; a contact way whose row could not be stored is deleted again.
 */
export class ChannelService {
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: ChannelDeps) {
    this.audit = new AuditLogWriter(deps.ds);
  }

  async list(f: { accountId?: string; cursor?: string; limit: number }): Promise<ChannelListJson> {
    const rows = await pageChannels(
      this.deps.ds,
      {
        ...(f.accountId !== undefined ? { accountId: this.account(f.accountId, undefined).accountId } : {}),
        ...(f.cursor !== undefined ? { beforeId: f.cursor } : {}),
      },
      f.limit + 1,
    );
    const page = rows.slice(0, f.limit);
    return { items: page.map(channelJson), nextCursor: rows.length > f.limit ? page[page.length - 1]!.id : null };
  }

  async get(id: string): Promise<ChannelRow> {
    const c = await findChannel(this.deps.ds, id);
    if (!c) throw channelNotFound(id);
    return c;
  }

  async create(input: CreateChannelInput, actor: Actor): Promise<ChannelJson> {
    const { accountId, mpBase } = this.account(input.accountId, input.kind);
    await this.checkTags(input.tagIds ?? []);
    const now = new Date(this.deps.now());
    const code = newCode();
    const base = {
      name: input.name,
      kind: input.kind,
      accountId,
      code,
      tagIds: [...new Set(input.tagIds ?? [])],
      createdBy: actor.name,
    };
    let row: NewChannel;
    if (input.kind === 'oa-qrcode') {
      for (const k of ['staffUserIds', 'skipVerify', 'welcome'] as const)
        if (input[k] !== undefined) throw channelInvalid(`${k} applies to WeCom contact ways only`);
      const permanent = input.permanent ?? false;
      if (permanent && input.expireSeconds !== undefined)
        throw channelInvalid('a permanent QR code has no expireSeconds');
      const expireSeconds = permanent ? undefined : (input.expireSeconds ?? DEFAULT_EXPIRE_SECONDS);
      const ticket = await this.wechat('create the QR code', () =>
        this.deps.clients
          .oa(accountId)
          .qrcodes.createQrCode({ scene: code, ...(expireSeconds !== undefined ? { expireSeconds } : {}) }),
      );
      const lifetime = ticket.expireSeconds ?? expireSeconds;
      row = {
        ...base,
        configId: null,
        ticket: ticket.ticket,
        qrUrl: showQrCodeUrl(mpBase!, ticket.ticket),
        permanent,
        expireSeconds: lifetime ?? null,
        expiresAt: lifetime !== undefined ? new Date(now.getTime() + lifetime * 1000) : null,
        staffUserids: null,
        skipVerify: false,
        welcomeText: null,
      };
    } else {
      if (input.permanent === false || input.expireSeconds !== undefined)
        throw channelInvalid('a WeCom contact way does not expire: leave out permanent and expireSeconds');
      const staff = [...new Set(input.staffUserIds ?? [])];
      if (staff.length === 0) throw channelInvalid('staffUserIds: a contact way needs at least one member');
      const skipVerify = input.skipVerify ?? true;
      const way = await this.wechat('create the contact way', () =>
        this.deps.clients.wecom(accountId).contactWays.addContactWay({
          type: staff.length === 1 ? 1 : 2,
          scene: 2,
          state: code,
          user: staff,
          skipVerify,
          remark: [...input.name].slice(0, 30).join(''),
        }),
      );
      row = {
        ...base,
        configId: way.configId,
        ticket: null,
        qrUrl: way.qrCode ?? null,
        permanent: true,
        expireSeconds: null,
        expiresAt: null,
        staffUserids: staff,
        skipVerify,
        welcomeText: input.welcome?.text ?? null,
      };
    }
    try {
      const id = await retryingTransaction(this.deps.ds, async (m) => {
        const id = await insertChannel(m, row, now);
        await this.audit.write(
          {
            actor: actor.name,
            role: actor.role ?? null,
            action: 'channel.create',
            targetType: 'channel',
            targetId: id,
            details: { name: row.name, kind: row.kind, accountId, code, tagIds: row.tagIds },
          },
          m,
        );
        return id;
      });
      return channelJson(await this.get(id));
    } catch (err) {
      if (row.configId !== null) await this.dropContactWay(accountId, row.configId);
      throw err;
    }
  }

  async update(id: string, input: UpdateChannelInput, actor: Actor): Promise<ChannelJson> {
    const c = await this.get(id);
    const oa = c.kind === 'oa-qrcode';
    if (oa)
      for (const k of ['staffUserIds', 'skipVerify', 'welcome'] as const)
        if (input[k] !== undefined) throw channelInvalid(`${k} applies to WeCom contact ways only`);
    if (input.tagIds !== undefined) await this.checkTags(input.tagIds);
    const changes: ChannelChanges = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.tagIds !== undefined) changes.tagIds = [...new Set(input.tagIds)];
    if (input.welcome !== undefined) changes.welcomeText = input.welcome?.text ?? null;
    const staff = input.staffUserIds !== undefined ? [...new Set(input.staffUserIds)] : undefined;
    if (staff !== undefined) {
      // A way's type (single or several members) is fixed in WeChat: a single-member way stays single.
      if ((c.staffUserids?.length ?? 0) <= 1 && staff.length > 1)
        throw channelInvalid('a single-member contact way keeps one member; create a new channel for several');
      changes.staffUserids = staff;
    }
    if (input.skipVerify !== undefined) changes.skipVerify = input.skipVerify;
    if (!oa && (staff !== undefined || input.skipVerify !== undefined)) {
      await this.wechat('change the contact way', () =>
        this.deps.clients.wecom(c.accountId).contactWays.updateContactWay(c.configId!, {
          ...(staff !== undefined ? { user: staff } : {}),
          ...(input.skipVerify !== undefined ? { skipVerify: input.skipVerify } : {}),
        }),
      );
    }
    await retryingTransaction(this.deps.ds, async (m) => {
      await updateChannel(m, c.id, changes, new Date(this.deps.now()));
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'channel.update',
          targetType: 'channel',
          targetId: c.id,
          details: { ...input },
        },
        m,
      );
    });
    return channelJson(await this.get(c.id));
  }

  /**
   * Deletes the contact way in WeCom (one already gone there is fine), then marks the channel deleted. An OA QR
   * code cannot be deleted in WeChat: a temporary one expires, a permanent one keeps working but attributes nothing.
   */
  async remove(id: string, actor: Actor): Promise<void> {
    const c = await this.get(id);
    if (c.kind === 'wecom-contact-way' && c.configId !== null) {
      try {
        await this.deps.clients.wecom(c.accountId).contactWays.deleteContactWay(c.configId);
      } catch (err) {
        if (!isWechatApiError(err) || err.category !== 'NOT_FOUND') throw channelErrorOf(err, 'delete the contact way');
      }
    }
    await retryingTransaction(this.deps.ds, async (m) => {
      if (!(await markChannelDeleted(m, c.id, new Date(this.deps.now())))) throw channelNotFound(id);
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'channel.delete',
          targetType: 'channel',
          targetId: c.id,
          details: { name: c.name, kind: c.kind, accountId: c.accountId },
        },
        m,
      );
    });
  }

  /**
   * The code's QR image as WeChat serves it (`showqrcode` for an OA code: a PNG on the emulator; the contact way's
   * qr_code), fetched server-side so the console can offer it for download from its own origin.
   */
  async qrImage(id: string): Promise<{ type: string; body: Buffer; filename: string }> {
    const c = await this.get(id);
    if (!c.qrUrl) throw new ChannelError('NOT_FOUND', `channel ${id} has no QR image`);
    let res: Response;
    try {
      // One retry: a kept-alive connection the image host closed meanwhile fails the first request at once.
      res = await fetch(c.qrUrl, { signal: AbortSignal.timeout(10_000) }).catch(() =>
        fetch(c.qrUrl!, { signal: AbortSignal.timeout(10_000) }),
      );
    } catch (err) {
      const why = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      throw new ChannelError('WECHAT_UNAVAILABLE', `WeChat did not serve the QR image (${why})`, undefined, {
        cause: err,
      });
    }
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok || !type.startsWith('image/'))
      throw new ChannelError('WECHAT_UNAVAILABLE', `WeChat did not serve the QR image (HTTP ${res.status})`);
    const ext = type === 'image/png' ? 'png' : type === 'image/jpeg' ? 'jpg' : 'img';
    return { type, body: Buffer.from(await res.arrayBuffer()), filename: `channel-${c.id}.${ext}` };
  }

  /** The configured account an API accountId names (its admin id, appId or corpId), of the kind asked for. */
  private account(id: string, kind: ChannelRow['kind'] | undefined): { accountId: string; mpBase?: string } {
    const a =
      findAccountById(this.deps.config, id) ??
      this.deps.config.accounts.find((x) => ('appId' in x && x.appId === id) || ('corpId' in x && x.corpId === id));
    if (a?.kind === 'official-account' && kind !== 'wecom-contact-way') return { accountId: a.appId, mpBase: a.mpBase };
    if (a?.kind === 'wecom' && kind !== 'oa-qrcode') return { accountId: a.corpId };
    if (a && kind !== undefined)
      throw channelInvalid(
        `account ${id} is a ${a.kind} account; ${kind} needs ${kind === 'oa-qrcode' ? 'an official-account' : 'a wecom'} account`,
      );
    throw new ChannelError('ACCOUNT_NOT_FOUND', `no account ${id} is configured`);
  }

  private async checkTags(ids: readonly string[]): Promise<void> {
    const wanted = [...new Set(ids)];
    const found = new Set((await findTags(this.deps.ds, wanted)).map((t) => t.id));
    const unknown = wanted.filter((t) => !found.has(t));
    if (unknown.length > 0) throw channelInvalid(`unknown tag ids: ${unknown.join(', ')}`, { unknown });
  }

  private async wechat<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw channelErrorOf(err, what);
    }
  }

  /** Best effort: a contact way whose channel was not stored must not keep attributing to nothing. */
  private async dropContactWay(corpId: string, configId: string): Promise<void> {
    try {
      await this.deps.clients.wecom(corpId).contactWays.deleteContactWay(configId);
    } catch (err) {
      this.deps.logger.warn({ err, corpId, configId }, 'could not delete the contact way of a channel not stored');
    }
  }
}
