import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../logging/logger.js';
import { createLogger } from '../../logging/logger.js';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';
import type {
  MatteRequest,
  MatteResult,
  OverlayMatteMaker,
} from '../../ports/overlay-matte-maker.js';
import { writeAtomically } from '../local/ffmpeg/ffmpeg-run.js';
import { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import { parseFrameRate } from '../local/probe/ffprobe-output.js';
import {
  createProviderPolicy,
  httpCall,
  isProviderError,
  ProviderError,
  type ProviderPolicy,
} from '../provider-calls/index.js';
import { downloadToFile } from './download-to-file.js';
import {
  failedJobSchema,
  pollResponseSchema,
  submitResponseSchema,
  type JobResult,
} from './modal-wire.js';

export const modalOverlayProvider = 'modal';

// Modal's A10G list price per GPU-second (modal.com/pricing, $1.10/h); the estimate behind costUsd.
const a10gUsdPerSecond = 0.000306;

/** Failures the service reported as final (the job itself failed): nothing to resume. */
const finalFailures = new WeakSet<object>();

export interface ModalOverlayClientOptions {
  /** The service's base URL (MODAL_OVERLAY_ENDPOINT), e.g. https://ws--ugc-overlay-api.modal.run */
  readonly endpoint: string;
  /** Sent as `Authorization: Bearer …` (MODAL_OVERLAY_TOKEN). */
  readonly token?: string;
  /** Where the talking head is put for the service to fetch by signed URL. */
  readonly storage: FileStorage;
  readonly probe?: FfprobeMediaProbe;
  readonly log?: Logger;
  /** Between two status polls (MODAL_POLL_INTERVAL_MS). */
  readonly pollIntervalMs?: number;
  /** The whole wait for a job, submission to result; the job is cancelled when it passes. */
  readonly timeoutMs?: number;
  /** Deadline of one status or submit request. */
  readonly requestTimeoutMs?: number;
  /** Deadline of the result download. */
  readonly downloadTimeoutMs?: number;
  /** Life of the input's signed URL: the job may wait in Modal's queue before it fetches it. */
  readonly inputUrlTtlSec?: number;
  readonly policy?: ProviderPolicy;
  readonly gpuUsdPerSecond?: number;
  readonly fetch?: typeof fetch;
}

/**
 * The Modal GPU overlay service's client: puts the talking head in storage, submits a job with its
 * signed URL, reports the call id before waiting (so a restart resumes instead of paying twice),
 * polls until done, and streams the result to `outputPath`. Every request goes through the
 * provider policy (retries with jitter, circuit breaker); a job that failed on the service is not
 * retried here, the caller decides (local fallback).
 */
export class ModalOverlayClient implements OverlayMatteMaker {
  readonly provider = modalOverlayProvider;
  private readonly base: string;
  private readonly log: Logger;
  private readonly probe: FfprobeMediaProbe;
  private readonly policy: ProviderPolicy;
  private readonly pollIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: ModalOverlayClientOptions) {
    this.base = options.endpoint.replace(/\/+$/, '');
    this.log = options.log ?? createLogger();
    this.probe = options.probe ?? new FfprobeMediaProbe({ logger: this.log });
    this.policy =
      options.policy ?? createProviderPolicy({ provider: this.provider, log: this.log });
    this.pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.timeoutMs = options.timeoutMs ?? 20 * 60_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  async makeMatte(request: MatteRequest): Promise<MatteResult> {
    const startedAt = performance.now();
    const { signal } = request;
    let uploadedKey: string | undefined;
    // The upload stays while a resume may still need it (a transient failure); tmp/ expires anyway.
    let keepUpload = false;
    let callId = request.resumeRequestId;
    try {
      if (callId === undefined) {
        uploadedKey = `tmp/overlay/${randomUUID()}/head.mp4`;
        const stored = await this.options.storage.putFile(
          uploadedKey,
          request.talkingHeadPath,
          'video/mp4',
        );
        signal?.throwIfAborted();
        const inputUrl = await this.options.storage.signedUrl(
          uploadedKey,
          this.options.inputUrlTtlSec ?? 2 * 3600,
        );
        callId = await this.submit(inputUrl, request);
        this.log.info(
          {
            stage: 'overlay',
            provider: this.provider,
            callId,
            shape: request.shape,
            mode: request.mode,
            bytes: stored.sizeBytes,
          },
          'overlay job submitted',
        );
        try {
          await request.onSubmitted?.(callId);
        } catch (error) {
          // Nobody could resume a job whose id was not recorded: stop it rather than pay for it.
          await this.cancel(callId);
          throw error;
        }
      } else {
        this.log.info(
          { stage: 'overlay', provider: this.provider, callId },
          'resuming overlay job',
        );
      }
      const job = await this.waitForJob(callId, signal);
      const sizeBytes = await this.download(callId, request.outputPath, signal);
      const result = await this.describe(request, job, sizeBytes, signal);
      this.log.info(
        {
          stage: 'overlay',
          provider: this.provider,
          callId,
          shape: request.shape,
          mode: request.mode,
          frames: result.frames,
          durationSec: result.durationSec,
          bytes: sizeBytes,
          segmenter: job.segmenter,
          gpuSeconds: job.processing_seconds,
          costUsd: result.costUsd,
          elapsedMs: Math.round(performance.now() - startedAt),
        },
        'overlay made',
      );
      return result;
    } catch (error) {
      const failure =
        signal?.aborted && !(isProviderError(error) && error.kind === 'cancelled')
          ? new ProviderError('cancelled', {
              provider: this.provider,
              kind: 'cancelled',
              cause: error,
            })
          : error;
      if (
        callId !== undefined &&
        isProviderError(failure) &&
        (failure.kind === 'cancelled' || failure.kind === 'timeout')
      ) {
        // Whatever we stop waiting for would still burn GPU time.
        await this.cancel(callId);
      }
      keepUpload =
        callId !== undefined &&
        isProviderError(failure) &&
        failure.retryable &&
        failure.kind !== 'timeout' &&
        !finalFailures.has(failure);
      this.log.warn(
        {
          stage: 'overlay',
          provider: this.provider,
          callId,
          err: failure,
          elapsedMs: Math.round(performance.now() - startedAt),
        },
        'overlay job did not complete',
      );
      throw failure;
    } finally {
      if (uploadedKey && !keepUpload)
        await this.options.storage.delete(uploadedKey).catch(() => undefined);
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      ...extra,
    };
  }

  private async submit(inputUrl: string, request: MatteRequest): Promise<string> {
    const { body } = await this.policy.execute(
      () =>
        httpCall({
          provider: this.provider,
          url: `${this.base}/jobs`,
          method: 'POST',
          headers: this.headers({ 'content-type': 'application/json' }),
          body: JSON.stringify({ input_url: inputUrl, shape: request.shape, mode: request.mode }),
          timeoutMs: this.requestTimeoutMs,
          schema: submitResponseSchema,
          ...(request.signal ? { signal: request.signal } : {}),
          ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        }),
      request.signal,
    );
    return body.call_id;
  }

  /**
   * Polls until the job is done; a failed job is a `server` error carrying the service's reason.
   */
  private async waitForJob(callId: string, signal?: AbortSignal): Promise<JobResult> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const answer = await this.policy.execute(async () => {
        let failed: string | undefined;
        try {
          return await httpCall({
            provider: this.provider,
            url: `${this.base}/jobs/${encodeURIComponent(callId)}`,
            headers: this.headers(),
            timeoutMs: this.requestTimeoutMs,
            schema: pollResponseSchema,
            classify: (status, body) => {
              const parsed = status === 500 ? failedJobSchema.safeParse(body) : undefined;
              if (parsed?.success) failed = parsed.data.error || 'failed without a reason';
              if (status === 404)
                return { kind: 'not_found', detail: `job ${callId} expired or unknown` };
              return parsed?.success ? { kind: 'server', detail: failed } : undefined;
            },
            ...(signal ? { signal } : {}),
            ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
          });
        } catch (error) {
          // The job itself failed: asking again gives the same answer, so no retry.
          if (failed !== undefined) return { failed, error };
          throw error;
        }
      }, signal);
      if ('failed' in answer) {
        const failure = new ProviderError(`job ${callId} failed: ${answer.failed}`, {
          provider: this.provider,
          kind: 'server',
          status: 500,
          detail: answer.failed,
          cause: answer.error,
        });
        finalFailures.add(failure);
        throw failure;
      }
      if (answer.body.status === 'done') return answer.body.result;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new ProviderError(`job ${callId} not done within ${this.timeoutMs} ms`, {
          provider: this.provider,
          kind: 'timeout',
        });
      }
      try {
        await sleep(Math.min(this.pollIntervalMs, left), undefined, signal ? { signal } : {});
      } catch (error) {
        throw new ProviderError('cancelled', {
          provider: this.provider,
          kind: 'cancelled',
          cause: error,
        });
      }
    }
  }

  private async download(
    callId: string,
    outputPath: string,
    signal?: AbortSignal,
  ): Promise<number> {
    return writeAtomically(outputPath, (partial) =>
      this.policy.execute(async () => {
        const { bytes, contentType } = await downloadToFile(
          {
            provider: this.provider,
            url: `${this.base}/jobs/${encodeURIComponent(callId)}/result`,
            headers: this.headers(),
            timeoutMs: this.options.downloadTimeoutMs ?? 5 * 60_000,
            ...(signal ? { signal } : {}),
            ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
          },
          partial,
        );
        if (!/^video\/mp4\b/i.test(contentType) || bytes === 0) {
          throw new ProviderError(
            `result of ${callId} is not an MP4 (${contentType || 'no content type'}, ${bytes} bytes)`,
            {
              provider: this.provider,
              kind: 'malformed',
            },
          );
        }
        return bytes;
      }, signal),
    );
  }

  /** The result as this machine's ffprobe sees it; a file it cannot read is a malformed answer. */
  private async describe(
    request: MatteRequest,
    job: JobResult,
    sizeBytes: number,
    signal?: AbortSignal,
  ): Promise<MatteResult> {
    let probed;
    try {
      probed = await this.probe.probeRaw(request.outputPath, signal);
    } catch (error) {
      throw new ProviderError('the result is not a readable video', {
        provider: this.provider,
        kind: 'malformed',
        cause: error,
      });
    }
    const video = probed.streams.find((s) => s.codec_type === 'video');
    if (!video?.width || !video.height)
      throw new ProviderError('the result has no video stream', {
        provider: this.provider,
        kind: 'malformed',
      });
    const fps = parseFrameRate(video.avg_frame_rate) || job.fps;
    const durationSec = probed.format.duration ?? video.duration ?? job.seconds;
    const gpuUsd = this.options.gpuUsdPerSecond ?? a10gUsdPerSecond;
    return {
      path: request.outputPath,
      mode: request.mode,
      width: video.width,
      height: video.height,
      durationSec,
      frames: video.nb_frames ?? job.frames ?? Math.round(durationSec * fps),
      sizeBytes,
      provider: this.provider,
      ...(job.processing_seconds !== undefined
        ? { costUsd: Math.round(job.processing_seconds * gpuUsd * 1e6) / 1e6 }
        : {}),
    };
  }

  /** Best effort: the job may be finished or gone already, and the caller's signal has fired. */
  private async cancel(callId: string): Promise<void> {
    try {
      await httpCall({
        provider: this.provider,
        url: `${this.base}/jobs/${encodeURIComponent(callId)}`,
        method: 'DELETE',
        headers: this.headers(),
        timeoutMs: Math.min(this.requestTimeoutMs, 10_000),
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
      this.log.info({ stage: 'overlay', provider: this.provider, callId }, 'overlay job cancelled');
    } catch (error) {
      this.log.warn(
        { stage: 'overlay', provider: this.provider, callId, err: error },
        'could not cancel the overlay job',
      );
    }
  }
}
