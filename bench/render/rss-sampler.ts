import { readdir, readFile, readlink } from 'node:fs/promises';

/** One process of the tree: its name and the most resident memory it was seen holding. */
export interface ProcessPeak {
  readonly pid: number;
  readonly name: string;
  readonly peakBytes: number;
}

/**
 * Peak resident memory of a process plus all its descendants (the ffmpeg decoders and the
 * encoder), sampled from /proc: the largest sum of their resident sets seen at one sample. A
 * child still running its parent's program is a fork between fork and exec: it shares every
 * page of its parent, and counting it counted a 1 GB parent twice for each ffmpeg or ffprobe it
 * was starting at that moment, so it counts as nothing. Each process's own largest sample is kept
 * too, to tell where the memory went. Linux only; elsewhere it reports 0.
 */
export class TreeRssSampler {
  private peakBytes = 0;
  private atPeak: readonly ProcessPeak[] = [];
  private readonly peaks = new Map<number, ProcessPeak>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly root: number = process.pid) {}

  start(intervalMs = 100): void {
    this.peakBytes = 0;
    this.peaks.clear();
    this.atPeak = [];
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      void treeMemory(this.root)
        .then((processes) => {
          const total = processes.reduce((sum, p) => sum + p.bytes, 0);
          if (total > this.peakBytes) {
            this.peakBytes = total;
            this.atPeak = processes.map((p) => ({ pid: p.pid, name: p.name, peakBytes: p.bytes }));
          }
          for (const p of processes) {
            const known = this.peaks.get(p.pid);
            if (!known || known.peakBytes < p.bytes)
              this.peaks.set(p.pid, { pid: p.pid, name: p.name, peakBytes: p.bytes });
          }
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

  /** The processes of the sample that made the peak, with what each held then. */
  processesAtPeak(): readonly ProcessPeak[] {
    return this.atPeak;
  }

  /** Every process seen, with its own peak, largest first. */
  processPeaks(): ProcessPeak[] {
    return [...this.peaks.values()].sort((a, b) => b.peakBytes - a.peakBytes);
  }
}

interface ProcessMemory {
  readonly pid: number;
  readonly name: string;
  readonly bytes: number;
}

/**
 * The tree's memory from /proc: its descendants come from each task's `children` list, so a
 * sample reads a handful of files (the process, the decoder, the encoder) rather than every
 * process on the machine, which would cost the work being measured.
 */
async function treeMemory(root: number): Promise<ProcessMemory[]> {
  const found: ProcessMemory[] = [];
  const pending: { pid: number; parentExe?: string }[] = [{ pid: root }];
  while (pending.length > 0) {
    const { pid, parentExe } = pending.pop()!;
    const [status, exe, tasks] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''),
      readlink(`/proc/${pid}/exe`).catch(() => undefined),
      readdir(`/proc/${pid}/task`).catch(() => [] as string[]),
    ]);
    // A child whose program cannot be read is between states (starting or exiting): not counted.
    const forkBeforeExec = parentExe !== undefined && (exe === undefined || exe === parentExe);
    const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
    const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
    if (status && !forkBeforeExec) found.push({ pid, name, bytes: rss });
    const children = await Promise.all(
      tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')),
    );
    for (const list of children)
      for (const child of list.split(' ').filter(Boolean))
        pending.push({ pid: Number(child), ...(exe ? { parentExe: exe } : {}) });
  }
  return found;
}
