import { uuidv7 } from '../../../src/storage/ids';
import { writeWechatValues } from '../../../src/storage/attributes/wechat-attribute.writer';
import { select } from '../../../src/storage/sql';
import { setAttribute } from '../../../src/storage/attributes/customer-attribute.repository';
import { useTestDatabase } from '../../helpers/describe-db';

/** WeChat's profile values (DESIGN §10.4): defined once, follow WeChat, never overwrite a person's value. */
describe('writeWechatValues', () => {
  const db = useTestDatabase();
  const values = (customerId: string) =>
    select<{ attr_key: string; value_text: string; source: string }>(
      db.ds,
      'SELECT attr_key, value_text, source FROM customer_attributes WHERE customer_id = ? ORDER BY attr_key',
      [customerId],
    );

  it('defines the field once, follows WeChat, and leaves a value an operator set alone', async () => {
    const a = uuidv7();
    const b = uuidv7();
    const now = new Date('2026-01-01T00:00:00Z');
    await writeWechatValues(db.ds, [{ customerId: a, key: 'wecom.gender', value: '女' }], now);
    await writeWechatValues(db.ds, [{ customerId: a, key: 'wecom.gender', value: '男' }], now);
    expect(await values(a)).toEqual([{ attr_key: 'wecom.gender', value_text: '男', source: 'wechat' }]);
    const defs = await select<{ type: string; editable_by: string }>(
      db.ds,
      "SELECT type, editable_by FROM attribute_definitions WHERE attr_key = 'wecom.gender'",
    );
    expect(defs).toEqual([{ type: 'enum', editable_by: '[]' }]);

    await setAttribute(
      db.ds,
      {
        customerId: b,
        key: 'wecom.position',
        valueText: '店长',
        valueNum: null,
        valueEnc: null,
        source: 'manual',
        updatedBy: 'ops',
      },
      now,
    );
    await writeWechatValues(db.ds, [{ customerId: b, key: 'wecom.position', value: '经理' }], now);
    expect(await values(b)).toEqual([{ attr_key: 'wecom.position', value_text: '店长', source: 'manual' }]);
  });
});
