import { call } from '../identity/http';

export interface Add {
  welcomeCode: string;
  /** The add's callback reached the gateway and was acknowledged. */
  acked: boolean;
  /** When the gateway's ack came back (ms, emulator clock): the callback's inbox row was committed by then. */
  ackAtMs: number | undefined;
}

interface WelcomeSent {
  welcomeCode: string;
  eventAtMs: number;
  sentAtMs: number;
}

/**
 * `count` customers add a member through the contact way, one every 1000/`rate` ms on a fixed schedule (a slow
 * answer never delays the next add): each is the emulator's add_external_contact callback with State and a
 * WelcomeCode, sent to the gateway as WeChat would.
 */
export async function paceAdds(emu: string, corpId: string, configId: string, count: number, rate: number) {
  const t0 = performance.now();
  const adds: Promise<Add>[] = [];
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    adds.push(
      call<{ welcomeCode: string; delivery?: { delivered?: boolean; attempts: { at: number; latencyMs: number }[] } }>(
        `${emu}/_emulator/wecom/${corpId}/contact-ways/${configId}/add`,
        { json: {} },
      ).then((r) => {
        const last = r.delivery?.attempts.at(-1);
        return {
          welcomeCode: r.welcomeCode,
          acked: r.delivery?.delivered === true,
          ackAtMs: last ? last.at + last.latencyMs : undefined,
        };
      }),
    );
  }
  const all = await Promise.all(adds);
  return { adds: all, sendMs: performance.now() - t0 };
}

/** What WeCom received through send_welcome_msg for these codes, from the emulator's record. */
export async function welcomesSent(emu: string, corpId: string, codes: ReadonlySet<string>): Promise<WelcomeSent[]> {
  const { sent } = await call<{ sent: WelcomeSent[] }>(`${emu}/_emulator/state/wecom/${corpId}/welcome-messages`);
  return sent.filter((s) => codes.has(s.welcomeCode));
}

/** Waits until every code is sent, or until the last one is past WeChat's 20 s (none can be sent after that). */
export async function awaitWelcomes(
  emu: string,
  corpId: string,
  codes: ReadonlySet<string>,
  lastEventAtMs: number,
  ttlMs: number,
): Promise<WelcomeSent[]> {
  for (;;) {
    const sent = await welcomesSent(emu, corpId, codes);
    if (sent.length >= codes.size || Date.now() > lastEventAtMs + ttlMs + 1_000) return sent;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
