import { readdir, readFile } from 'node:fs/promises';

/**
 * Peak resident memory of this process plus all its descendants (the ffmpeg decoders and the
 * encoder), sampled from /proc. Linux only; elsewhere it reports this process's own peak.
 */
export class TreeRssSampler {
  private peakBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  start(intervalMs = 100): void {
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

/**
 * The tree's RSS from /proc: its descendants come from each task's `children` list, so a sample
 * reads a handful of files (this process, the decoder, the encoder) rather than every process
 * on the machine, which would cost the tracker it shares this thread with.
 */
async function treeRss(root: number): Promise<number> {
  let total = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    const [status, tasks] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''),
      readdir(`/proc/${pid}/task`).catch(() => [] as string[]),
    ]);
    const vmRss = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    if (vmRss) total += Number(vmRss) * 1024;
    const children = await Promise.all(tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')));
    for (const list of children) for (const child of list.split(' ').filter(Boolean)) pending.push(Number(child));
  }
  return total;
}
