import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** Who wrote a note: an operator (console or API key) or a sales rep in the sidebar. */
export type NoteAuthorKind = 'operator' | 'staff';

/** Free text about a customer (DESIGN §10.4). */
export interface CustomerNoteRow {
  id: string;
  customerId: string;
  text: string;
  author: string;
  authorKind: NoteAuthorKind;
  createdAt: Date;
}

export const CustomerNoteEntity = new EntitySchema<CustomerNoteRow>({
  name: 'CustomerNote',
  tableName: 'customer_notes',
  columns: {
    id: col.id(),
    customerId: col.key('customer_id', 36),
    text: col.text('text'),
    author: col.str('author', 128),
    authorKind: col.key('author_kind', 16),
    createdAt: col.timeNow('created_at'),
  },
  indices: [{ name: 'idx_customer_notes_customer', columns: ['customerId', 'createdAt'] }],
});
