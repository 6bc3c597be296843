import { readdirSync, readFileSync } from 'fs';

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat — undefined where /proc is not
 * there. CPU per request holds up on a shared, loaded machine far better than latency does.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after the command name; USER_HZ is 100 on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The pid of a local MySQL/MariaDB server, if one runs on this machine (its CPU is shared with other clients). */
export function databaseServerPid(): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
        if (comm === 'mariadbd' || comm === 'mysqld') return Number(entry);
      } catch {
        // the process ended while the list was read
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}
