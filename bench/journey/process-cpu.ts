import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond =
        Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU seconds a process has used so far, its reaped children (ffmpeg, espeak-ng…) included, from
 * /proc/<pid>/stat. On a shared machine wall times swing with everyone else's load; CPU time says
 * how much work a step was, whatever the load. NaN where /proc is not available.
 */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields from after its closing paren.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime are fields 14–17 of the whole line, so 11–14 after the name.
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
    return ticks / clockTicks();
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds used so far by PostgreSQL server processes on this machine (connections that ended
 * are not counted). Taken around a workload it shows what the database did for it, which the
 * bot's own CPU time leaves out. With `database`, only the backends connected to that database
 * count (their process title names it): on a server other workloads share, the rest is theirs.
 * Without it, every server process of the cluster, its own workers included.
 */
export function postgresCpuSeconds(database?: string): number {
  try {
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        if (
          database !== undefined &&
          !readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${database} `)
        )
          continue;
      } catch {
        continue;
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]);
    }
    return total / clockTicks();
  } catch {
    return Number.NaN;
  }
}

/** This process's own CPU seconds (user + system). */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
