import { marketingState } from '../../web/shared/consents';

describe('the pages’ marketing consent summary (web/shared/consents.ts)', () => {
  it('is null without a marketing consent, whatever else is on record', () => {
    expect(marketingState([])).toBeNull();
    expect(marketingState([{ purpose: 'subscribe_msg:TPL1', granted: false }])).toBeNull();
  });

  it('is granted when every marketing answer is yes', () => {
    expect(
      marketingState([
        { purpose: 'marketing', granted: true },
        { purpose: 'subscribe_msg:TPL1', granted: false },
      ]),
    ).toBe('granted');
  });

  it('is withdrawn when any channel withdrew it, as segment runs and channel codes read it', () => {
    expect(
      marketingState([
        { purpose: 'marketing', granted: true },
        { purpose: 'marketing', granted: false },
      ]),
    ).toBe('withdrawn');
  });
});
