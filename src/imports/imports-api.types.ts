/**
 * The JSON of the imports and events API (DESIGN §11, §13). Imports nothing, so the console can compile against it.
 */
export interface ImportJson {
  id: string;
  kind: 'customers' | 'orders' | 'events';
  source: string;
  format: 'csv' | 'ndjson';
  fileName: string | null;
  status: 'running' | 'done' | 'failed';
  /** Rows read, written, refused (each refused row is in the errors list with its line). */
  read: number;
  written: number;
  failed: number;
  percent: number;
  /** Why a `failed` import stopped (the file could not be read). */
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ImportErrorJson {
  line: number;
  reason: string;
  raw: string | null;
}

export interface ImportErrorPage {
  items: ImportErrorJson[];
  nextCursor: string | null;
}

export interface EventItemResultJson {
  clientId: string;
  status: 'created' | 'duplicate' | 'invalid';
  customerId?: string;
  error?: string;
}

export interface EventsResultJson {
  items: EventItemResultJson[];
}
