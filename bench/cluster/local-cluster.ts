import { execFileSync, spawn } from 'child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import path from 'path';
import mysql2 from 'mysql2/promise';

/**
 * A MariaDB Galera cluster of `size` nodes on loopback, from Debian's packages (`mariadb-server`, `galera-4`,
 * `rsync`), for the cluster tests, `bench:cluster` and `npm run cluster:local`. Every node runs as the `mysql`
 * user with its folder owned by it: rsync's state transfer daemon drops privileges, and reads `ibdata1` as that
 * user, so nodes started as root fail the transfer with Permission denied. Every folder above the data folders
 * must be reachable by `mysql` too (a `mktemp -d` folder is 0700), hence a fixed 0755 folder under /tmp.
 * https://mariadb.com/kb/en/getting-started-with-mariadb-galera-cluster/
 */
export interface ClusterOptions {
  /** Where the nodes keep their data, sockets and logs (default /tmp/siyu-galera-<basePort>). */
  dir?: string;
  /** Node i (0-based) answers SQL on basePort + i; its Galera, IST and SST ports are derived from it. */
  basePort?: number;
  size?: number;
  /** `standalone`: one plain MariaDB with the same settings and no wsrep (the bench's single-server side). */
  mode?: 'galera' | 'standalone';
}

export interface ClusterNode {
  index: number;
  /** SQL port on 127.0.0.1. */
  port: number;
  /** `mysql://root:@127.0.0.1:<port>/<database>` */
  url(database: string): string;
  dir: string;
}

export const MARIADBD = '/usr/sbin/mariadbd';
const GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';
export const DEFAULT_BASE_PORT = 23306;

export class LocalCluster {
  readonly dir: string;
  readonly basePort: number;
  readonly size: number;
  readonly mode: 'galera' | 'standalone';
  readonly nodes: ClusterNode[];

  constructor(opts: ClusterOptions = {}) {
    this.basePort = opts.basePort ?? DEFAULT_BASE_PORT;
    this.mode = opts.mode ?? 'galera';
    this.size = this.mode === 'standalone' ? 1 : (opts.size ?? 3);
    this.dir = opts.dir ?? `/tmp/siyu-${this.mode}-${this.basePort}`;
    this.nodes = Array.from({ length: this.size }, (_, index) => {
      const port = this.basePort + index;
      return {
        index,
        port,
        dir: path.join(this.dir, `node${index + 1}`),
        url: (database: string) => `mysql://root:@127.0.0.1:${port}/${database}`,
      };
    });
  }

  /** Fresh data folders, the first node bootstrapping the cluster, the others joining by rsync state transfer. */
  async start(log: (line: string) => void = () => undefined): Promise<void> {
    if (this.runningPids().length > 0) throw new Error(`a cluster is already running in ${this.dir} (stop it first)`);
    rmSync(this.dir, { recursive: true, force: true });
    makeMysqlDir(this.dir);
    const mysql = mysqlIds();
    for (const node of this.nodes) {
      makeMysqlDir(node.dir);
      makeMysqlDir(path.join(node.dir, 'data'));
      writeFileSync(this.configFile(node), this.config(node));
      chownSync(this.configFile(node), mysql.uid, mysql.gid);
    }
    const first = this.nodes[0]!;
    execFileSync(
      'mariadb-install-db',
      [
        `--defaults-file=${this.configFile(first)}`,
        '--user=mysql',
        '--skip-test-db',
        '--auth-root-authentication-method=normal',
      ],
      { stdio: 'ignore' },
    );
    log(`node 1: ${this.mode === 'galera' ? 'bootstrapping the cluster' : 'starting'} on port ${first.port}`);
    this.launch(first, this.mode === 'galera');
    await this.waitSynced(first, 1);
    await this.allowRootOverTcp(first);
    for (const node of this.nodes.slice(1)) {
      log(`node ${node.index + 1}: joining on port ${node.port}`);
      this.launch(node, false);
      await this.waitSynced(node, node.index + 1);
    }
  }

  /** Stops every node (SIGTERM, then SIGKILL after `graceMs`) and removes the folder. */
  async stop(graceMs = 30_000): Promise<void> {
    const pids = this.runningPids();
    for (const pid of pids) signal(pid, 'SIGTERM');
    const until = Date.now() + graceMs;
    while (pids.some(alive) && Date.now() < until) await pause(100);
    for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
    while (pids.some(alive)) await pause(50);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** kill -9 of one node's server: no shutdown, the others notice it gone. */
  kill(node: ClusterNode): number {
    const pid = this.pidOf(node);
    if (pid === undefined) throw new Error(`node ${node.index + 1} is not running`);
    signal(pid, 'SIGKILL');
    return pid;
  }

  /** Starts a stopped or killed node again (it rejoins by IST or SST) and waits until it is Synced. */
  async restart(node: ClusterNode, timeoutMs = 120_000): Promise<void> {
    const old = this.pidOf(node);
    if (old !== undefined) while (alive(old)) await pause(50);
    this.launch(node, false);
    await this.waitSynced(node, this.size, timeoutMs);
  }

  /** Whether the node's server process is alive. */
  running(node: ClusterNode): boolean {
    const pid = this.pidOf(node);
    return pid !== undefined && alive(pid);
  }

  /** Waits until the node answers, is Synced and sees at least `members` nodes. */
  async waitSynced(node: ClusterNode, members: number, timeoutMs = 120_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      if (Date.now() > until)
        throw new Error(
          `node ${node.index + 1} not synced within ${timeoutMs} ms (${last}); see ${this.logFile(node)}`,
        );
      try {
        const status = await nodeStatus(node, this.socketOf(node));
        if (this.mode === 'standalone') return;
        last = `${status.state ?? '?'}, cluster size ${status.size}`;
        if (status.state === 'Synced' && status.ready && status.size >= members) return;
      } catch (err) {
        last = (err as Error).message;
      }
      await pause(200);
    }
  }

