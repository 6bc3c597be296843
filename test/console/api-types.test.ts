import { existsSync, readFileSync } from 'fs';
import path from 'path';

const root = path.join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

/** Response shapes the console declares itself instead of importing the server's: none. */
const STILL_LOCAL: string[] = [];

/** The gateway's type-only files the console imports (`src/<name>.ts`). */
const CONSOLE_SHARED = [
  'attributes/attributes-api.types',
  'audit/audit-api.types',
  'auth/auth-api.types',
  'channels/channels-api.types',
  'customers/customers-api.types',
  'groups/groups-api.types',
  'identity/identity-api.types',
  'inbox/inbox-api.types',
  'operators/operators-api.types',
  'overview/overview-api.types',
  'privacy/consents-api.types',
  'staff/staff-api.types',
  'syncs/syncs-api.types',
  'tags/outbox/outbox-api.types',
  'tags/segments/rule-types',
  'tags/segments/segments-api.types',
  'tags/tags-api.types',
  'transfers/transfers-api.types',
  'webhooks/webhooks-api.types',
];

/**
 * The pages compile against the server's own response types (`npm run typecheck` runs vue-tsc over them); this
 * keeps the hand-written duplicates from coming back and every `@server` import pointing at a type-only file.
 */
describe('API types shared by the gateway and the pages', () => {
  const imports = (source: string): string[] => [...source.matchAll(/from '@server\/([^']+)'/g)].map((m) => m[1]!);

  it('the console declares no response shape the server already types', () => {
    const types = read('web/console/src/api/types.ts');
    const local = [...types.matchAll(/^export interface (\w+)/gm)].map((m) => m[1]!).sort();
    expect(local).toEqual(STILL_LOCAL);
    expect(imports(types).sort()).toEqual(CONSOLE_SHARED);
  });

  it('the sidebar reads its JSON types from the server', () => {
    expect(imports(read('web/sidebar/src/sidebar-api.ts'))).toEqual([
      'sidebar/sidebar-api.types',
      'sidebar/sidebar-api.types',
    ]);
  });

  it('each shared file exists and imports only other type files (the browser build cannot load server code)', () => {
    const files = new Set([...CONSOLE_SHARED, 'sidebar/sidebar-api.types']);
    for (const f of files) {
      const file = `src/${f}.ts`;
      expect([file, existsSync(path.join(root, file))]).toEqual([file, true]);
      const deps = [...read(file).matchAll(/^import (type )?.*from '([^']+)';/gm)].map((m) => [m[1] === 'type ', m[2]]);
      for (const [typeOnly, dep] of deps) expect([file, dep, typeOnly]).toEqual([file, dep, true]);
    }
  });
});
