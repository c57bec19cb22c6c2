import type { FalClient } from '@fal-ai/client';
import sharp from 'sharp';
import type { Env } from '../../config/env-schema.js';
import type { Logger } from '../../logging/logger.js';
import type { FileStorage } from '../../ports/file-storage/file-storage.js';
import type { ImageEditor, ImageEditRequest, ImageEditResult } from '../../ports/image-editor.js';
import {
  createProviderPolicy,
  isProviderError,
  ProviderError,
  type ProviderPolicy,
  type ProviderPolicyOptions,
} from '../provider-calls/index.js';
import { downloadResult } from './fal-download.js';
import { falOperatorHint } from './fal-errors.js';
import { createFalHttpClient } from './fal-http.js';
import { nanoBananaUsdPerImage } from './fal-pricing.js';
import { runFalJob } from './fal-queue-job.js';
import { nanoBananaEditEndpoint, nanoBananaOutputSchema } from './fal-wire.js';
import { publishInput } from './publish-input.js';

export const falNanoBananaProvider = 'fal-nano-banana';

export interface FalImageEditorOptions {
  readonly client: FalClient;
  readonly storage: FileStorage;
  readonly log: Logger;
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly downloadTimeoutMs?: number;
  readonly policy?: Omit<ProviderPolicyOptions, 'provider' | 'log'>;
}

/**
 * The messages the bot shows as they are (`character-editing.ts` prints `message` for every
 * reason but content_policy, which it words itself). Kept free of provider detail.
 */
export const imageEditMessages = {
  content_policy:
    'The image service declined this change under its content rules. Try describing it differently.',
  unavailable: 'The image service is not answering right now. Please try again in a few minutes.',
  failed: 'The image service could not make this change. Try a different description.',
} as const;

/**
 * Prompt-based portrait edits with fal.ai nano-banana (Gemini 2.5 Flash Image). A refusal is an
 * expected outcome (`content_policy`), as are an unreachable service (`unavailable`, with the
 * circuit open or the key refused) and an unusable answer (`failed`); the ProviderError behind
 * each is logged for the operator. Only cancellation is thrown.
 */
export class FalImageEditor implements ImageEditor {
  readonly provider = falNanoBananaProvider;
  readonly available = true;
  private readonly policy: ProviderPolicy;

  constructor(private readonly options: FalImageEditorOptions) {
    this.policy = createProviderPolicy({
      ...options.policy,
      provider: this.provider,
      log: options.log,
    });
  }

  get circuit(): ProviderPolicy['circuit'] {
    return this.policy.circuit;
  }

  async edit(request: ImageEditRequest): Promise<ImageEditResult> {
    request.signal?.throwIfAborted();
    const startedAt = performance.now();
    try {
      const imageUrl = await publishInput(this.options.storage, request.imagePath, 'portrait');
      const job = await runFalJob(
        {
          provider: this.provider,
          endpointId: nanoBananaEditEndpoint,
          client: this.options.client,
          policy: this.policy,
          log: this.options.log,
          stage: 'edit',
          pollIntervalMs: this.options.pollIntervalMs ?? 1500,
          timeoutMs: this.options.timeoutMs ?? 5 * 60_000,
        },
        {
          input: {
            prompt: request.prompt,
            image_urls: [imageUrl],
            num_images: 1,
            output_format: 'png',
          },
          output: nanoBananaOutputSchema,
          ...(request.signal ? { signal: request.signal } : {}),
        },
      );
      const image = job.data.images[0]!;
      const bytes = await this.policy.execute(
        () =>
          downloadResult({
            provider: this.provider,
            url: image.url,
            path: request.outputPath,
            timeoutMs: this.options.downloadTimeoutMs ?? 60_000,
            ...(request.signal ? { signal: request.signal } : {}),
          }),
        request.signal,
      );
      const metadata = await sharp(request.outputPath)
        .metadata()
        .catch((error: unknown) => {
          throw new ProviderError('the edited file is not an image', {
            provider: this.provider,
            kind: 'malformed',
            cause: error,
          });
        });
      this.options.log.info(
        {
          stage: 'edit',
          provider: this.provider,
          requestId: job.requestId,
          width: metadata.width,
          height: metadata.height,
          bytes,
          costUsd: nanoBananaUsdPerImage,
          elapsedMs: Math.round(performance.now() - startedAt),
        },
        'portrait edited by fal',
      );
      return {
        ok: true,
        path: request.outputPath,
        provider: this.provider,
        costUsd: nanoBananaUsdPerImage,
      };
    } catch (error) {
      if (!isProviderError(error) || error.kind === 'cancelled') throw error;
      const reason =
        error.kind === 'content_policy'
          ? 'content_policy'
          : error.fallbackAllowed && error.kind !== 'malformed'
            ? 'unavailable'
            : 'failed';
      this.options.log[reason === 'content_policy' ? 'info' : 'error'](
        {
          stage: 'edit',
          provider: this.provider,
          kind: error.kind,
          reason,
          err: error,
          hint: falOperatorHint(error),
          elapsedMs: Math.round(performance.now() - startedAt),
        },
        'portrait edit not made',
      );
      return { ok: false, reason, message: imageEditMessages[reason] };
    }
  }
}

export interface FalImageEditorDeps {
  readonly config: Pick<Env, 'FALAI_API_TOKEN' | 'FALAI_QUEUE_URL'>;
  readonly storage: FileStorage;
  readonly log: Logger;
  readonly pollIntervalMs?: number;
  readonly requestTimeoutMs?: number;
  readonly policy?: FalImageEditorOptions['policy'];
}

/** The portrait editor, or undefined without FALAI_API_TOKEN (editing is then unavailable). */
export function createFalImageEditor(deps: FalImageEditorDeps): FalImageEditor | undefined {
  const { config } = deps;
  if (!config.FALAI_API_TOKEN) return undefined;
  return new FalImageEditor({
    client: createFalHttpClient({
      provider: falNanoBananaProvider,
      credentials: config.FALAI_API_TOKEN,
      requestTimeoutMs: deps.requestTimeoutMs ?? 30_000,
      ...(config.FALAI_QUEUE_URL ? { queueUrl: config.FALAI_QUEUE_URL } : {}),
    }),
    storage: deps.storage,
    log: deps.log.child({ provider: falNanoBananaProvider }),
    ...(deps.pollIntervalMs ? { pollIntervalMs: deps.pollIntervalMs } : {}),
    ...(deps.policy ? { policy: deps.policy } : {}),
  });
}
