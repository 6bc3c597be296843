import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import type { IdentityType as ConnectorIdentityType } from '../connectors/common/identity-types';
import type { IdentityType as StoredIdentityType } from '../src/storage/identity/identity-types';

/**
 * The layers of DESIGN §2, checked on the source text: the gateway never loads the emulator or the demo,
 * connectors know WeChat and not the core, and only `src/storage/` (with `migrations/`) knows the database: its
 * SQL, its driver, and which server it is talking to.
 */
const root = path.join(__dirname, '..');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...tsFiles(rel));
    else if (e.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

interface Import {
  specifier: string;
  /** `import('x')` at run time, as opposed to a static import / export / require. */
  dynamic: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/\b(?:from|import|require\()\s*['"]([^'"]+)['"]/g))
    found.push({ specifier: m[1]!, dynamic: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: m[1]!, dynamic: true });
  return found;
}

/** The repository folder an import lands in (`src`, `emulator`, …), or the package name for a bare specifier. */
function target(file: string, specifier: string): { folder?: string; pkg?: string } {
  if (!specifier.startsWith('.'))
    return { pkg: specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0] };
  const rel = path.relative(root, path.resolve(root, path.dirname(file), specifier)).split(path.sep);
  return { folder: rel[0] };
}

function violations(files: string[], bad: (file: string, imp: Import) => boolean): string[] {
  return files.flatMap((f) =>
    importsOf(f)
      .filter((imp) => bad(f, imp))
      .map((imp) => `${f} -> ${imp.specifier}`),
  );
}

const DRIVER_PACKAGES = new Set(['typeorm', 'mysql2', 'better-sqlite3']);

