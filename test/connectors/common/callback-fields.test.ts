import {
  bodyText,
  createTimeIso,
  identifier,
  optionalText,
  optionalTypeName,
  typeName,
} from '../../../connectors/common/callback-fields';
import { inboxKind, MAX_KIND_LENGTH } from '../../../connectors/common/dedupe-key';
import { WebhookRejection } from '../../../connectors/common/webhook-types';

function rejection(fn: () => unknown): WebhookRejection {
  try {
    fn();
  } catch (e) {
    if (e instanceof WebhookRejection) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('callback field bounds', () => {
  it('refuses an envelope field given twice instead of picking one copy', () => {
    expect(rejection(() => optionalText({ Encrypt: ['a', 'b'] }, 'Encrypt'))).toMatchObject({
      status: 400,
      message: 'Encrypt appears more than once',
    });
    expect(optionalText({ Encrypt: 'a' }, 'Encrypt')).toBe('a');
  });

  it('accepts WeChat type names and refuses anything else as one', () => {
    expect(typeName({ Event: 'user_authorization_cancellation' }, 'Event')).toBe('user_authorization_cancellation');
    for (const bad of ['x'.repeat(49), 'text<script>', 'sub scribe', 'a\u0000'])
      expect(rejection(() => typeName({ Event: bad }, 'Event')).status).toBe(400);
    expect(optionalTypeName({}, 'ChangeType')).toBeUndefined();
  });

  it('keeps identifiers to 64 visible characters (the identity columns)', () => {
    expect(identifier({ FromUserName: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, 'FromUserName')).toBe(
      'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
    );
    for (const bad of ['o'.repeat(65), 'o with space', ''])
      expect(rejection(() => identifier({ FromUserName: bad }, 'FromUserName')).status).toBe(400);
  });

  it('refuses a CreateTime past ten digits (beyond any DATETIME column)', () => {
    expect(createTimeIso({ CreateTime: '1714036504' }).iso).toBe('2024-04-25T09:15:04.000Z');
    expect(rejection(() => createTimeIso({ CreateTime: '99999999999' })).status).toBe(400);
  });

  it('refuses a body that is not UTF-8 rather than replacing its bytes', () => {
    expect(bodyText(Buffer.from('<xml>中</xml>', 'utf8'))).toBe('<xml>中</xml>');
    expect(rejection(() => bodyText(Buffer.from([0x3c, 0xc3, 0x28, 0x3e]))).status).toBe(400);
  });

  it('cuts inbox kinds to the column size, keeping long ones distinct', () => {
    expect(inboxKind('oa', 'event', 'subscribe')).toBe('oa.event.subscribe');
    const a = inboxKind('wecom', 'e'.repeat(48), 'a'.repeat(48));
    const b = inboxKind('wecom', 'e'.repeat(48), 'b'.repeat(48));
    expect(a).toHaveLength(MAX_KIND_LENGTH);
    expect(a).not.toBe(b);
  });
});
