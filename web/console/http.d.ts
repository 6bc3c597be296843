// The browser loads `./http.js` from /console/assets/, which the gateway serves out of web/shared/
// (src/http/web-assets.ts); this declaration points the type checker at that same file.
export * from '../shared/http.js';