/** The code of a file without its comments, so prose about a route (`DELETE /customers/:id`) is not mistaken for SQL. */
function codeOf(file: string): string {
  return readFileSync(path.join(root, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** SQL text, or a statement run by hand: what a repository under src/storage/ holds instead. */
const SQL_PATTERNS: [string, RegExp][] = [
  ['SELECT … FROM', /\bSELECT\b[^;]*?\bFROM\b/],
  ['INSERT … INTO', /\bINSERT\s+(?:IGNORE\s+)?INTO\b/],
  ['UPDATE … SET', /\bUPDATE\s+[\w`"]+\s+SET\b/],
  ['DELETE FROM', /\bDELETE\s+FROM\b/],
  ['query(', /\.query\s*\(/],
  ['createQueryBuilder', /\bcreateQueryBuilder\b/],
];

/** Asking which server is behind the DataSource: the dialect objects (src/storage/dialect/) answer that. */
const DIALECT_PATTERNS: [string, RegExp][] = [
  ['dialect lookup', /\b(?:dialectFor|dialectOf|isMysql|serverFlavor|detectServer)\s*\(/],
  ['driver type', /\.options\.type\b/],
  ['SQL family', /\.family\s*[!=]==/],
];

function matches(files: string[], patterns: [string, RegExp][]): string[] {
  return files.flatMap((f) => {
    const code = codeOf(f);
    return patterns.filter(([, re]) => re.test(code)).map(([name]) => `${f}: ${name}`);
  });
}

/** Imports of the database packages or of storage's own driver and dialect folders. */
function reachesDriver(file: string, imp: Import): boolean {
  if (DRIVER_PACKAGES.has(target(file, imp.specifier).pkg ?? '')) return true;
  if (!imp.specifier.startsWith('.')) return false;
  const rel = path
    .relative(root, path.resolve(root, path.dirname(file), imp.specifier))
    .split(path.sep)
    .join('/');
  return rel.startsWith('src/storage/driver') || rel.startsWith('src/storage/dialect');
}

/**
 * What src/storage/ may import besides itself, packages, config/ and migrations/: the error base every module's
 * typed errors extend, so the one error middleware maps storage's too (CONVENTIONS: one place maps errors to HTTP).
 */
const BELOW_STORAGE = ['src/errors/'];

/** An import from src/storage/ that reaches up into a core module (types included) or into connectors/. */
function reachesAboveStorage(file: string, imp: Import): boolean {
  if (!imp.specifier.startsWith('.')) return false;
  const rel = path
    .relative(root, path.resolve(root, path.dirname(file), imp.specifier))
    .split(path.sep)
    .join('/');
  if (rel.startsWith('connectors/')) return true;
  if (!rel.startsWith('src/') || rel.startsWith('src/storage/')) return false;
  return !BELOW_STORAGE.some((dir) => rel.startsWith(dir));
}

/** true when A and B are the same set of values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('layering (DESIGN §2)', () => {
  const src = tsFiles('src');
  const connectors = tsFiles('connectors');

  it('src/ never imports emulator/ or demo/; only a CLI command loads them, at run time', () => {
    const bad = violations(src, (f, imp) => {
      const { folder } = target(f, imp.specifier);
      if (folder !== 'emulator' && folder !== 'demo') return false;
      return !(imp.dynamic && f.startsWith('src/cli/commands/'));
    });
    expect(bad).toEqual([]);
  });

  it('connectors/ never import src/, emulator/ or demo/', () => {
    const bad = violations(connectors, (f, imp) =>
      ['src', 'emulator', 'demo'].includes(target(f, imp.specifier).folder ?? ''),
    );
    expect(bad).toEqual([]);
  });

  it('connectors/ never import the database driver or TypeORM', () => {
    const bad = violations(connectors, (f, imp) => DRIVER_PACKAGES.has(target(f, imp.specifier).pkg ?? ''));
    expect(bad).toEqual([]);
  });

  const outsideStorage = src.filter((f) => !f.startsWith('src/storage/'));

  it('outside src/storage/, no file imports the driver, TypeORM, storage/driver/ or storage/dialect/', () => {
    expect(violations(outsideStorage, reachesDriver)).toEqual([]);
  });

  it('outside src/storage/, no file holds SQL text or runs a statement itself', () => {
    expect(matches(outsideStorage, SQL_PATTERNS)).toEqual([]);
  });

  it('outside src/storage/, no file branches on the database server', () => {
    expect(matches(outsideStorage, DIALECT_PATTERNS)).toEqual([]);
  });

  it('src/storage/ imports no src/ module above it (type imports included) and nothing of connectors/', () => {
    const storage = src.filter((f) => f.startsWith('src/storage/'));
    expect(violations(storage, reachesAboveStorage)).toEqual([]);
  });

  it("storage's identity types are the connectors' identity types (a type error here when the two sets differ)", () => {
    const same: Same<StoredIdentityType, ConnectorIdentityType> = true;
    expect(same).toBe(true);
  });

  it('the checks see what they look for: storage imports the driver, holds SQL and branches on the server', () => {
    expect(importsOf('src/storage/data-source.ts').some((imp) => imp.specifier === 'typeorm')).toBe(true);
    expect(matches(['src/storage/h5/oauth-used-state.repository.ts'], SQL_PATTERNS)).not.toEqual([]);
    expect(matches(['src/storage/driver/pool-statements.ts'], DIALECT_PATTERNS)).not.toEqual([]);
    expect(codeOf('src/storage/sql.ts')).not.toMatch(/Anything raw SQL can run on/);
    const up = (specifier: string) =>
      reachesAboveStorage('src/storage/tags/outbox.repository.ts', { specifier, dynamic: false });
    expect([up('../../tags/outbox/outbox-types'), up('../../../connectors/common/identity-types')]).toEqual([
      true,
      true,
    ]);
    expect([up('./outbox.types'), up('../../errors/domain-error'), up('../../../config')]).toEqual([
      false,
      false,
      false,
    ]);
    expect(importsOf('src/cli/commands/emulator.command.ts')).toContainEqual({
      specifier: '../../../emulator/main',
      dynamic: true,
    });
  });
});
