import type { DataSource } from 'typeorm';
import { dialectFor } from './dialect';

/** What the database node this process talks to says about itself. */
export interface NodeState {
  /** True when the node takes reads and writes: a lone server, or a Galera node that is `Synced`. */
  synced: boolean;
  /** Galera's `wsrep_local_state_comment` (`Synced`, `Donor/Desynced`, `Joining`, …); null off a cluster. */
  state: string | null;
}

/**
 * One round trip: the node's Galera status, or the plain answer of a server without wsrep (MySQL, a lone
 * MariaDB, TiDB) that is synced whenever it answers. A Galera node that left the primary component answers
 * only SET and SHOW (error 1047 for the rest), so SHOW STATUS is what still tells why.
 * https://mariadb.com/kb/en/galera-cluster-status-variables/
 * Throws when the server does not answer (connection refused or lost): the caller counts that as not synced.
 */
export async function readNodeState(ds: DataSource): Promise<NodeState> {
  if (dialectFor(ds).family !== 'mysql' || !(await isClusterNode(ds))) {
    await ds.query('SELECT 1');
    return { synced: true, state: null };
  }
  const rows = (await ds.query(
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state_comment')",
  )) as { Variable_name: string; Value: string }[];
  const status = new Map(rows.map((r) => [r.Variable_name.toLowerCase(), r.Value]));
  const state = status.get('wsrep_local_state_comment') ?? null;
  return { synced: status.get('wsrep_ready')?.toUpperCase() === 'ON' && state === 'Synced', state };
}

const clusterNodes = new WeakMap<DataSource, boolean>();

/**
 * Whether the server runs wsrep (read once per DataSource: it is set at the node's start). A MariaDB built
 * with Galera but started without it reports `wsrep_ready` OFF, so the variable, not the status, decides.
 */
async function isClusterNode(ds: DataSource): Promise<boolean> {
  let known = clusterNodes.get(ds);
  if (known === undefined) {
    const rows = (await ds.query("SHOW GLOBAL VARIABLES WHERE Variable_name = 'wsrep_on'")) as { Value: string }[];
    known = rows[0]?.Value.toUpperCase() === 'ON';
    clusterNodes.set(ds, known);
  }
  return known;
}
