import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TreeRssSampler, type ProcessPeak } from './rss-sampler.js';

export interface CompositeChildArgs {
  readonly ffmpeg: string;
  readonly clipPath: string;
  readonly backgroundPath: string;
  readonly outputPath: string;
  readonly workDir: string;
  readonly referenceDir: string;
  readonly track: { readonly width: number; readonly height: number };
  readonly model: 'small' | 'medium';
  readonly words: readonly { readonly word: string; readonly start: number; readonly end: number }[];
  readonly keepFrames: readonly number[];
  readonly masksPath: string;
  readonly phase: 'reference' | 'composite';
}

export interface CompositeChildResult {
  /** What the child measured of itself (wall seconds, CPU seconds of it and its exited children). */
  readonly report: { readonly seconds: number; readonly cpuSeconds?: number; readonly ownPeakBytes: number };
  /**
   * The largest resident total of the child and its ffmpeg processes seen at one sample, or the
   * child's own high-water mark (kept by the kernel) where a spike fell between samples.
   */
  readonly peakBytes: number;
  /** Each process's own largest sample, largest first. */
  readonly processes: readonly ProcessPeak[];
  /** The processes of the sample that made the peak. */
  readonly atPeak: readonly ProcessPeak[];
}

const child = fileURLToPath(new URL('./composite-child.ts', import.meta.url));

/**
 * Runs one phase of the product's cut-out composite in a child process (node with tsx's loader,
 * no wrapper process) and samples the memory of that child and everything it starts.
 */
export async function runCompositeChild(args: CompositeChildArgs): Promise<CompositeChildResult> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  const peakBytes = sampler.stop();
  if (code !== 0) throw new Error(`the ${args.phase} child exited with ${code}: ${stdout.trim()}`);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const report = JSON.parse(last) as CompositeChildResult['report'];
  return { report, peakBytes: Math.max(peakBytes, report.ownPeakBytes), processes: sampler.processPeaks(), atPeak: sampler.processesAtPeak() };
}
