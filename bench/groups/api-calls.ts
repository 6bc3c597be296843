import { call } from '../identity/http';

/** Clears the emulator's per-API call counters. */
export async function resetCounters(emu: string): Promise<void> {
  await fetch(`${emu}/_emulator/counters`, { method: 'DELETE' });
}

/** groupchat/list and groupchat/get calls the emulator counted since the last reset, and their errors. */
export async function apiCalls(emu: string): Promise<{ list: number; get: number; errors: number }> {
  const { counters } = await call<{ counters: Record<string, { calls: number; ok: number }> }>(
    `${emu}/_emulator/counters`,
  );
  const of = (suffix: string) =>
    Object.entries(counters)
      .filter(([api]) => api.endsWith(suffix))
      .reduce((acc, [, c]) => ({ calls: acc.calls + c.calls, errors: acc.errors + c.calls - c.ok }), {
        calls: 0,
        errors: 0,
      });
  const list = of('/externalcontact/groupchat/list');
  const get = of('/externalcontact/groupchat/get');
  return { list: list.calls, get: get.calls, errors: list.errors + get.errors };
}
