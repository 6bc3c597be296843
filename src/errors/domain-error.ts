/**
 * The statuses a domain error may answer with (DESIGN §8: bad input is a 4xx, never a 500; a busy database or a
 * token still being refreshed is a 503 the caller retries; WeChat failing is a 502, not our bug).
 */
export type HttpStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503;

/** Each module declares its codes and their status in one such table; its code type is the table's keys. */
export type ErrorStatusTable = { readonly [code: string]: HttpStatus };

/**
 * The modules whose errors reach HTTP. The error middleware switches over them exhaustively (CONVENTIONS: one
 * place maps errors to HTTP), so a new module here fails to compile until it is mapped.
 */
export type ErrorDomain =
  | 'http'
  | 'storage'
  | 'tokens'
  | 'syncs'
  | 'tags'
  | 'identity'
  | 'front-door'
  | 'sidebar'
  | 'channels'
  | 'attributes'
  | 'transfers'
  | 'webhooks'
  | 'imports'
  | 'operators';

/**
 * The one base of typed failures the core raises: a module-specific code (a string union), a message safe to
 * show for a 4xx, and optional details for the caller (validation issues). Services throw these; routers never
 * catch them to build HTTP answers.
 */
export abstract class DomainError<Code extends string> extends Error {
  abstract readonly domain: ErrorDomain;

  constructor(
    readonly code: Code,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The default branch of an exhaustive switch: a value of type never here means a case is missing. */
export function unreachable(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}
