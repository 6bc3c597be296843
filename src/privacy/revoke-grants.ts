/**
 * What each withdrawn grant (`RevokeInfo`, wechat-api-events.md §1.2) gave Siyu, so a revocation removes that and
 * nothing more (DESIGN §12). Grants Siyu never stored from (microphone, camera, Bluetooth, chosen files, address,
 * invoice details, …) are recorded and change nothing.
 */
export type GrantData = 'phone' | 'profile' | 'location' | 'identity' | 'nothing-stored';

const GRANTS: ReadonlyMap<string, GrantData> = new Map([
  // Mini Program: 8 phone number; 6 nickname and avatar, 19 nickname keyboard, 20 avatar component; 13 location,
  // 18 chosen location. 2 address and 3 invoice info are never stored by Siyu.
  ['8', 'phone'],
  ['6', 'profile'],
  ['19', 'profile'],
  ['20', 'profile'],
  ['13', 'location'],
  ['18', 'location'],
  // OA web authorisation: 205 nickname and avatar, 206 location (201 address, 202 invoice never stored).
  ['205', 'profile'],
  ['206', 'location'],
  // Open-platform app: 301 the user withdrew every grant of the app.
  ['301', 'identity'],
]);

export function grantData(revokeInfo: string | undefined): GrantData {
  return (revokeInfo !== undefined && GRANTS.get(revokeInfo)) || 'nothing-stored';
}
