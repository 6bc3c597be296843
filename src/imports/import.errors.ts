import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/**
 * Typed failures of imports and the events API (DESIGN §11): a request that cannot start (unknown source, bad
 * kind or mapping, a file that is not UTF-8 or GBK text) is a 422 before anything is written; an unknown import is
 * a 404. A bad row is never an error here: it is recorded with its line and the rest goes on.
 */
export const IMPORT_ERROR_STATUS = {
  NOT_FOUND: 404,
  VALIDATION_FAILED: 422,
  TOO_MANY_ITEMS: 413,
} as const satisfies ErrorStatusTable;

export type ImportErrorCode = keyof typeof IMPORT_ERROR_STATUS;

export class ImportError extends DomainError<ImportErrorCode> {
  readonly domain = 'imports';
}

export const importNotFound = (): ImportError => new ImportError('NOT_FOUND', 'import not found');
export const importInvalid = (message: string): ImportError => new ImportError('VALIDATION_FAILED', message);
