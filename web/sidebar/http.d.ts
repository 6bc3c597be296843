// The page imports `./http.js`: the gateway serves web/shared/http.js under every page's assets (web-assets.ts);
// this only tells the type checker where that module lives.
export * from '../shared/http.js';
