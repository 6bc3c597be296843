import { OriginAllowList } from '../../src/h5/origin-allow-list';

describe('OriginAllowList', () => {
  const list = new OriginAllowList(['https://shop.example.com', 'http://127.0.0.1:8080']);

  it('refuses look-alike and foreign URLs', () => {
    for (const bad of [
      'https://evil.example/',
      'https://shop.example.com.evil.example/',
      'https://shop.example.com@evil.example/',
      'https://user:pw@shop.example.com/',
      'http://shop.example.com/',
      'https://shop.example.com:444/',
      '//evil.example/x',
      '/relative/path',
      'javascript:alert(1)',
      'https://shop.example.com\\@evil.example',
      'https://shop.example.com/\nx',
      '',
      'x'.repeat(3000),
      undefined,
      ['https://shop.example.com/'],
    ]) {
      expect(list.allowedUrl(bad)).toBeUndefined();
    }
  });

  it('accepts URLs on an allowed origin, with path, query and fragment', () => {
    expect(list.allowedUrl('https://shop.example.com/p/1?x=2#top')?.href).toBe('https://shop.example.com/p/1?x=2#top');
    expect(list.allowedUrl('https://SHOP.example.com:443/')?.origin).toBe('https://shop.example.com');
    expect(list.allowedUrl('http://127.0.0.1:8080/cb')).toBeDefined();
  });

  it('checks CORS origins exactly', () => {
    expect(list.allowsOrigin('https://shop.example.com')).toBe(true);
    expect(list.allowsOrigin('https://shop.example.com/')).toBe(false);
    expect(list.allowsOrigin('https://evil.example')).toBe(false);
    expect(list.allowsOrigin(undefined)).toBe(false);
    expect(new OriginAllowList([]).allowsOrigin('https://shop.example.com')).toBe(false);
  });
});
