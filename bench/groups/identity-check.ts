import type { DataSource } from '../../src/storage';
import { PhoneCrypto } from '../../src/security/phone-crypto';
import type { Apps } from '../identity/drive';
import { heldIdentities } from '../identity/held';
import { scoreIdentities, type IdentityScore } from '../identity/score';
import { loadTruth } from '../identity/truth';
import { BENCH_DATA_KEY } from '../shared/gateway-child';

/**
 * Identity precision and recall of the gateway's customers against the emulator's truth (identity/score.ts): the
 * bound apps are the OAs bound to the open platform and the corp; no phone was verified in this world.
 */
export async function scoreHeld(ds: DataSource, emu: string, apps: Apps): Promise<IdentityScore> {
  const truth = await loadTruth(emu);
  const held = await heldIdentities(ds);
  const phones = new PhoneCrypto(Buffer.from(BENCH_DATA_KEY, 'hex'));
  const bound = new Set([
    ...apps.officialAccounts.filter((a) => a.bound).map((a) => a.appId),
    ...apps.corps.map((c) => c.corpId),
  ]);
  return scoreIdentities(truth, held, { bound, verifiedPhones: new Set(), phoneKey: (p) => phones.hash(p) });
}
