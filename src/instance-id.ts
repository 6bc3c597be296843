import { randomBytes } from 'crypto';
import { hostname } from 'os';

/**
 * Names this gateway process in the rows it claims or locks (inbox and outbox claims, refresh jobs, sync runs,
 * job slots), so an operator can tell instances apart: host, pid, and a random suffix for a restarted pid.
 */
export function newInstanceId(): string {
  return `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
