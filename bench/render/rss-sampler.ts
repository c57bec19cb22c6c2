import { readdir, readFile } from 'node:fs/promises';

/**
 * Peak resident memory of this process plus all its descendants (the ffmpeg decoders and the
 * encoder), sampled from /proc. Linux only; elsewhere it reports this process's own peak.
 */
export class TreeRssSampler {
  private peakBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  start(intervalMs = 50): void {
    this.peakBytes = 0;
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      void treeRss(process.pid)
        .then((bytes) => {
          this.peakBytes = Math.max(this.peakBytes, bytes);
        })
        .catch(() => undefined)
        .finally(() => {
          this.busy = false;
        });
    }, intervalMs);
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    return this.peakBytes;
  }
}

async function treeRss(root: number): Promise<number> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        const status = await readFile(`/proc/${name}/status`, 'utf8').catch(() => '');
        const ppid = /^PPid:\s+(\d+)/m.exec(status)?.[1];
        const vmRss = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
        if (ppid) parents.set(Number(name), Number(ppid));
        if (vmRss) rss.set(Number(name), Number(vmRss) * 1024);
      }),
  );
  let total = 0;
  for (const [pid, bytes] of rss) {
    let p: number | undefined = pid;
    while (p !== undefined && p !== root && p > 1) p = parents.get(p);
    if (p === root) total += bytes;
  }
  return total;
}
