/**
 * Usage: tsx scripts/ci/check-demo-videos.ts [--expect-npm] <demo-result.json>
 *
 * Checks the two MP4s `npm run demo` wrote against what the event log recorded for them, with
 * ffprobe and ffmpeg read straight from the files (not the demo's own probe): one video per
 * format, H.264 yuv420p 1080×1920 with AAC sound, each stream as long as the speech, and the
 * whole file decodes without an error. With `--expect-npm` the ffmpeg and ffprobe it finds must be
 * the npm-shipped ones (the bare-machine run hides the system builds). Exits 1 naming every
 * problem.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { sharedExecutable } from '../../src/adapters/local/binaries/media-binaries.js';
import { runBinary } from '../../src/adapters/local/binaries/run-binary.js';
import { createLogger } from '../../src/logging/logger.js';

// One video frame at the demo's 30 fps plus one AAC frame (1024 samples at 44.1 kHz): the finest
// steps in which a stream can end, so a correct video is always within this of its speech.
const toleranceSec = 1 / 30 + 1024 / 44_100;

const resultSchema = z.object({
  videos: z.array(
    z.object({
      format: z.string(),
      path: z.string(),
      generation: z.object({
        generationId: z.string(),
        format: z.enum(['talking_head', 'background']),
        speechDurationSec: z.number().positive(),
        completed: z.object({
          durationSec: z.number().positive(),
          width: z.number(),
          height: z.number(),
        }),
      }),
    }),
  ),
});

const probeSchema = z.object({
  streams: z.array(
    z.object({
      codec_type: z.string(),
      codec_name: z.string().optional(),
      width: z.number().optional(),
      height: z.number().optional(),
      pix_fmt: z.string().optional(),
      duration: z.coerce.number().optional(),
    }),
  ),
});

const args = process.argv.slice(2);
const expectNpm = args.includes('--expect-npm');
const resultPath = args.find((arg) => !arg.startsWith('--'));
if (!resultPath) {
  console.error('usage: check-demo-videos.ts [--expect-npm] <demo-result.json>');
  process.exit(2);
}
const logger = createLogger({ name: 'check-demo-videos', level: 'warn' });
const [ffmpeg, ffprobe] = await Promise.all([
  sharedExecutable('ffmpeg', logger),
  sharedExecutable('ffprobe', logger),
]);
console.log(
  `check-demo-videos: ${ffprobe.source} ${ffprobe.path} (${ffprobe.version ?? '?'}); ${ffmpeg.source} ${ffmpeg.path} (${ffmpeg.version ?? '?'})`,
);
if (expectNpm && (ffmpeg.source !== 'npm' || ffprobe.source !== 'npm')) {
  console.error(
    'check-demo-videos: FAIL --expect-npm, but the system ffmpeg or ffprobe is still reachable',
  );
  process.exit(1);
}

const result = resultSchema.parse(JSON.parse(await readFile(resultPath, 'utf8')));
const problems: string[] = [];
const formats = result.videos.map((video) => video.generation.format).sort();
if (JSON.stringify(formats) !== JSON.stringify(['background', 'talking_head'])) {
  problems.push(`expected one talking_head and one background video, got [${formats.join(', ')}]`);
}

for (const video of result.videos) {
  const name = `${video.generation.format} (${video.path})`;
  const speech = video.generation.speechDurationSec;
  const { stdout } = await runBinary(
    ffprobe.path,
    ['-v', 'error', '-print_format', 'json', '-show_streams', video.path],
    { timeoutMs: 60_000 },
  );
  const { streams } = probeSchema.parse(JSON.parse(stdout.toString('utf8')));
  const picture = streams.filter((s) => s.codec_type === 'video');
  const sound = streams.filter((s) => s.codec_type === 'audio');
  if (picture.length !== 1 || sound.length !== 1)
    problems.push(
      `${name}: ${picture.length} video and ${sound.length} audio streams, expected one each`,
    );
  const v = picture[0];
  const a = sound[0];
  if (
    v &&
    (v.codec_name !== 'h264' || v.width !== 1080 || v.height !== 1920 || v.pix_fmt !== 'yuv420p')
  ) {
    problems.push(
      `${name}: video is ${v.codec_name} ${v.width}x${v.height} ${v.pix_fmt}, expected h264 1080x1920 yuv420p`,
    );
  }
  if (a && a.codec_name !== 'aac') problems.push(`${name}: audio is ${a.codec_name}, expected aac`);
  for (const [kind, stream] of [
    ['video', v],
    ['audio', a],
  ] as const) {
    if (!stream) continue;
    const duration = stream.duration;
    if (duration === undefined || !(Math.abs(duration - speech) <= toleranceSec)) {
      problems.push(
        `${name}: ${kind} lasts ${duration?.toFixed(3) ?? '?'} s, the speech ${speech.toFixed(3)} s (allowed ±${toleranceSec.toFixed(3)} s)`,
      );
    }
  }
  const completed = video.generation.completed;
  if (
    completed.width !== 1080 ||
    completed.height !== 1920 ||
    !(Math.abs(completed.durationSec - speech) <= toleranceSec)
  ) {
    problems.push(
      `${name}: GenerationCompleted records ${completed.width}x${completed.height} ${completed.durationSec.toFixed(3)} s for ${speech.toFixed(3)} s of speech`,
    );
  }
  // Playable: every packet decodes; ffmpeg at -v error prints nothing for a clean file.
  const decoded = await runBinary(
    ffmpeg.path,
    ['-nostdin', '-v', 'error', '-i', video.path, '-f', 'null', '-'],
    { timeoutMs: 120_000 },
  ).catch((error: unknown) => ({ stderr: String(error) }));
  if (decoded.stderr.trim())
    problems.push(
      `${name}: decoding reported: ${decoded.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  console.log(
    `check-demo-videos: ${video.generation.format}: video ${v?.duration?.toFixed(3)} s, audio ${a?.duration?.toFixed(3)} s, speech ${speech.toFixed(3)} s, ` +
      `${v?.codec_name}/${a?.codec_name} ${v?.width}x${v?.height}`,
  );
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-demo-videos: FAIL ${problem}`);
  process.exit(1);
}
console.log(
  'check-demo-videos: both videos are playable 1080x1920 H.264/AAC as long as their speech',
);
