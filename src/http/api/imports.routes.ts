import { rm, writeFile } from 'fs/promises';
import { randomUUID } from 'crypto';
import { tmpdir } from 'os';
import { join } from 'path';
import type Router from '@koa/router';
import type { Services } from '../../services';
import { principalOf, requireRole } from '../../auth/api-key.middleware';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import { importInvalid } from '../../imports/import.errors';
import type { StartImport } from '../../imports/import.service';
import { readMultipart } from '../middleware/multipart-upload';
import { parseLimit } from './paging';

/** Largest uploaded file: imports are streamed, so this bounds disk, not memory. */
const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

function mappingOf(v: unknown): Record<string, string> | null {
  if (v === undefined || v === null || v === '') return null;
  let parsed: unknown = v;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v);
    } catch {
      throw importInvalid('mapping must be a JSON object { column: field }');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw importInvalid('mapping must be an object { column: field }');
  const out: Record<string, string> = {};
  for (const [k, f] of Object.entries(parsed)) {
    if (typeof f !== 'string') throw importInvalid(`mapping ${JSON.stringify(k)}: the field must be a string`);
    out[k] = f;
  }
  return out;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * `POST /api/v1/imports` (operator): multipart (`file`, `kind`, `source`, `mapping` JSON, `format` or the file's
 * extension) or JSON `{ kind, source, format, data, mapping? }` → 202 `{ id }`, the import going on in the
 * background; `GET /api/v1/imports/:id` its progress; `GET /api/v1/imports/:id/errors?cursor=&limit=` the refused
 * rows with their line and reason (DESIGN §11, §13).
 */
export function registerImportRoutes(router: Router, app: Services): void {
  const audit = new AuditLogWriter(app.ds);

  router.post('/imports', requireRole('operator'), async (ctx) => {
    const p = principalOf(ctx.state);
    let req: StartImport;
    if (ctx.is('multipart/form-data')) {
      const upload = await readMultipart(ctx.req, ctx.get('content-type'), {
        fileField: 'file',
        maxBytes: MAX_UPLOAD_BYTES,
      });
      if (!upload.file) throw importInvalid('send the file as the multipart part "file"');
      const f = upload.fields;
      const ext = /\.(csv|ndjson|jsonl)$/i.exec(upload.file.fileName ?? '')?.[1]?.toLowerCase();
      req = {
        kind: str(f.kind),
        source: str(f.source),
        format: f.format ?? (ext === 'jsonl' ? 'ndjson' : (ext ?? 'csv')),
        path: upload.file.path,
        fileName: upload.file.fileName,
        mapping: mappingOf(f.mapping),
        createdBy: `api:${p.name}`,
        removeWhenDone: true,
      };
    } else {
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      if (typeof body.data !== 'string' || body.data === '')
        throw importInvalid(
          'body must be { kind, source, format: "csv" | "ndjson", data, mapping? } or a multipart upload',
        );
      const path = join(tmpdir(), `siyu-upload-${randomUUID()}`);
      await writeFile(path, body.data, 'utf8');
      req = {
        kind: str(body.kind),
        source: str(body.source),
        format: str(body.format) || 'csv',
        path,
        fileName: null,
        mapping: mappingOf(body.mapping),
        createdBy: `api:${p.name}`,
        removeWhenDone: true,
      };
    }
    let started;
    try {
      started = await app.imports.start(req);
    } catch (err) {
      await rm(req.path, { force: true });
      throw err;
    }
    await audit.write({
      actor: p.name,
      role: p.role,
      action: 'import.start',
      targetType: 'import',
      targetId: started.import.id,
      details: { kind: started.import.kind, source: started.import.source, fileName: started.import.fileName },
    });
    ctx.status = 202;
    ctx.body = { id: started.import.id };
  });

  router.get('/imports/:id', requireRole('viewer'), async (ctx) => {
    ctx.body = await app.imports.get(ctx.params.id!);
  });

  router.get('/imports/:id/errors', requireRole('viewer'), async (ctx) => {
    const cursor = ctx.query.cursor;
    const after = typeof cursor === 'string' && /^\d{1,15}$/.test(cursor) ? Number(cursor) : 0;
    ctx.body = await app.imports.errors(ctx.params.id!, after, parseLimit(ctx.query.limit));
  });
}
