import { parseSegmentInput } from '../../../src/tags/segments/segment-input.schema';

const rule = { type: 'channel', channel: 'oa' };

function messageOf(body: unknown): string {
  try {
    parseSegmentInput(body, false);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the body to be refused');
}

describe('segment input', () => {
  it('says a missing tagId is required and what it is', () => {
    expect(messageOf({ name: '高价值', rule })).toBe('tagId: required: the id of the tag the members get');
  });

  it('says a malformed tagId is not a tag id', () => {
    expect(messageOf({ name: '高价值', tagId: 'vip', rule })).toBe(
      'tagId: not a tag id (digits, as a string or a number)',
    );
    expect(messageOf({ name: '高价值', tagId: -3, rule })).toMatch(/^tagId: not a tag id/);
  });

  it('takes a tag id as digits or a number', () => {
    expect(parseSegmentInput({ name: '高价值', tagId: 7, rule }, false).tagId).toBe('7');
    expect(parseSegmentInput({ name: '高价值', tagId: '7', rule }, false).tagId).toBe('7');
  });
});
