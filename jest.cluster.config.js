/**
 * The Galera cluster pass (`npm run test:cluster`, run by .ci/run after the MySQL pass): its files end in
 * `.cluster.ts`, so `npm test` (jest.config.js, `*.test.ts`) never starts a cluster. One file at a time: each
 * starts three MariaDB nodes of its own.
 */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/*.cluster.ts'], maxWorkers: 1, testTimeout: 300000 };
