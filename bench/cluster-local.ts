import { DEFAULT_BASE_PORT, LocalCluster } from './cluster/local-cluster';

/**
 * `npm run cluster:local [-- --base-port 23306] [--stop]`: starts a three-node MariaDB Galera cluster on
 * loopback (node i on base port + i) and prints the three URLs, or stops it. The nodes keep running after the
 * command ends; `--stop` ends them and removes their data.
 */
async function main(argv: string[]): Promise<number> {
  const portAt = argv.indexOf('--base-port');
  const basePort = portAt >= 0 ? Number(argv[portAt + 1]) : DEFAULT_BASE_PORT;
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort > 60_000) {
    process.stderr.write('cluster:local: --base-port takes a port between 1024 and 60000\n');
    return 2;
  }
  const cluster = new LocalCluster({ basePort });
  if (argv.includes('--stop')) {
    await cluster.stop();
    process.stdout.write(`cluster on ports ${basePort}-${basePort + cluster.size - 1} stopped\n`);
    return 0;
  }
  const started = Date.now();
  await cluster.start((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(
    `\nthree Galera nodes synced in ${((Date.now() - started) / 1000).toFixed(1)} s (data in ${cluster.dir}):\n`,
  );
  for (const node of cluster.nodes) process.stdout.write(`  ${node.url('siyu')}\n`);
  process.stdout.write(
    '\nCreate the database once (it replicates): mysql -h127.0.0.1 -P' +
      `${basePort} -uroot -e 'CREATE DATABASE siyu CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'\n` +
      'Stop: npm run cluster:local -- --stop' +
      (basePort === DEFAULT_BASE_PORT ? '' : ` --base-port ${basePort}`) +
      '\n',
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`cluster:local: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
