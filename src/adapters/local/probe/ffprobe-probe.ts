import { open, stat } from 'node:fs/promises';
import { backgroundClipLimit, clipFits } from '../../../domain/user/background-clip.js';
import type { Logger } from '../../../logging/logger.js';
import { createLogger } from '../../../logging/logger.js';
import type {
  MediaInfo,
  MediaProbe,
  UploadCheck,
  UploadRejection,
} from '../../../ports/media-probe.js';
import { BinaryRunError } from '../binaries/binary-errors.js';
import { sharedExecutable } from '../binaries/media-binaries.js';
import { runBinary } from '../binaries/run-binary.js';
import { containerName, isAcceptedContainer, sniffContainer } from './container-format.js';
import {
  ffprobeOutputSchema,
  parseFrameRate,
  streamRotation,
  type FfprobeOutput,
} from './ffprobe-output.js';
import { MediaProbeError } from '../ffmpeg/media-errors.js';

export interface FfprobeMediaProbeOptions {
  /** Defaults to the shared resolution (FFPROBE_PATH → PATH → npm). */
  readonly ffprobePath?: string;
  /** Used for the decode check; defaults to the shared resolution (FFMPEG_PATH → PATH → npm). */
  readonly ffmpegPath?: string;
  readonly logger?: Logger;
  readonly timeoutMs?: number;
}

/** What `checkBackgroundUpload` found wrong with a file that ffmpeg could still read. */
const corruptionMarkers =
  /partial file|Invalid data found|moov atom not found|Invalid NAL unit|error while decoding|Error splitting/i;

export class FfprobeMediaProbe implements MediaProbe {
  private readonly logger: Logger;
  private readonly timeoutMs: number;

