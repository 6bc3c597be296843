import type { IdentityRef } from '../../connectors/common/identity-types';

/** One emulator person as `/_emulator/truth/export` describes them. */
export interface PersonTruth {
  personId: number;
  phone: string | null;
  identities: IdentityRef[];
}

/** Streams the emulator's ground truth (NDJSON, one person per line). */
export async function loadTruth(emulatorUrl: string): Promise<PersonTruth[]> {
  const res = await fetch(`${emulatorUrl}/_emulator/truth/export`);
  if (!res.ok || !res.body) throw new Error(`truth export → ${res.status}`);
  const persons: PersonTruth[] = [];
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) if (l) persons.push(JSON.parse(l) as PersonTruth);
  }
  if (rest.trim()) persons.push(JSON.parse(rest) as PersonTruth);
  return persons;
}
