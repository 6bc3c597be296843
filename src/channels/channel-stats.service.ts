import type { AppContext } from '../app-context';
import { customerNames } from '../customers/customer-names';
import { dateWindow, localDate } from '../overview/local-days';
import {
  channelCustomerCount,
  channelCustomers,
  channelDailyCounts,
  channelRetention,
  welcomeOutcomes,
} from '../storage/channels/channel-stats.repository';
import { channelInvalid } from './channel.errors';
import type { ChannelCustomersJson, ChannelStatsJson } from './channels-api.types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;
const DEFAULT_DAYS = 30;
const RETENTION_DAYS = [1, 7, 30] as const;

const validDate = (s: string): boolean => {
  const t = Date.parse(`${s}T00:00:00Z`);
  return DATE.test(s) && !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
};
const shift = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A channel's numbers (DESIGN §10.2, §13), every count done by the database: per local day (`server.timezone`) the
 * customers it brought for the first time (`new`), those who came through it again (`returning`), the losses of the
 * customers it first brought (`lost`) and `net` = new − lost; 1/7/30-day retention of the window's new customers;
 * the welcome messages' outcomes.
 */
export class ChannelStatsService {
  constructor(private readonly deps: Pick<AppContext, 'ds' | 'config' | 'now'>) {}

  async stats(channelId: string, q: { from?: string; to?: string }): Promise<ChannelStatsJson> {
    const zone = this.deps.config.server.timezone;
    const today = localDate(this.deps.now(), zone);
    for (const [k, v] of Object.entries(q))
      if (v !== undefined && !validDate(v)) throw channelInvalid(`${k} must be a date YYYY-MM-DD`, { field: k });
    const to = q.to ?? (q.from ? shift(q.from, DEFAULT_DAYS - 1) : today);
    const from = q.from ?? shift(to, 1 - DEFAULT_DAYS);
    if (from > to) throw channelInvalid('from must not be after to');
    if (shift(from, MAX_DAYS) <= to) throw channelInvalid(`at most ${MAX_DAYS} days per request`);
    const window = dateWindow(from, to, zone);
    const span = { from: new Date(window.start), to: new Date(window.end) };
    const [counts, retention, welcome, customers] = await Promise.all([
      channelDailyCounts(this.deps.ds, channelId, window.spans),
      channelRetention(this.deps.ds, channelId, span, RETENTION_DAYS, new Date(this.deps.now())),
      welcomeOutcomes(this.deps.ds, channelId, span),
      channelCustomerCount(this.deps.ds, channelId),
    ]);
    const byDay = new Map(window.dates.map((d) => [d, { date: d, new: 0, returning: 0, lost: 0, net: 0 }]));
    for (const c of counts) {
      const day = byDay.get(c.date);
      if (day) day[c.kind] = c.n;
    }
    for (const d of byDay.values()) d.net = d.new - d.lost;
    return {
      channelId,
      from,
      to,
      timezone: zone,
      days: [...byDay.values()],
      retention: { d1: retention.get(1) ?? null, d7: retention.get(7) ?? null, d30: retention.get(30) ?? null },
      welcome: { sent: welcome.sent ?? 0, failed: welcome.failed ?? 0, expired: welcome.expired ?? 0 },
      customers,
    };
  }

  /** The customers the channel brought, newest first, named as everywhere (best-known name). */
  async customers(channelId: string, limit: number, cursor?: string): Promise<ChannelCustomersJson> {
    let before: { firstAt: Date; customerId: string } | undefined;
    if (cursor !== undefined) {
      const m = /^(\d{1,15})_([\w-]{1,36})$/.exec(cursor);
      if (!m) throw channelInvalid('cursor is not valid', { field: 'cursor' });
      before = { firstAt: new Date(Number(m[1])), customerId: m[2]! };
    }
    const rows = await channelCustomers(this.deps.ds, channelId, limit + 1, before);
    const page = rows.slice(0, limit);
    const names = await customerNames(
      this.deps.ds,
      page.map((r) => ({ id: r.customerId })),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        customerId: r.customerId,
        name: names.get(r.customerId)?.name ?? r.customerId,
        firstAt: r.firstAt.toISOString(),
        lastAt: r.lastAt.toISOString(),
        touches: r.touches,
      })),
      nextCursor: rows.length > limit && last ? `${last.firstAt.getTime()}_${last.customerId}` : null,
    };
  }
}