  constructor(private readonly options: FfprobeMediaProbeOptions = {}) {
    this.logger = options.logger ?? createLogger();
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  async probe(path: string, signal?: AbortSignal): Promise<MediaInfo> {
    const output = await this.probeRaw(path, signal);
    const { size } = await stat(path);
    return toMediaInfo(output, size);
  }

  /** ffprobe's own description of a file, validated. */
  async probeRaw(path: string, signal?: AbortSignal): Promise<FfprobeOutput> {
    const ffprobe = await this.ffprobe();
    let stdout: Buffer;
    try {
      ({ stdout } = await runBinary(
        ffprobe,
        ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
        {
          signal,
          timeoutMs: this.timeoutMs,
        },
      ));
    } catch (error) {
      const reason =
        error instanceof BinaryRunError ? error.stderrTail || error.message : String(error);
      throw new MediaProbeError(path, reason, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(stdout.toString('utf8'));
    } catch (error) {
      throw new MediaProbeError(path, 'ffprobe printed invalid JSON', { cause: error });
    }
    const parsed = ffprobeOutputSchema.safeParse(json);
    if (!parsed.success)
      throw new MediaProbeError(path, `unexpected ffprobe output: ${parsed.error.message}`, {
        cause: parsed.error,
      });
    return parsed.data;
  }

  async checkBackgroundUpload(
    path: string,
    limits: { maxDurationSec: number; maxBytes: number },
    signal?: AbortSignal,
  ): Promise<UploadCheck> {
    const startedAt = performance.now();
    const result = await this.check(path, limits, signal);
    this.logger.info(
      {
        stage: 'montage',
        ok: result.ok,
        rejection: result.ok ? undefined : result.rejection,
        container: result.ok ? result.info.container : undefined,
        durationSec: result.ok ? result.info.durationSec : undefined,
        sizeBytes: result.ok ? result.info.sizeBytes : undefined,
        checkMs: Math.round(performance.now() - startedAt),
      },
      result.ok ? 'background upload accepted' : 'background upload rejected',
    );
    return result;
  }

  private async check(
    path: string,
    limits: { maxDurationSec: number; maxBytes: number },
    signal?: AbortSignal,
  ): Promise<UploadCheck> {
    const reject = (rejection: UploadRejection): UploadCheck => ({ ok: false, rejection });
    // Size first: it costs one stat, and an oversized file should not be read at all.
    const { size } = await stat(path);
    if (size > limits.maxBytes)
      return reject({ code: 'too_large', sizeBytes: size, maxBytes: limits.maxBytes });
    if (size === 0) return reject({ code: 'corrupt', reason: 'empty file' });

    let output: FfprobeOutput;
    try {
      output = await this.probeRaw(path, signal);
    } catch (error) {
      if (!(error instanceof MediaProbeError)) throw error;
      const sniffed = sniffContainer(await readHead(path, 16));
      return sniffed
        ? reject({ code: 'corrupt', reason: error.message })
        : reject({ code: 'unsupported_format', detected: 'unknown' });
    }
    const info = toMediaInfo(output, size);
    if (!isAcceptedContainer(info.container))
      return reject({ code: 'unsupported_format', detected: info.container });
    if (!info.video) return reject({ code: 'no_video_stream' });
    if (!(info.durationSec > 0)) return reject({ code: 'corrupt', reason: 'no duration' });
    // The domain's rule: the limit as labelled plus the tolerance phones need ("15 s" is 15.2–15.5
    // s).
    if (!clipFits(info.durationSec, { ...backgroundClipLimit, labelSec: limits.maxDurationSec })) {
      return reject({
        code: 'too_long',
        durationSec: info.durationSec,
        maxSec: limits.maxDurationSec,
      });
    }
    const problem = await this.decodeProblem(path, info, signal);
    if (problem) return reject({ code: 'corrupt', reason: problem });
    return { ok: true, info };
  }

  /**
   * Decodes the whole video stream (at most 15 s, so about a second of work). Headers alone do
   * not show truncation: a faststart MP4 cut in half still probes with its full duration.
   */
  private async decodeProblem(
    path: string,
    info: MediaInfo,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const ffmpeg = await this.ffmpeg();
    let stdout: Buffer;
    let stderr: string;
    try {
      ({ stdout, stderr } = await runBinary(
        ffmpeg,
        [
          '-nostdin',
          '-v',
          'error',
          '-i',
          path,
          '-map',
          '0:v:0',
          '-f',
          'null',
          '-progress',
          'pipe:1',
          '-nostats',
          '-',
        ],
        { signal, timeoutMs: this.timeoutMs },
      ));
    } catch (error) {
      if (signal?.aborted) throw error;
      return error instanceof BinaryRunError ? error.stderrTail || error.message : String(error);
    }
    const marker = stderr.split('\n').find((line) => corruptionMarkers.test(line));
    if (marker) return marker.trim();
    const frames = Math.max(
      0,
      ...[...stdout.toString('utf8').matchAll(/^frame=(\d+)/gm)].map((m) => Number(m[1])),
    );
    if (frames === 0) return 'no decodable video frames';
    const expected = info.video ? info.video.fps * info.durationSec : 0;
    // Well under the expected count means the data stops early; variable frame rate clips vary a
    // little, truncated ones by a lot.
    if (expected > 10 && frames < expected * 0.8)
      return `only ${frames} of about ${Math.round(expected)} frames decode`;
    return undefined;
  }

  private async ffprobe(): Promise<string> {
    return this.options.ffprobePath ?? (await sharedExecutable('ffprobe', this.logger)).path;
  }

  private async ffmpeg(): Promise<string> {
    return this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.logger)).path;
  }
}

export function toMediaInfo(output: FfprobeOutput, sizeBytes: number): MediaInfo {
  const video = output.streams.find(
    (s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1,
  );
  const audio = output.streams.find((s) => s.codec_type === 'audio');
  const streamDurations = output.streams.map((s) => s.duration ?? 0);
  const durationSec = output.format.duration ?? Math.max(0, ...streamDurations);
  const container = containerName(output.format.format_name, output.format.tags?.major_brand);
  const info: MediaInfo = { container, durationSec, sizeBytes };
  const withVideo = video
    ? (() => {
        const sideways = streamRotation(video) % 180 === 90;
        const width = video.width ?? 0;
        const height = video.height ?? 0;
        return {
          codec: video.codec_name ?? 'unknown',
          width: sideways ? height : width,
          height: sideways ? width : height,
          fps: parseFrameRate(video.avg_frame_rate) || parseFrameRate(video.r_frame_rate),
        };
      })()
    : undefined;
  const withAudio = audio
    ? {
        codec: audio.codec_name ?? 'unknown',
        sampleRate: audio.sample_rate ?? 0,
        channels: audio.channels ?? 0,
      }
    : undefined;
  return {
    ...info,
    ...(withVideo ? { video: withVideo } : {}),
    ...(withAudio ? { audio: withAudio } : {}),
  };
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
