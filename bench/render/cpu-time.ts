import { readFileSync } from 'node:fs';

/**
 * CPU seconds used so far by this process and its exited children (the ffmpeg decoder and
 * encoder), from /proc/self/stat: utime, stime, cutime, cstime. On a shared, loaded machine
 * wall time says little; CPU time says what the work costs. Linux only (0 elsewhere).
 */
export function processTreeCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the parenthesised command name; utime is field 14 overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks / 100;
  } catch {
    return 0;
  }
}
