import type { FalClient } from '@fal-ai/client';
import type { Env } from '../../config/env-schema.js';
import type { Logger } from '../../logging/logger.js';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';
import type { MediaProbe } from '../../ports/media-probe.js';
import type {
  TalkingHeadRenderer,
  TalkingHeadRequest,
  VideoResult,
} from '../../ports/talking-head-renderer.js';
import {
  createProviderPolicy,
  ProviderError,
  type ProviderPolicy,
  type ProviderPolicyOptions,
} from '../provider-calls/index.js';
import { downloadResult } from './fal-download.js';
import { createFalHttpClient } from './fal-http.js';
import { omniHumanCostUsd } from './fal-pricing.js';
import { runFalJob, type FalQueueSettings } from './fal-queue-job.js';
import { omniHumanEndpoint, omniHumanOutputSchema } from './fal-wire.js';
import { publishInput } from './publish-input.js';

export const falOmniHumanProvider = 'fal-omnihuman';

export interface FalTalkingHeadOptions {
  readonly client: FalClient;
  readonly storage: FileStorage;
  readonly probe: Pick<MediaProbe, 'probe'>;
  readonly log: Logger;
  readonly resolution?: '720p' | '1080p';
  readonly turbo?: boolean;
  readonly webhookUrl?: string;
  /** The whole job, queue included (FALAI_TIMEOUT_MINUTES). */
  readonly timeoutMs?: number;
  /** fal recommends 3–5 s for long jobs; the SDK's 500 ms is for seconds-long models. */
  readonly pollIntervalMs?: number;
  readonly downloadTimeoutMs?: number;
  readonly policy?: Omit<ProviderPolicyOptions, 'provider' | 'log'>;
  readonly cancelOnAbort?: FalQueueSettings['cancelOnAbort'];
}

// OmniHuman v1.5 refuses longer audio; checked before paying for a failure.
const maxAudioSec = { '1080p': 30, '720p': 60 } as const;

/**
 * Lip-synced talking heads from fal.ai OmniHuman v1.5. Inputs go to our storage and fal gets
 * presigned links; the request id is handed to `onSubmitted` before the long wait and a
 * `resumeRequestId` skips the submit, so a restart polls the job it already paid for.
 * The video keeps OmniHuman's own size (it follows the portrait's aspect); the compositor scales.
 */
export class FalTalkingHeadRenderer implements TalkingHeadRenderer {
  readonly provider = falOmniHumanProvider;
  private readonly policy: ProviderPolicy;

  constructor(private readonly options: FalTalkingHeadOptions) {
    this.policy = createProviderPolicy({
      ...options.policy,
      provider: this.provider,
      log: options.log,
    });
  }

  get circuit(): ProviderPolicy['circuit'] {
    return this.policy.circuit;
  }

