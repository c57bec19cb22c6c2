import { spawn } from 'node:child_process';
import { TreeRssSampler, type ProcessPeak } from '../render/rss-sampler.js';

export interface MeasuredChild<R> {
  /** The child's last line of stdout, parsed: what it measured of itself. */
  readonly report: R;
  /**
   * The largest resident total of the child and the processes it started seen at one sample, or
   * the child's own high-water mark (kept by the kernel) where a spike fell between samples.
   */
  readonly peakBytes: number;
  /** Each process's own largest sample, largest first. */
  readonly processes: readonly ProcessPeak[];
  /** The processes of the sample that made the peak. */
  readonly atPeak: readonly ProcessPeak[];
}

/**
 * Runs a bench script in a child process of its own (node with tsx's loader, no wrapper process),
 * so the memory sampled is that work's alone, not the bench's, and reads its report from the last
 * line it prints. The child reports its own peak as `ownPeakBytes`.
 */
export async function runMeasuredChild<R extends { readonly ownPeakBytes: number }>(
  script: string,
  args: unknown,
  label: string,
): Promise<MeasuredChild<R>> {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const sampler = new TreeRssSampler(proc.pid);
  sampler.start(50);
  let stdout = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', resolve);
  });
  const sampled = sampler.stop();
  if (code !== 0) throw new Error(`the ${label} child exited with ${code}: ${stdout.trim()}`);
  const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as R;
  return {
    report,
    peakBytes: Math.max(sampled, report.ownPeakBytes),
    processes: sampler.processPeaks(),
    atPeak: sampler.processesAtPeak(),
  };
}
