import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * Descriptive and qualitative data (DESIGN §3, §10.4). `attribute_definitions`: the typed custom fields, keyed by
 * `attr_key`. `customer_attributes`: one value per customer and key — text, dates (`YYYY-MM-DD`), booleans, enum
 * options and multiEnum option lists (JSON) in `value_text`, numbers in `value_num`, `pii` values only sealed in
 * `value_enc` — each indexed by key so a segment condition is an index range. `customer_notes`: free text.
 */
export class CustomerAttributes1795385700000 implements MigrationInterface {
  name = 'CustomerAttributes1795385700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'attribute_definitions',
        [
          c.id(),
          c.key('attr_key', 64),
          c.str('label_zh', 128),
          c.str('label_en', 128),
          c.key('type', 16),
          c.json('options', { nullable: true }),
          c.bool('pii', { default: false }),
          c.json('editable_by'),
          c.str('created_by', 128, { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        { unique: { uq_attribute_definitions_key: ['attr_key'] } },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'customer_attributes',
        [
          c.id(),
          c.key('customer_id', 36),
          c.key('attr_key', 64),
          c.key('value_text', 512, { nullable: true }),
          c.double('value_num', { nullable: true }),
          c.text('value_enc', { nullable: true }),
          c.key('source', 16),
          c.str('updated_by', 128, { nullable: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_customer_attributes_customer_key: ['customer_id', 'attr_key'] },
          index: {
            idx_customer_attributes_text: ['attr_key', 'value_text'],
            idx_customer_attributes_num: ['attr_key', 'value_num'],
          },
        },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'customer_notes',
        [
          c.id(),
          c.key('customer_id', 36),
          c.text('text'),
          c.str('author', 128),
          c.key('author_kind', 16),
          c.time('created_at', { now: true }),
        ],
        { index: { idx_customer_notes_customer: ['customer_id', 'created_at'] } },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('customer_notes');
    await queryRunner.dropTable('customer_attributes');
    await queryRunner.dropTable('attribute_definitions');
  }
}
