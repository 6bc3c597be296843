import type { AppContext } from '../app-context';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { survivorOf } from '../storage/customers/customer.repository';
import { findNote, insertNote, pageNotes } from '../storage/attributes/customer-note.repository';
import type { CustomerNoteRow, NoteAuthorKind } from '../storage/entities/customer-note.entity';
import { retryingTransaction } from '../storage/conflict-retry';
import type { Actor } from '../tags/tags-deps';
import { attributeInvalid, customerNotFound } from './attribute.errors';
import type { CustomerNoteJson, CustomerNotePageJson } from './attributes-api.types';

export const MAX_NOTE_LENGTH = 2000;

export function noteJson(n: CustomerNoteRow): CustomerNoteJson {
  return { id: n.id, text: n.text, author: n.author, authorKind: n.authorKind, createdAt: n.createdAt.toISOString() };
}

/** Free-text notes on a customer by operators and sales reps (DESIGN §10.4), newest first, each audited. */
export class CustomerNoteService {
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: Pick<AppContext, 'ds' | 'now'>) {
    this.audit = new AuditLogWriter(deps.ds);
  }

  async list(customerId: string, limit: number, cursor?: string): Promise<CustomerNotePageJson> {
    const c = await this.customer(customerId);
    const before = cursor !== undefined ? await findNote(this.deps.ds, cursor) : undefined;
    if (cursor !== undefined && before?.customerId !== c)
      throw attributeInvalid([{ field: 'cursor', message: 'not a note of this customer' }]);
    const rows = await pageNotes(this.deps.ds, c, limit + 1, before);
    const page = rows.slice(0, limit);
    return { items: page.map(noteJson), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  async add(customerId: string, body: unknown, actor: Actor, kind: NoteAuthorKind): Promise<CustomerNoteJson> {
    const raw = (body as { text?: unknown } | null)?.text;
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (!text || text.length > MAX_NOTE_LENGTH || Object.keys(body as object).some((k) => k !== 'text'))
      throw attributeInvalid([{ field: 'text', message: `a note is { text } of 1 to ${MAX_NOTE_LENGTH} characters` }]);
    const c = await this.customer(customerId);
    const note = await retryingTransaction(this.deps.ds, async (em) => {
      const n = await insertNote(
        em,
        { customerId: c, text, author: actor.displayName ?? actor.name, authorKind: kind },
        new Date(this.deps.now()),
      );
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'customer.note.add',
          targetType: 'customer',
          targetId: c,
          details: { noteId: n.id },
        },
        em,
      );
      return n;
    });
    return noteJson(note);
  }

  /** The id of the active customer an id leads to (merges followed), else 404. */
  private async customer(id: string): Promise<string> {
    const c = await survivorOf(this.deps.ds, id);
    if (!c || c.status !== 'active') throw customerNotFound();
    return c.id;
  }
}
