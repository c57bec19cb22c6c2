import { fileURLToPath } from 'node:url';
import { runMeasuredChild, type MeasuredChild } from '../lib/measured-child.js';

export interface CompositeChildArgs {
  readonly ffmpeg: string;
  readonly clipPath: string;
  readonly backgroundPath: string;
  readonly outputPath: string;
  readonly workDir: string;
  readonly referenceDir: string;
  readonly track: { readonly width: number; readonly height: number };
  readonly model: 'small' | 'medium';
  readonly words: readonly {
    readonly word: string;
    readonly start: number;
    readonly end: number;
  }[];
  readonly keepFrames: readonly number[];
  readonly masksPath: string;
  readonly phase: 'reference' | 'composite';
}

export type CompositeChildResult = MeasuredChild<{
  readonly seconds: number;
  readonly cpuSeconds?: number;
  readonly ownPeakBytes: number;
}>;

const child = fileURLToPath(new URL('./composite-child.ts', import.meta.url));

/**
 * Runs one phase of the product's cut-out composite in a child process of its own, measured with
 * everything it starts.
 */
export function runCompositeChild(args: CompositeChildArgs): Promise<CompositeChildResult> {
  return runMeasuredChild(child, args, args.phase);
}
