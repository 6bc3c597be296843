import { createReadStream } from 'fs';
import { rm, stat } from 'fs/promises';
import { findSource, unionidScopes, unknownSourceMessage, type SiyuConfig } from '../../config';
import type { AppContext } from '../app-context';
import type { IdentityService } from '../identity/identity.service';
import type { PhoneCrypto } from '../security/phone-crypto';
import { retryingTransaction } from '../storage/conflict-retry';
import type { ImportFormat, ImportKind, ImportRow } from '../storage/entities/import.entity';
import {
  finishImport,
  findImport,
  insertImport,
  insertImportErrors,
  pageImportErrors,
  saveImportProgress,
  type ImportErrorRecord,
  type ImportProgress,
} from '../storage/imports/import.repository';
import type { BulkIdentityResolver } from '../syncs/identity/bulk-resolver';
import { importInvalid, importNotFound } from './import.errors';
import { parseField, readItem, type Field, type IngestItem, type ScopeDefaults } from './ingest-item';
import { definitionsByKey, IngestWriter } from './ingest-writer';
import { readRecords, UnreadableFileError } from './record-reader';
import type { ImportErrorPage, ImportJson } from './imports-api.types';

export const IMPORT_KINDS: readonly ImportKind[] = ['customers', 'orders', 'events'];
export const IMPORT_FORMATS: readonly ImportFormat[] = ['csv', 'ndjson'];
/** Rows per transaction: one bulk resolution, a few multi-row statements per table. */
const BATCH = 2000;
/** Refused rows kept per import; the count goes on past it. */
const MAX_STORED_ERRORS = 10_000;

export interface StartImport {
  kind: string;
  source: string;
  format: string;
  /** A file this service reads and, with `removeWhenDone`, deletes once read. */
  path: string;
  fileName: string | null;
  mapping: Record<string, string> | null;
  createdBy: string | null;
  removeWhenDone?: boolean;
  onProgress?: (p: ImportJson) => void;
}

export type ImportServiceDeps = Pick<AppContext, 'ds' | 'now' | 'logger'> & {
  config: SiyuConfig;
  identity: IdentityService;
  resolver: BulkIdentityResolver;
  phoneCrypto: PhoneCrypto;
};

