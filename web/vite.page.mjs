// One Vite build per page of web/ (console, sidebar): each page is its own app under /<page>/, with hashed
// assets in web/dist/<page>/assets that the gateway serves with its strict CSP (src/http/web-assets.ts).
import vue from '@vitejs/plugin-vue';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.dirname(fileURLToPath(import.meta.url));

/** @param {string} page folder under web/ and URL prefix */
export function pageConfig(page) {
  return {
    root: path.join(web, page),
    base: `/${page}/`,
    plugins: [vue()],
    // `@server`: type-only imports of the gateway's response types (src/**/*-api.types.ts); erased from the bundle.
    resolve: { alias: { '@shared': path.join(web, 'shared'), '@server': path.join(web, '..', 'src') } },
    // The CSP allows no data: fonts or scripts: every asset stays a file, however small.
    build: {
      outDir: path.join(web, 'dist', page),
      emptyOutDir: true,
      assetsInlineLimit: 0,
      chunkSizeWarningLimit: 2048,
      reportCompressedSize: false,
      // A shared chunk may be named after a helper starting with `_` (`_plugin-vue_export-helper`); the gateway
      // serves only names starting with a letter or digit, so the leading marks are dropped.
      rollupOptions: {
        output: {
          chunkFileNames: (chunk) => `assets/${chunk.name.replace(/^[^A-Za-z0-9]+/, '') || 'chunk'}-[hash].js`,
        },
      },
    },
    logLevel: 'warn',
  };
}
