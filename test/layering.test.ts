import { readdirSync, readFileSync } from 'fs';
import path from 'path';

/**
 * The layers of DESIGN §2, checked on the import statements: the gateway never loads the emulator or the demo,
 * connectors know WeChat and not the core, and only `src/storage/` knows the database driver.
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

/**
 * Files outside `src/storage/` that still import the driver or TypeORM. SQL is moving into storage; this list may
 * only shrink: a file that stops importing them must leave it, and no file may join it.
 */
const DRIVER_IMPORTERS_OUTSIDE_STORAGE: string[] = [];

const DRIVER_PACKAGES = new Set(['typeorm', 'mysql2', 'better-sqlite3']);

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

  it('outside src/storage/, only the listed files import the driver or TypeORM, and each listed file still does', () => {
    const importers = new Set(
      src.filter(
        (f) =>
          !f.startsWith('src/storage/') &&
          importsOf(f).some((imp) => DRIVER_PACKAGES.has(target(f, imp.specifier).pkg ?? '')),
      ),
    );
    const allowed = new Set(DRIVER_IMPORTERS_OUTSIDE_STORAGE);
    expect({
      newImporters: [...importers].filter((f) => !allowed.has(f)),
      noLongerImporting: [...allowed].filter((f) => !importers.has(f)),
    }).toEqual({
      newImporters: [],
      noLongerImporting: [],
    });
  });

  it('the checks see imports: storage itself imports the driver, and the CLI loads the emulator', () => {
    expect(importsOf('src/storage/data-source.ts').some((imp) => imp.specifier === 'typeorm')).toBe(true);
    expect(importsOf('src/cli/commands/emulator.command.ts')).toContainEqual({
      specifier: '../../../emulator/main',
      dynamic: true,
    });
  });
});