export function importJson(r: ImportRow): ImportJson {
  const percent =
    r.status === 'done' ? 100 : r.totalBytes > 0 ? Math.min(99, Math.floor((r.readBytes / r.totalBytes) * 100)) : 0;
  return {
    id: r.id,
    kind: r.kind,
    source: r.source,
    format: r.format,
    fileName: r.fileName,
    status: r.status,
    read: r.readRows,
    written: r.writtenRows,
    failed: r.failedRows,
    percent,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Bulk imports (DESIGN §11): a file is checked up front (source, kind, format, mapping against the fields and the
 * attribute definitions), recorded as an import, then read as a stream in batches of rows, each batch written in
 * one transaction by the IngestWriter, the counters saved after each. A bad row goes to `import_errors` with its
 * line and reason and the rest goes on; a file that cannot be read at all ends the import `failed`.
 */
export class ImportService {
  private readonly writer: IngestWriter;
  private readonly running = new Map<string, Promise<ImportJson>>();
  private stopping = false;

  constructor(private readonly deps: ImportServiceDeps) {
    this.writer = new IngestWriter(deps);
  }

  /** Starts an import; `done` settles when it is over (the API does not wait, the CLI does). */
  async start(req: StartImport): Promise<{ import: ImportJson; done: Promise<ImportJson> }> {
    const kind = IMPORT_KINDS.find((k) => k === req.kind);
    if (!kind) throw importInvalid(`kind must be one of ${IMPORT_KINDS.join(', ')}`);
    const format = IMPORT_FORMATS.find((f) => f === req.format);
    if (!format) throw importInvalid(`format must be one of ${IMPORT_FORMATS.join(', ')}`);
    const source = findSource(this.deps.config, req.source);
    if (!source) throw importInvalid(unknownSourceMessage(this.deps.config, req.source));
    const definitions = await definitionsByKey(this.deps.ds);
    const mapping = req.mapping ?? {};
    const scopes: ScopeDefaults = { source: source.id, unionid: unionidScopes(this.deps.config) };
    for (const [column, field] of Object.entries(mapping)) {
      const f = parseField(field, scopes);
      if (typeof f === 'string') throw importInvalid(`mapping ${JSON.stringify(column)}: ${f}`);
      if (f.kind === 'identity' && f.type === 'external_id' && !findSource(this.deps.config, f.scope))
        throw importInvalid(`mapping ${JSON.stringify(column)}: ${JSON.stringify(f.scope)} is not a configured source`);
      if (f.kind === 'attribute' && !definitions.has(f.key))
        throw importInvalid(`mapping ${JSON.stringify(column)}: attribute ${JSON.stringify(f.key)} is not defined`);
    }
    const { size } = await stat(req.path);
    const now = new Date(this.deps.now());
    const id = await insertImport(
      this.deps.ds,
      {
        kind,
        source: source.id,
        format,
        fileName: req.fileName?.slice(0, 255) ?? null,
        mapping: req.mapping,
        totalBytes: size,
        createdBy: req.createdBy,
      },
      now,
    );
    const row = (await findImport(this.deps.ds, id))!;
    const done = this.run(row, { ...req, kind, format }, source, scopes, definitions).finally(() => {
      this.running.delete(id);
      if (req.removeWhenDone) void rm(req.path, { force: true });
    });
    this.running.set(id, done);
    return { import: importJson(row), done };
  }

  async get(id: string): Promise<ImportJson> {
    const r = /^\d{1,20}$/.test(id) ? await findImport(this.deps.ds, id) : undefined;
    if (!r) throw importNotFound();
    return importJson(r);
  }

  async errors(id: string, afterLine: number, limit: number): Promise<ImportErrorPage> {
    await this.get(id);
    const items = await pageImportErrors(this.deps.ds, id, afterLine, limit + 1);
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? String(page[page.length - 1]!.line) : null };
  }

  /**
   * Shutdown: imports being read stop after their current batch, marked failed (importing the file again
   * finishes it: rows already written change nothing).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private async run(
    row: ImportRow,
    req: StartImport & { kind: ImportKind; format: ImportFormat },
    source: NonNullable<ReturnType<typeof findSource>>,
    scopes: ScopeDefaults,
    definitions: Awaited<ReturnType<typeof definitionsByKey>>,
  ): Promise<ImportJson> {
    const { ds } = this.deps;
    const progress: ImportProgress = { readBytes: 0, readRows: 0, writtenRows: 0, failedRows: 0 };
    let storedErrors = 0;
    const fields = new Map<string, Field>();
    const fieldOf = (column: string): Field | undefined => {
      if (!fields.has(column)) {
        const f = parseField(req.mapping?.[column] ?? column, scopes);
        if (typeof f !== 'string') fields.set(column, f);
      }
      return fields.get(column);
    };
    const ctx = {
      source,
      evidence: `import#${row.id}`,
      attributeSource: 'import' as const,
      definitions,
      hint: { expectNew: true },
      skipDuplicateCheck: true,
    };
    const report = async () => {
      const r = await findImport(ds, row.id);
      if (r && req.onProgress) req.onProgress(importJson(r));
    };
    let batch: { line: number; raw: string; item: IngestItem }[] = [];
    let errors: ImportErrorRecord[] = [];
    const flush = async () => {
      const items = batch;
      batch = [];
      const results =
        items.length === 0
          ? []
          : await retryingTransaction(ds, (em) =>
              this.writer.write(
                em,
                items.map((b) => b.item),
                ctx,
                new Date(this.deps.now()),
              ),
            );
      results.forEach((r, i) => {
        if (r.status === 'invalid')
          errors.push({ line: items[i]!.line, reason: r.error ?? 'invalid', raw: items[i]!.raw });
        else progress.writtenRows++;
      });
      progress.failedRows += errors.length;
      const keep = errors.slice(0, Math.max(0, MAX_STORED_ERRORS - storedErrors));
      storedErrors += keep.length;
      errors = [];
      await insertImportErrors(ds, row.id, keep);
      await saveImportProgress(ds, row.id, progress, new Date(this.deps.now()));
      await report();
    };
    try {
      const input = createReadStream(req.path, { highWaterMark: 256 * 1024 });
      for await (const rec of readRecords(input, req.format, (n) => (progress.readBytes += n))) {
        progress.readRows++;
        if (!rec.record) {
          errors.push({ line: rec.line, reason: rec.error ?? 'unreadable row', raw: rec.raw });
        } else {
          const record: Record<string, unknown> = {};
          const known = new Map<string, Field>();
          for (const [k, v] of Object.entries(rec.record)) {
            const f = fieldOf(k);
            if (f) known.set(k, f);
            record[k] = v;
          }
          const item = readItem(record, known, req.kind);
          if (typeof item === 'string') errors.push({ line: rec.line, reason: item, raw: rec.raw });
          else batch.push({ line: rec.line, raw: rec.raw, item });
        }
        if (batch.length + errors.length >= BATCH) {
          await flush();
          if (this.stopping) throw new UnreadableFileError('stopped by a shutdown: import the file again to finish');
        }
      }
      await flush();
      await finishImport(ds, row.id, 'done', progress, null, new Date(this.deps.now()));
    } catch (err) {
      const message = err instanceof UnreadableFileError ? err.message : `import stopped: ${(err as Error).message}`;
      if (!(err instanceof UnreadableFileError)) this.deps.logger.error({ err, importId: row.id }, 'import failed');
      await finishImport(ds, row.id, 'failed', progress, message, new Date(this.deps.now()));
    }
    await report();
    return importJson((await findImport(ds, row.id))!);
  }
}
