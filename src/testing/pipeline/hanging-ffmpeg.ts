import { chmod, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface HangingFfmpeg {
  /** Use as FFMPEG_PATH or a provider's `ffmpegPath`. */
  readonly path: string;
  /** Pids of the invocations that hung, in order. */
  hungPids(): Promise<number[]>;
}

/**
 * An ffmpeg that never finishes some invocations: a shell script that passes everything to the
 * real ffmpeg except calls with `marker` among their arguments, which record their pid and wait
 * forever, through a child `sleep` (a grandchild of the caller, so a stop must reach the whole
 * process group) and with SIGTERM ignored (so only the SIGKILL after the grace ends it).
 */
export async function hangingFfmpeg(
  dir: string,
  realFfmpeg: string,
  marker: string,
): Promise<HangingFfmpeg> {
  const path = join(dir, 'ffmpeg-that-hangs.sh');
  const pids = join(dir, 'hung-pids');
  await writeFile(
    path,
    [
      '#!/bin/sh',
      'for arg in "$@"; do',
      `  if [ "$arg" = '${marker}' ]; then`,
      "    trap '' TERM",
      `    echo $$ >> '${pids}'`,
      '    sleep 100000 &',
      `    echo $! >> '${pids}'`,
      '    wait',
      '  fi',
      'done',
      `exec '${realFfmpeg}' "$@"`,
      '',
    ].join('\n'),
  );
  await chmod(path, 0o755);
  return {
    path,
    hungPids: async () =>
      (await readFile(pids, 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number),
  };
}

/**
 * Whether the process still runs. A killed grandchild is re-parented to init and may stay a zombie
 * (dead, exit status not yet collected) for a moment: that counts as gone.
 */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Processes whose parent is `parentPid` (Linux /proc), as `pid command` strings. */
export async function childrenOf(parentPid: number): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    const [, ppid] = stat.slice(close + 2).split(' ');
    if (Number(ppid) === parentPid)
      found.push(`${entry} ${stat.slice(stat.indexOf('(') + 1, close)}`);
  }
  return found;
}
