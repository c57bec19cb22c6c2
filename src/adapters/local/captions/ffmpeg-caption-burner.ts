import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../../logging/logger.js';
import type { CaptionBurnRequest, CaptionBurner } from '../../../ports/caption-burner.js';
import type { VideoResult } from '../../../ports/talking-head-renderer.js';
import { videoResultOf } from '../../video-result.js';
import { sharedExecutable } from '../binaries/media-binaries.js';
import { buildAssSubtitles } from './ass-subtitles.js';
import { captionStyleOptions, talkingHeadCaptionMarginBottom } from './caption-styles.js';
import { filterValue, runFfmpeg, writeAtomically } from '../ffmpeg/ffmpeg-run.js';
import type { FfmpegEncoderOptions } from '../ffmpeg/ffmpeg-encoder-options.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { RenderError } from '../ffmpeg/media-errors.js';
import { h264AacOutputArgs, outputHeight } from '../ffmpeg/video-format.js';

export type FfmpegCaptionBurnerOptions = FfmpegEncoderOptions;

export const localCaptionBurnerProvider = 'local-ffmpeg-captions';

/**
 * Burns the word-by-word captions over a talking-head video with libass (the `ass` filter, which
 * the npm-shipped ffmpeg 4.1 has too). The track is laid out on a frame 1920 units high and as
 * wide as the video's aspect, so the letters keep their shape on any video the provider made;
 * the sound is copied as it is.
 */
export class FfmpegCaptionBurner implements CaptionBurner {
  readonly provider = localCaptionBurnerProvider;
  private readonly logger: Logger;
  private readonly probe: FfprobeMediaProbe;

  constructor(private readonly options: FfmpegCaptionBurnerOptions = {}) {
    this.logger = options.logger ?? createLogger();
    this.probe = options.probe ?? new FfprobeMediaProbe({ logger: this.logger });
  }

  async burn(request: CaptionBurnRequest): Promise<VideoResult> {
    const startedAt = performance.now();
    const { signal } = request;
    const source = await this.probe.probeRaw(request.videoPath, signal);
    const video = source.streams.find((s) => s.codec_type === 'video');
    if (!video?.width || !video.height)
      throw new RenderError('captions', 'the talking head has no video stream to caption', {
        kind: 'invalid_request',
      });
    const audio = source.streams.find((s) => s.codec_type === 'audio');
    const ffmpeg = this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.logger)).path;
    const workDir = await mkdtemp(join(tmpdir(), 'captions-'));
    try {
      const assPath = join(workDir, 'captions.ass');
      const width = Math.round((outputHeight * video.width) / video.height);
      await writeFile(
        assPath,
        buildAssSubtitles(request.words, {
          ...captionStyleOptions(request.style),
          width,
          height: outputHeight,
          marginBottom: talkingHeadCaptionMarginBottom,
        }),
      );
      const copyAudio = audio?.codec_name === 'aac' && audio.sample_rate === 44100;
      await writeAtomically(request.outputPath, (partial) =>
        runFfmpeg(
          ffmpeg,
          'captions',
          [
            '-i',
            request.videoPath,
            '-vf',
            `ass=filename=${filterValue(assPath)}`,
            '-map',
            '0:v:0',
            ...(audio ? ['-map', '0:a:0'] : []),
            ...h264AacOutputArgs({
              preset: this.options.preset ?? 'veryfast',
              crf: this.options.crf ?? 23,
              copyAudio,
            }),
            '-y',
            partial,
          ],
          { signal, timeoutMs: this.options.timeoutMs },
        ),
      );
      const rendered = await this.probe.probe(request.outputPath, signal);
      const { size } = await stat(request.outputPath);
      this.logger.info(
        {
          stage: 'montage',
          provider: this.provider,
          style: request.style,
          words: request.words.length,
          elapsedMs: Math.round(performance.now() - startedAt),
        },
        'captions burned over the talking head',
      );
      return videoResultOf(request.outputPath, rendered, size, this.provider, { lipSync: false });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}
