import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../logging/logger.js';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';
import type { MontageRenderer, MontageRequest } from '../../ports/montage-renderer.js';
import type { VideoResult } from '../../ports/talking-head-renderer.js';
import { sharedExecutable } from '../local/binaries/media-binaries.js';
import { runFfmpeg, writeAtomically } from '../local/ffmpeg/ffmpeg-run.js';
import type { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import { inspectMontageInputs } from '../local/montage/montage-inputs.js';
import {
  createProviderPolicy,
  isProviderError,
  ProviderError,
  type ProviderPolicy,
} from '../provider-calls/index.js';
import {
  buildMontageEdit,
  shotstackCaptionStyle,
  type CaptionStyle,
} from './build-montage-edit.js';
import { ShotstackApi, shotstackProvider, type ShotstackApiOptions } from './shotstack-api.js';
import { invertMatteFor, shotstackLumaPolarity, type LumaPolarity } from './luma-polarity.js';
import {
  isKnownRenderStatus,
  type RenderStatus,
  type RenderStatusResponse,
} from './shotstack-responses.js';
import { toSrt } from './srt.js';
import { videoResultOf } from '../video-result.js';

export interface ShotstackMontageRendererOptions extends ShotstackApiOptions {
  readonly storage: FileStorage;
  readonly probe: FfprobeMediaProbe;
  readonly log: Logger;
  readonly ffmpegPath?: string;
  /** Shotstack suggests polling every 5 s; tests poll faster. */
  readonly pollIntervalMs?: number;
  /** Give up waiting after this long (Shotstack renders about 20 s per output minute). */
  readonly renderTimeoutMs?: number;
  /**
   * USD per rendered minute, for the cost log. Shotstack bills one credit per rendered minute;
   * the default 0.30 is the pay-as-you-go price of a credit when this was written — subscription
   * plans pay less per credit, so set your plan's figure.
   */
  readonly pricePerMinuteUsd?: number;
  /** How long the input links live: Shotstack may fetch them well after submission. */
  readonly inputUrlTtlSec?: number;
  readonly policy?: ProviderPolicy;
  readonly chromaKey?: { readonly threshold: number; readonly halo: number };
  readonly caption?: Partial<CaptionStyle>;
  /**
   * Which end of a luma matte Shotstack keeps; `shotstackLumaPolarity` unless a test says
   * otherwise.
   */
  readonly lumaPolarity?: LumaPolarity;
  /**
   * A poll answered 404 this soon after our own submission counts as "not visible yet", not "gone":
   * a render id can take a moment to propagate to the status endpoint. Default 10 s.
   */
  readonly notFoundGraceMs?: number;
}

export const defaultPricePerMinuteUsd = 0.3;

/**
 * A render Shotstack reported as failed; its `error` text is in `detail`. Rendering the same edit
 * again is unlikely to help.
 */
export class ShotstackRenderFailedError extends ProviderError {
  constructor(renderId: string, error: string) {
    super(`render ${renderId} failed: ${error}`, {
      provider: shotstackProvider,
      kind: 'server',
      code: 'SHOTSTACK_RENDER_FAILED',
      detail: error,
    });
  }
  override get retryable(): boolean {
    return false;
  }
}

/**
 * A submission whose answer never came (deadline, dropped connection): Shotstack may have queued
 * the render anyway, and it has no idempotency key, so a retry could pay for two renders.
 */
export class ShotstackSubmitUncertainError extends ProviderError {
  constructor(cause: ProviderError) {
    super(`render submission unanswered (${cause.kind}); not retried, it may have been queued`, {
      provider: shotstackProvider,
      kind: cause.kind,
      code: 'SHOTSTACK_SUBMIT_UNCERTAIN',
      ...(cause.status !== undefined ? { status: cause.status } : {}),
      ...(cause.detail !== undefined ? { detail: cause.detail } : {}),
      cause,
    });
  }
  override get retryable(): boolean {
    return false;
  }
}

/**
 * The final render in the cloud: the inputs go to our storage under `tmp/montage/<id>/`, Shotstack
 * fetches them by signed URL, renders the Edit, and we copy its output (deleted by Shotstack after
 * 24 h) to `outputPath`. The render id is handed to `onSubmitted` before the wait, so a restart
 * resumes polling it instead of paying for a second render.
 */
export class ShotstackMontageRenderer implements MontageRenderer {
  readonly provider = shotstackProvider;
  private readonly api: ShotstackApi;
  private readonly policy: ProviderPolicy;
  private readonly log: Logger;

  constructor(private readonly options: ShotstackMontageRendererOptions) {
    this.api = new ShotstackApi(options);
    this.log = options.log;
    this.policy =
      options.policy ?? createProviderPolicy({ provider: shotstackProvider, log: options.log });
  }

  async render(request: MontageRequest): Promise<VideoResult> {
    const startedAt = performance.now();
    const { signal } = request;
    try {
      let renderId = request.resumeRequestId;
      let uploaded: string[] = [];
      // A resumed render was submitted before a restart, long enough ago that a 404 means gone.
      let submittedAt: number | undefined;
      if (renderId) {
        this.log.info(
          { stage: 'montage', provider: this.provider, renderId },
          'resuming Shotstack render',
        );
      } else {
        ({ renderId, uploaded } = await this.submit(request));
        submittedAt = Date.now();
      }
      await request.onSubmitted?.(renderId);
      let done: { url: string; renderTimeMs?: number };
      try {
        done = await this.waitForRender(renderId, signal, submittedAt);
      } catch (error) {
        // Once Shotstack has said its last word the inputs are of no more use. After a cancel or a
        // timeout the render may still be running (and a resume may poll it again), so they stay
        // for the tmp/ cleanup instead.
        if (error instanceof ShotstackRenderFailedError) await this.deleteQuietly(uploaded);
        throw error;
      }
      await this.deleteQuietly(uploaded);
      const bytes = await this.policy.execute(
        () =>
          writeAtomically(request.outputPath, (partial) =>
            this.api.download(done.url, partial, signal),
          ),
        signal,
      );
      const rendered = await this.options.probe.probe(request.outputPath, signal);
      const { size } = await stat(request.outputPath);
      const costUsd =
        Math.round(
          (rendered.durationSec / 60) *
            (this.options.pricePerMinuteUsd ?? defaultPricePerMinuteUsd) *
            10_000,
        ) / 10_000;
      this.log.info(
        {
          stage: 'montage',
          provider: this.provider,
          renderId,
          shape: request.shape,
          overlayMode: request.overlayMode,
          durationSec: rendered.durationSec,
          renderTimeMs: done.renderTimeMs,
          bytes: size,
          downloadedBytes: bytes,
          costUsd,
          elapsedMs: Math.round(performance.now() - startedAt),
        },
        'Shotstack montage rendered',
      );
      return videoResultOf(request.outputPath, rendered, size, this.provider, {
        lipSync: false,
        costUsd,
      });
    } catch (error) {
      if (signal?.aborted && !(isProviderError(error) && error.kind === 'cancelled')) {
        throw new ProviderError('cancelled', {
          provider: this.provider,
          kind: 'cancelled',
          cause: error,
        });
      }
      throw error;
    }
  }

  private async deleteQuietly(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.options.storage.delete(key).catch(() => undefined)));
  }

  private async submit(request: MontageRequest): Promise<{ renderId: string; uploaded: string[] }> {
    const { signal, storage } = { signal: request.signal, storage: this.options.storage };
    const ffmpeg = this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', this.log)).path;
    const inputs = await inspectMontageInputs(request, {
      ffmpegPath: ffmpeg,
      probe: this.options.probe,
      signal,
    });
    const workDir = await mkdtemp(join(tmpdir(), 'shotstack-'));
    const prefix = `tmp/montage/${randomUUID()}`;
    const uploaded: string[] = [];
    try {
      const speechPath = join(workDir, 'speech.mp3');
      // The speech alone: in green-screen mode no video clip carries it, and an audio clip is the
      // one place Shotstack is sure to take sound from.
      await runFfmpeg(
        ffmpeg,
        'extract speech',
        [
          '-i',
          request.talkingHeadPath,
          '-map',
          `0:${inputs.speechStreamIndex}`,
          '-vn',
          '-c:a',
          'libmp3lame',
          '-b:a',
          '192k',
          '-y',
          speechPath,
        ],
        {
          signal,
        },
      );
      let overlayPath = request.overlayPath;
      if (
        request.overlayMode === 'matte' &&
        invertMatteFor(this.options.lumaPolarity ?? shotstackLumaPolarity)
      ) {
        // Our matte is white = the person; Shotstack keeps the black of a luma (luma-polarity.ts).
        overlayPath = join(workDir, 'matte-inverted.mp4');
        await runFfmpeg(
          ffmpeg,
          'invert matte',
          [
            '-i',
            request.overlayPath,
            '-map',
            '0:v:0',
            '-an',
            '-vf',
            'format=yuv420p,lutyuv=y=negval:u=128:v=128',
            '-c:v',
            'libx264',
            '-preset',
            'veryfast',
            '-crf',
            '12',
            '-pix_fmt',
            'yuv420p',
            '-y',
            overlayPath,
          ],
          { signal },
        );
      }
      const files: Array<[name: string, path: string, type: string]> = [
        [
          `background${extname(request.backgroundPath).toLowerCase() || '.mp4'}`,
          request.backgroundPath,
          'video/mp4',
        ],
        ['overlay.mp4', overlayPath, 'video/mp4'],
        ['speech.mp3', speechPath, 'audio/mpeg'],
      ];
      if (request.overlayMode === 'matte')
        files.push(['fill.mp4', request.talkingHeadPath, 'video/mp4']);
      if (request.words.length > 0) {
        const srtPath = join(workDir, 'captions.srt');
        const bold = request.captionStyle === 'bold';
        // Shotstack's captions have no per-word colour; the bold style keeps its capitals and short
        // lines.
        const words = bold
          ? request.words.map((w) => ({ ...w, word: w.word.toUpperCase() }))
          : request.words;
        await writeFile(
          srtPath,
          toSrt(words, {
            endSec: inputs.speechSec,
            ...(bold ? { maxWordsPerCaption: 2, maxCharsPerCaption: 16 } : {}),
          }),
        );
        files.push(['captions.srt', srtPath, 'application/x-subrip']);
      }
      const ttl = this.options.inputUrlTtlSec ?? 3 * 3600;
      const urls = new Map<string, string>();
      for (const [name, path, type] of files) {
        const key = `${prefix}/${name}`;
        await storage.putFile(key, path, type);
        uploaded.push(key);
        urls.set(name.replace(/\..*$/, ''), await storage.signedUrl(key, ttl));
      }
      const edit = buildMontageEdit({
        urls: {
          background: urls.get('background')!,
          overlay: urls.get('overlay')!,
          speech: urls.get('speech')!,
          ...(urls.has('fill') ? { fill: urls.get('fill')! } : {}),
          ...(urls.has('captions') ? { captions: urls.get('captions')! } : {}),
        },
        mode: request.overlayMode,
        placement: inputs.placement,
        speechSec: inputs.speechSec,
        backgroundSec: inputs.backgroundSec,
        ...(this.options.chromaKey ? { chromaKey: this.options.chromaKey } : {}),
        caption: {
          ...shotstackCaptionStyle(request.captionStyle ?? 'classic'),
          ...this.options.caption,
        },
      });
      const submittedAt = performance.now();
      // 429 and 5xx are answers (nothing was queued) and are retried; silence is not.
      const renderId = await this.policy.execute(
        () =>
          this.api.submit(edit, signal).catch((error: unknown) => {
            if (
              isProviderError(error) &&
              (error.kind === 'timeout' || error.kind === 'network') &&
              !signal?.aborted
            )
              throw new ShotstackSubmitUncertainError(error);
            throw error;
          }),
        signal,
      );
      this.log.info(
        {
          stage: 'montage',
          provider: this.provider,
          renderId,
          stageName: this.options.stage,
          speechSec: inputs.speechSec,
          elapsedMs: Math.round(performance.now() - submittedAt),
        },
        'Shotstack render submitted',
      );
      return { renderId, uploaded };
    } catch (error) {
      await this.deleteQuietly(uploaded);
      throw error;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** The latest status, or undefined for a 404 inside the grace window after our own submission. */
  private async poll(
    renderId: string,
    signal: AbortSignal | undefined,
    submittedAt: number | undefined,
  ) {
    try {
      return await this.policy.execute(() => this.api.status(renderId, signal), signal);
    } catch (error) {
      const graceMs = this.options.notFoundGraceMs ?? 10_000;
      if (
        isProviderError(error) &&
        error.status === 404 &&
        submittedAt !== undefined &&
        Date.now() - submittedAt < graceMs
      ) {
        this.log.debug(
          {
            stage: 'montage',
            provider: this.provider,
            renderId,
            sinceSubmitMs: Date.now() - submittedAt,
          },
          'Shotstack render not visible yet; polling on',
        );
        return undefined;
      }
      throw error;
    }
  }

  private async waitForRender(
    renderId: string,
    signal: AbortSignal | undefined,
    submittedAt: number | undefined,
  ): Promise<{ url: string; renderTimeMs?: number }> {
    const interval = this.options.pollIntervalMs ?? 5000;
    const timeoutMs = this.options.renderTimeoutMs ?? 20 * 60_000;
    const giveUpAt = Date.now() + timeoutMs;
    let last: RenderStatus | undefined;
    for (;;) {
      const status: Pick<RenderStatusResponse, 'status' | 'url' | 'renderTime' | 'error'> =
        (await this.poll(renderId, signal, submittedAt)) ?? { status: 'queued' };
      if (status.status !== last) {
        const known = isKnownRenderStatus(status.status);
        this.log[known ? 'debug' : 'warn'](
          { stage: 'montage', provider: this.provider, renderId, status: status.status, known },
          'Shotstack render status',
        );
        last = status.status;
      }
      if (status.status === 'done') {
        if (!status.url)
          throw new ProviderError(`render ${renderId} is done but has no url`, {
            provider: this.provider,
            kind: 'malformed',
          });
        return {
          url: status.url,
          ...(status.renderTime != null ? { renderTimeMs: status.renderTime } : {}),
        };
      }
      if (status.status === 'failed')
        throw new ShotstackRenderFailedError(renderId, status.error || 'no reason given');
      // Only done and failed end a render; any other status, even one newer than this client, is
      // progress.
      if (Date.now() + interval > giveUpAt) {
        throw new ProviderError(
          `render ${renderId} not done within ${timeoutMs} ms (last status ${status.status})`,
          { provider: this.provider, kind: 'timeout' },
        );
      }
      try {
        await sleep(interval, undefined, signal ? { signal } : undefined);
      } catch (error) {
        throw new ProviderError('cancelled', {
          provider: this.provider,
          kind: 'cancelled',
          cause: error,
        });
      }
    }
  }
}
