import {
  assertJsonBounds,
  DEFAULT_JSON_LIMITS,
  JsonBoundsError,
  parseBoundedJson,
} from '../../../connectors/common/json-bounds';

function failure(text: string, limits = DEFAULT_JSON_LIMITS): JsonBoundsError {
  try {
    assertJsonBounds(text, limits);
  } catch (e) {
    if (e instanceof JsonBoundsError) return e;
    throw e;
  }
  throw new Error('expected a JsonBoundsError');
}

describe('assertJsonBounds', () => {
  const small = { maxDepth: 3, maxMembers: 4, maxStringChars: 8 };

  it('passes documents within every bound and leaves the grammar to JSON.parse', () => {
    expect(() => assertJsonBounds('{"a":[1,2,{"b":"12345678"}],"c":null}', small)).not.toThrow();
    expect(parseBoundedJson('{"a":"}{][,:\\"x"}')).toEqual({ a: '}{][,:"x' });
    expect(() => parseBoundedJson('{"a":')).toThrow(SyntaxError);
  });

  it('refuses nesting past maxDepth with 400, counting objects and arrays alike', () => {
    expect(failure('[[[[1]]]]', small)).toMatchObject({ reason: 'depth', status: 400 });
    expect(failure('{"a":{"b":[{}]}}', small).reason).toBe('depth');
    expect(failure('['.repeat(200_000)).reason).toBe('depth');
  });

  it('refuses more than maxMembers in one container with 413, wherever it sits', () => {
    expect(() => assertJsonBounds('[1,2,3,4]', small)).not.toThrow();
    expect(failure('[1,2,3,4,5]', small)).toMatchObject({ reason: 'members', status: 413 });
    expect(failure('{"x":[1,2],"y":{"a":1,"b":2,"c":3,"d":4,"e":5}}', small).reason).toBe('members');
  });

  it('refuses a string literal longer than maxStringChars with 413 and an unterminated one with 400', () => {
    expect(failure('["123456789"]', small)).toMatchObject({ reason: 'string', status: 413 });
    expect(failure('"abc')).toMatchObject({ reason: 'unterminated', status: 400 });
    expect(failure('"' + '\\"'.repeat(60_000)).reason).toBe('unterminated');
  });

  it('refuses a key given twice in one object, escaped or not, but not the same key in two objects', () => {
    expect(failure('{"a":1,"a":2}').reason).toBe('duplicate-key');
    expect(failure('{"a":1,"\\u0061":2}').reason).toBe('duplicate-key');
    expect(() => assertJsonBounds('[{"a":1},{"a":2}]')).not.toThrow();
    expect(() => assertJsonBounds('{"a":{"a":1}}')).not.toThrow();
    expect(() => assertJsonBounds('{"a":"a","b":"a"}')).not.toThrow();
  });
});
