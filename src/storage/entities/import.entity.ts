import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type ImportKind = 'customers' | 'orders' | 'events';
export type ImportFormat = 'csv' | 'ndjson';
export type ImportStatus = 'running' | 'done' | 'failed';

/** One bulk import (DESIGN §11): a file read row by row, with its progress counters. */
export interface ImportRow {
  id: string;
  kind: ImportKind;
  source: string;
  format: ImportFormat;
  status: ImportStatus;
  fileName: string | null;
  /** column → field, as the request gave it. */
  mapping: Record<string, string> | null;
  totalBytes: number;
  readBytes: number;
  readRows: number;
  writtenRows: number;
  failedRows: number;
  error: string | null;
  createdBy: string | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A row an import refused: its line in the file (1 = the header of a CSV) and why. */
export interface ImportErrorRow {
  id: string;
  importId: string;
  line: number;
  reason: string;
  raw: string | null;
}

export const ImportEntity = new EntitySchema<ImportRow>({
  name: 'Import',
  tableName: 'imports',
  columns: {
    id: col.id(),
    kind: col.key('kind', 16),
    source: col.key('source', 32),
    format: col.key('format', 8),
    status: col.key('status', 16),
    fileName: col.str('file_name', 255, true),
    mapping: col.json('mapping', true),
    totalBytes: col.count('total_bytes', { default: 0 }),
    readBytes: col.count('read_bytes', { default: 0 }),
    readRows: col.count('read_rows', { default: 0 }),
    writtenRows: col.count('written_rows', { default: 0 }),
    failedRows: col.count('failed_rows', { default: 0 }),
    error: col.str('error', 512, true),
    createdBy: col.key('created_by', 128, { nullable: true }),
    finishedAt: col.time('finished_at', true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  indices: [{ name: 'idx_imports_created', columns: ['createdAt'] }],
});

export const ImportErrorEntity = new EntitySchema<ImportErrorRow>({
  name: 'ImportError',
  tableName: 'import_errors',
  columns: {
    id: col.id(),
    importId: col.ref('import_id'),
    line: col.count('line'),
    reason: col.str('reason', 512),
    raw: col.text('raw', true),
  },
  indices: [{ name: 'idx_import_errors_import', columns: ['importId', 'line'] }],
});
