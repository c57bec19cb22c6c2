import { sharedBinary } from '../../src/adapters/local/binaries/media-binaries.js';
import { FfprobeMediaProbe } from '../../src/adapters/local/probe/ffprobe-probe.js';
import { LocalPortraitRenderer } from '../../src/adapters/local/talking-head/portrait-renderer.js';
import { createLogger } from '../../src/logging/logger.js';
import type { WordTiming } from '../../src/ports/speech-synthesizer.js';
import { processTreeCpuSeconds } from '../render/cpu-time.js';

/** What the bench asks one render child to do. */
export interface RenderChildArgs {
  readonly imagePath: string;
  readonly audioPath: string;
  readonly outputPath: string;
  readonly words: readonly WordTiming[];
  readonly voiceId: string;
}

export interface RenderChildReport {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly lipSync: boolean;
  readonly ownPeakBytes: number;
}

// A fresh process per render, as the service's renderer would start it: its memory is the render's
// own, not the bench's decoded frames and earlier clips.
const args = JSON.parse(process.argv[2] ?? '{}') as RenderChildArgs;
const logger = createLogger({ level: 'warn' });
const renderer = new LocalPortraitRenderer({
  logger,
  probe: new FfprobeMediaProbe({ logger }),
  preset: 'veryfast',
  espeak: await sharedBinary('espeak-ng', logger),
});
const cpuBefore = processTreeCpuSeconds();
const startedAt = performance.now();
const video = await renderer.render({
  imagePath: args.imagePath,
  audioPath: args.audioPath,
  outputPath: args.outputPath,
  speech: { words: args.words, voiceId: args.voiceId },
});
const report: RenderChildReport = {
  seconds: (performance.now() - startedAt) / 1000,
  cpuSeconds: processTreeCpuSeconds() - cpuBefore,
  lipSync: video.lipSync,
  ownPeakBytes: process.resourceUsage().maxRSS * 1024,
};
console.log(JSON.stringify(report));
