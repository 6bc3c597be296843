import { jssdkSignature, urlWithoutFragment } from '../../connectors/h5/jssdk-signature';

/** wechat-api.md §7.6 / §11 item 2. */
const ticket = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';
const base = { jsapiTicket: ticket, nonceStr: 'Wm3WZYTPz0wzccnW', timestamp: 1414587457 };

describe('jssdkSignature', () => {
  it('does not match the vector for a different URL (the URL is signed)', () => {
    expect(jssdkSignature({ ...base, url: 'http://mp.weixin.qq.com?params=other' })).not.toBe(
      '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
    );
  });

  it('matches both documented vectors', () => {
    expect(jssdkSignature({ ...base, url: 'http://mp.weixin.qq.com?params=value' })).toBe(
      '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
    );
    expect(jssdkSignature({ ...base, url: 'http://mp.weixin.qq.com' })).toBe(
      'f4d90daf4b3bca3078ab155816175ba34c443a7b',
    );
  });

  it('signs the URL without its fragment and keeps the query string', () => {
    expect(jssdkSignature({ ...base, url: 'http://mp.weixin.qq.com?params=value#/page?x=1' })).toBe(
      '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
    );
    expect(urlWithoutFragment('https://a.example/p?q=1#frag#more')).toBe('https://a.example/p?q=1');
    expect(urlWithoutFragment('https://a.example/p')).toBe('https://a.example/p');
  });
});