  async render(request: TalkingHeadRequest): Promise<VideoResult> {
    request.signal?.throwIfAborted();
    const startedAt = performance.now();
    const resolution = this.options.resolution ?? '1080p';
    let input: Record<string, unknown> = {};
    if (!request.resumeRequestId) {
      const audio = await this.options.probe.probe(request.audioPath);
      if (audio.durationSec >= maxAudioSec[resolution]) {
        throw new ProviderError(
          `audio of ${audio.durationSec.toFixed(1)} s is too long for OmniHuman at ${resolution}`,
          {
            provider: this.provider,
            kind: 'invalid_request',
          },
        );
      }
      const [imageUrl, audioUrl] = await Promise.all([
        publishInput(this.options.storage, request.imagePath, 'portrait'),
        publishInput(this.options.storage, request.audioPath, 'speech'),
      ]);
      input = {
        image_url: imageUrl,
        audio_url: audioUrl,
        resolution,
        turbo_mode: this.options.turbo ?? false,
      };
    }
    const job = await runFalJob(this.queueSettings(), {
      input,
      output: omniHumanOutputSchema,
      ...(request.resumeRequestId ? { resumeRequestId: request.resumeRequestId } : {}),
      ...(request.onSubmitted ? { onSubmitted: request.onSubmitted } : {}),
      ...(this.options.webhookUrl ? { webhookUrl: this.options.webhookUrl } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const generatedAt = performance.now();
    const bytes = await this.policy.execute(
      () =>
        downloadResult({
          provider: this.provider,
          url: job.data.video.url,
          path: request.outputPath,
          timeoutMs: this.options.downloadTimeoutMs ?? 120_000,
          ...(request.signal ? { signal: request.signal } : {}),
        }),
      request.signal,
    );
    const video = await this.options.probe.probe(request.outputPath);
    if (!video.video || !(video.durationSec > 0)) {
      throw new ProviderError('the result is not a playable video', {
        provider: this.provider,
        kind: 'malformed',
        detail: job.data.video.url,
      });
    }
    // fal bills the output seconds it reports; the probed length stands in when it reports none.
    const costUsd = omniHumanCostUsd(job.data.duration ?? video.durationSec);
    this.options.log.info(
      {
        stage: 'video',
        provider: this.provider,
        requestId: job.requestId,
        resumed: job.resumed,
        polls: job.polls,
        resolution,
        width: video.video.width,
        height: video.video.height,
        durationSec: video.durationSec,
        bytes,
        costUsd,
        generateMs: Math.round(generatedAt - startedAt),
        elapsedMs: Math.round(performance.now() - startedAt),
      },
      'talking head rendered by fal',
    );
    return {
      path: request.outputPath,
      durationSec: video.durationSec,
      width: video.video.width,
      height: video.video.height,
      sizeBytes: bytes,
      provider: this.provider,
      lipSync: true,
      costUsd,
    };
  }

  private queueSettings(): FalQueueSettings {
    return {
      provider: this.provider,
      endpointId: omniHumanEndpoint,
      client: this.options.client,
      policy: this.policy,
      log: this.options.log,
      stage: 'video',
      pollIntervalMs: this.options.pollIntervalMs ?? 4000,
      timeoutMs: this.options.timeoutMs ?? 20 * 60_000,
      ...(this.options.cancelOnAbort ? { cancelOnAbort: this.options.cancelOnAbort } : {}),
    };
  }
}

export interface FalTalkingHeadDeps {
  readonly config: Pick<
    Env,
    | 'FALAI_API_TOKEN'
    | 'FALAI_QUEUE_URL'
    | 'FALAI_WEBHOOK_URL'
    | 'OMNIHUMAN_RESOLUTION'
    | 'OMNIHUMAN_TURBO'
    | 'FALAI_TIMEOUT_MINUTES'
  >;
  readonly storage: FileStorage;
  readonly probe: Pick<MediaProbe, 'probe'>;
  readonly log: Logger;
  /** Tests shorten these; production uses the defaults. */
  readonly pollIntervalMs?: number;
  readonly requestTimeoutMs?: number;
  readonly policy?: FalTalkingHeadOptions['policy'];
}

/**
 * The lip-synced renderer, or undefined without FALAI_API_TOKEN (the local portrait serves then).
 */
export function createFalTalkingHead(deps: FalTalkingHeadDeps): FalTalkingHeadRenderer | undefined {
  const { config } = deps;
  if (!config.FALAI_API_TOKEN) return undefined;
  const log = deps.log.child({ provider: falOmniHumanProvider });
  return new FalTalkingHeadRenderer({
    client: createFalHttpClient({
      provider: falOmniHumanProvider,
      credentials: config.FALAI_API_TOKEN,
      requestTimeoutMs: deps.requestTimeoutMs ?? 30_000,
      ...(config.FALAI_QUEUE_URL ? { queueUrl: config.FALAI_QUEUE_URL } : {}),
    }),
    storage: deps.storage,
    probe: deps.probe,
    log,
    resolution: config.OMNIHUMAN_RESOLUTION,
    turbo: config.OMNIHUMAN_TURBO,
    timeoutMs: config.FALAI_TIMEOUT_MINUTES * 60_000,
    ...(config.FALAI_WEBHOOK_URL ? { webhookUrl: config.FALAI_WEBHOOK_URL } : {}),
    ...(deps.pollIntervalMs ? { pollIntervalMs: deps.pollIntervalMs } : {}),
    ...(deps.policy ? { policy: deps.policy } : {}),
  });
}
