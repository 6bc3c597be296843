/**
 * The JSON of `GET /api/v1/merges`, `POST /api/v1/merges/:id/undo` and `GET /api/v1/conflicts` (DESIGN §4, §8.3).
 * The console imports these types through `@server`; they import only identity-types.ts (no server code), so the
 * browser build can use them.
 */
import type { IdentityType } from '../../connectors/common/identity-types';

/** A merge of two customers, both by their best-known name (the merged one's from the rows it had). */
export interface MergeJson {
  id: string;
  survivorId: string;
  survivorName: string | null;
  mergedId: string;
  mergedName: string | null;
  reason: string;
  evidence: { source: string | null; identities: unknown[]; inboxId: string | null };
  /** How many rows of each kind moved to the survivor. */
  moved: Record<string, number>;
  undoneAt: string | null;
  undoneBy: string | null;
  createdAt: string;
}

export interface MergePageJson {
  items: MergeJson[];
  nextCursor: string | null;
}

/** `POST /api/v1/merges/:id/undo`: the merge as it now is, and how many rows went back. */
export interface MergeUndoJson extends MergeJson {
  restored: number;
}

/** A link refused because it would give a customer a second value of a one-per-person type. */
export interface ConflictJson {
  id: string;
  type: IdentityType;
  scope: string;
  /** Phone values are keyed hashes. */
  existingValue: string | null;
  refusedValue: string | null;
  customerId: string | null;
  /** Best-known names (best-name.ts), null when there is no such customer. */
  customerName: string | null;
  otherCustomerId: string | null;
  otherCustomerName: string | null;
  reason: string | null;
  source: string | null;
  resolved: boolean;
  createdAt: string;
}

export interface ConflictPageJson {
  items: ConflictJson[];
  nextCursor: string | null;
}