  private launch(node: ClusterNode, bootstrap: boolean): void {
    const args = [`--defaults-file=${this.configFile(node)}`, '--user=mysql'];
    if (bootstrap) args.push('--wsrep-new-cluster');
    // Detached with its own log: the nodes outlive `npm run cluster:local`, which only starts them.
    const child = spawn(MARIADBD, args, { detached: true, stdio: 'ignore' });
    child.unref();
  }

  private async allowRootOverTcp(node: ClusterNode): Promise<void> {
    // DDL on the mysql schema is replicated in total order, and joiners copy node 1 anyway.
    const conn = await mysql2.createConnection({ socketPath: this.socketOf(node), user: 'root' });
    try {
      await conn.query("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''");
      await conn.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
    } finally {
      await conn.end();
    }
  }

  private runningPids(): number[] {
    return this.nodes.map((n) => this.pidOf(n)).filter((p): p is number => p !== undefined && alive(p));
  }

  private pidOf(node: ClusterNode): number | undefined {
    const file = path.join(node.dir, 'mariadbd.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  private configFile(node: ClusterNode): string {
    return path.join(node.dir, 'my.cnf');
  }

  private socketOf(node: ClusterNode): string {
    return path.join(node.dir, 'mariadbd.sock');
  }

  logFile(node: ClusterNode): string {
    return path.join(node.dir, 'error.log');
  }

  private config(node: ClusterNode): string {
    const gcomm = (i: number) => this.basePort + 1000 + i;
    const lines = [
      '[mysqld]',
      `datadir=${path.join(node.dir, 'data')}`,
      `socket=${this.socketOf(node)}`,
      `pid-file=${path.join(node.dir, 'mariadbd.pid')}`,
      `log-error=${this.logFile(node)}`,
      `port=${node.port}`,
      'bind-address=127.0.0.1',
      'skip-name-resolve',
      'character-set-server=utf8mb4',
      'collation-server=utf8mb4_unicode_ci',
      'max_connections=500',
      'innodb_buffer_pool_size=256M',
      'innodb_log_file_size=128M',
      'default_storage_engine=InnoDB',
      'binlog_format=ROW',
      'innodb_autoinc_lock_mode=2',
    ];
    if (this.mode === 'galera') {
      const members = this.nodes.map((n) => `127.0.0.1:${gcomm(n.index)}`).join(',');
      lines.push(
        'wsrep_on=ON',
        `wsrep_provider=${GALERA_PROVIDER}`,
        'wsrep_cluster_name=siyu-local',
        `wsrep_cluster_address=gcomm://${members}`,
        `wsrep_node_name=node${node.index + 1}`,
        `wsrep_node_address=127.0.0.1:${gcomm(node.index)}`,
        `wsrep_node_incoming_address=127.0.0.1:${node.port}`,
        `wsrep_provider_options="base_port=${gcomm(node.index)};ist.recv_addr=127.0.0.1:${this.basePort + 1100 + node.index};gcache.size=256M"`,
        'wsrep_sst_method=rsync',
        `wsrep_sst_receive_address=127.0.0.1:${this.basePort + 1200 + node.index}`,
        'wsrep_slave_threads=4',
      );
    }
    return lines.join('\n') + '\n';
  }
}

/** The node's Galera status, asked over its socket (works while wsrep refuses ordinary statements). */
async function nodeStatus(
  node: ClusterNode,
  socketPath: string,
): Promise<{ state: string | null; ready: boolean; size: number }> {
  const conn = await mysql2.createConnection({ socketPath, user: 'root', connectTimeout: 2_000 });
  try {
    const [rows] = await conn.query(
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_ready', 'wsrep_cluster_size')",
    );
    const status = new Map((rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, r.Value]));
    return {
      state: status.get('wsrep_local_state_comment') ?? null,
      ready: status.get('wsrep_ready') === 'ON',
      size: Number(status.get('wsrep_cluster_size') ?? 0),
    };
  } finally {
    await conn.end();
  }
}

function mysqlIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'mysql'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function makeMysqlDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const { uid, gid } = mysqlIds();
  chownSync(dir, uid, gid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
